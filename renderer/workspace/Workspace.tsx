import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { Tab, TabList, TabPanel, Tabs, type Key } from 'react-aria-components';
import { Group, Panel, Separator } from 'react-resizable-panels';
import type { LocalPreferencesStore } from '../core/local-preferences';
import { SIDE_PANE_ATTRIBUTE } from './bring-forward';
import { useMediaQuery } from './use-media-query';
import type { SideTab, WorkspaceStore } from './workspace-store';
import css from './Workspace.module.css';
import tabCss from '../theme/Tab.module.css';

/**
 * Wide enough for three panes (민원인 | 표준상담 DB | 상담기록·부서연결): a 1920 px desk; a 1366 px
 * laptop gets two, with 민원인 as a tab. In CSS pixels, so a larger text size or zoom moves to two.
 */
export const WIDE_QUERY = '(min-width: 1600px)';

export interface WorkspaceProps {
  store: WorkspaceStore;
  preferences: LocalPreferencesStore;
  /** The call bar: always in view. */
  bar: ReactNode;
  caller: ReactNode;
  knowledge: ReactNode;
  record: ReactNode;
  directory: ReactNode;
  /** Callbacks kept and bookings: the work that is not a live call. */
  work: ReactNode;
  /** Citizens' text inquiries. */
  texts: ReactNode;
  /** A team lead's board, shown instead of the panes when chosen; null on an agent's desk. */
  board: ReactNode | null;
  /** The status line at the bottom (sync, updates). */
  footer: ReactNode;
}

function Pane({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section className={css.pane} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={css.paneTitle}>
        {title}
      </h2>
      <div className={css.paneBody}>{children}</div>
    </section>
  );
}

/**
 * The agent's screen: the call bar on top, panes below that scroll on their own (the page never
 * does), resizable, their widths remembered per layout.
 */
export function Workspace(p: WorkspaceProps) {
  const { t } = useTranslation();
  const wide = useMediaQuery(WIDE_QUERY);
  useEffect(() => p.store.getState().setWide(wide), [wide, p.store]);
  const { tab, view, announcement } = useStore(p.store);
  const layouts = useStore(p.preferences, (s) => s.paneLayouts);
  const tabs: SideTab[] = wide ? ['record', 'directory', 'work', 'texts'] : ['caller', 'record', 'directory', 'work', 'texts'];
  const selected = tabs.includes(tab) ? tab : 'record';
  const content: Record<SideTab, ReactNode> = { caller: p.caller, record: p.record, directory: p.directory, work: p.work, texts: p.texts };
  const layoutId = wide ? 'wide' : 'narrow';
  return (
    <div className={css.workspace}>
      <header className={css.bar}>{p.bar}</header>
      <main className={css.main}>
        {view === 'board' && p.board ? (
          <div className={css.boardView}>{p.board}</div>
        ) : (
          <Group
            key={layoutId}
            id={`desk-${layoutId}`}
            className={css.panes}
            orientation="horizontal"
            defaultLayout={layouts[layoutId]}
            onLayoutChanged={(layout, meta) => meta.isUserInteraction && p.preferences.getState().setPaneLayout(layoutId, layout)}
          >
            {wide && (
              <>
                <Panel id="caller" className={css.panel} defaultSize="24" minSize={280}>
                  <Pane id="pane-caller" title={t('workspace.caller')}>
                    {p.caller}
                  </Pane>
                </Panel>
                <Separator className={css.separator} aria-label={t('workspace.resize', { left: t('workspace.caller'), right: t('workspace.knowledge') })} />
              </>
            )}
            <Panel id="knowledge" className={css.panel} defaultSize={wide ? '44' : '56'} minSize={360}>
              <Pane id="pane-knowledge" title={t('workspace.knowledge')}>
                {p.knowledge}
              </Pane>
            </Panel>
            <Separator className={css.separator} aria-label={t('workspace.resize', { left: t('workspace.knowledge'), right: t('workspace.sideTabs') })} />
            <Panel id="side" className={css.panel} defaultSize={wide ? '32' : '44'} minSize={320}>
              <div className={css.pane} {...{ [SIDE_PANE_ATTRIBUTE]: '' }}>
                <Tabs className={css.tabs} selectedKey={selected} onSelectionChange={(key: Key) => p.store.getState().select(key as SideTab)}>
                  <TabList className={css.tabList} aria-label={t('workspace.sideTabs')}>
                    {tabs.map((k) => (
                      <Tab key={k} id={k} className={tabCss.tab}>
                        {t(`workspace.tabs.${k}`)}
                      </Tab>
                    ))}
                  </TabList>
                  {tabs.map((k) => (
                    // Kept mounted while hidden: a half-typed note or directory search survives a tab switch.
                    <TabPanel key={k} id={k} className={css.tabPanel} shouldForceMount>
                      {content[k]}
                    </TabPanel>
                  ))}
                </Tabs>
              </div>
            </Panel>
          </Group>
        )}
      </main>
      <footer className={css.footer}>{p.footer}</footer>
      <p className={css.visuallyHidden} role="status" aria-live="polite">
        {announcement && <span key={announcement.seq}>{announcement.text}</span>}
      </p>
    </div>
  );
}
