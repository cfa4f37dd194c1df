import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Tab, TabList, TabPanel, Tabs, type Key } from 'react-aria-components';
import { ViewHeading } from '../parts';
import { usePortal } from '../portal-context';
import { PROTECTION_TABS, type ProtectionTab } from '../route';
import { AccessLogPanel } from './AccessLogPanel';
import { CasesPanel } from './CasesPanel';
import { RecordingsPanel } from './RecordingsPanel';
import css from './Protection.module.css';
import tabCss from '../../theme/Tab.module.css';

/**
 * 녹취·보호, for team leads and the city's auditors: the report cases, finding recordings, and the
 * access log. The tab is in the address (a bookmark, the back button); a panel is asked for again
 * each time it is shown, so the access log shows the playback just made.
 */
export default function ProtectionView({ tab }: { tab: ProtectionTab }) {
  const { t } = useTranslation();
  const { navigate } = usePortal();
  const k = (key: string) => t(`portal.protection.${key}`);
  // Elements, not mounted: a tab panel renders its content only while its tab is selected.
  const panels: Record<ProtectionTab, ReactNode> = { cases: <CasesPanel />, recordings: <RecordingsPanel />, 'access-log': <AccessLogPanel /> };
  return (
    <>
      <ViewHeading text={k('title')} />
      <p className="meta">{k('intro')}</p>
      {/* Arrows move along the tabs, Enter or Space opens one: opening 녹취 찾기 lists recordings, which the access log keeps. */}
      <Tabs className={css.tabs} keyboardActivation="manual" selectedKey={tab} onSelectionChange={(key: Key) => navigate({ view: 'protection', tab: key as ProtectionTab }, { replace: true })}>
        <TabList className={css.tabList} aria-label={k('tabs.label')}>
          {PROTECTION_TABS.map((id) => (
            <Tab key={id} id={id} className={tabCss.tab}>
              {k(`tabs.${id}`)}
            </Tab>
          ))}
        </TabList>
        {PROTECTION_TABS.map((id) => (
          <TabPanel key={id} id={id} className={css.tabPanel}>
            {panels[id]}
          </TabPanel>
        ))}
      </Tabs>
    </>
  );
}
