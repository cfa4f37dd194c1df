import { memo, useEffect, useId, type KeyboardEvent } from 'react';
import { Autocomplete, ListBox, ListBoxItem } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { Flag } from 'lucide-react';
import { SearchBox } from '../core/SearchBox';
import type { SearchHit, Suggestion } from '../../shared/contract';
import type { FlagKind } from '../../shared/knowledge';
import { SECTION_KEYS, type ManualEntry } from '../../shared/manual';
import { composing } from '../phone/shortcuts';
import { FlagMenu } from './FlagMenu';
import type { FlagsStore } from './flags-store';
import { Highlighted } from './Highlighted';
import { EntryFlags } from './MyFlags';
import type { SearchStore } from './search-store';
import css from './SearchPanel.module.css';

// A result's content is memoised: a keystroke re-renders the list's frame, not ten rows of
// highlighted text, so results are painted in the keystroke's own frame.
const ResultContent = memo(function ResultContent({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  return (
    <>
      <span className={css.kind}>{hit.kind === 'faq' ? t('search.faq') : t('search.manual')}</span>
      <strong className={css.title}>
        <Highlighted text={hit.title} spans={hit.titleHighlights} />
      </strong>
      <span className={css.category}>{hit.category}</span>
      <p className={css.snippet}>
        <Highlighted text={hit.snippet} spans={hit.highlights} />
      </p>
    </>
  );
});

/** Flagging the open entry: the agent's flags, the key that opens the menu, and where a flag goes. */
export interface EntryFlagging {
  store: FlagsStore;
  key: string;
  send(entry: ManualEntry, kind: FlagKind, note: string): Promise<boolean>;
}

/** One part of the entry under its heading (신청방법, 구비서류…). */
function Part({ heading, text, className }: { heading: string | null; text: string; className?: string | undefined }) {
  const id = useId();
  return (
    <section className={className ?? css.part} aria-labelledby={heading ? id : undefined}>
      {heading && <h4 id={id}>{heading}</h4>}
      <pre className={css.body}>{text}</pre>
    </section>
  );
}

/**
 * The entry as the agent reads it to a caller: the short spoken answer first when there is one,
 * then 업무개요 and each section the department wrote, under its heading; the flag button and menu.
 */
const EntryReader = memo(function EntryReader({ entry, departmentName, close, flagging }: { entry: ManualEntry; departmentName?: (id: string) => string | null; close: () => void; flagging: EntryFlagging }) {
  const { t } = useTranslation();
  const menu = useStore(flagging.store, (s) => s.menu);
  // The menu is this entry's: another entry opened, or this one closed, closes it.
  useEffect(() => () => flagging.store.getState().closeMenu(), [entry.id, flagging.store]);
  const sections = entry.sections ?? {};
  const parts = SECTION_KEYS.filter((k) => k !== 'spoken' && sections[k]);
  const structured = parts.length > 0 || !!sections.spoken;
  return (
    <article className={css.entry} aria-label={t('search.detail')} data-entry-id={entry.id}>
      <div className={css.entryHead}>
        <h3>{entry.title}</h3>
        <button type="button" className={css.flagButton} aria-keyshortcuts={flagging.key} aria-expanded={menu > 0} onClick={() => flagging.store.getState().openMenu()}>
          <Flag aria-hidden size={16} />
          {t('entry.flag', { key: flagging.key })}
        </button>
      </div>
      <p className={css.category}>{entry.category}</p>
      {entry.department && <p>{t('search.department', { department: departmentName?.(entry.department) ?? entry.department })}</p>}
      {menu > 0 && <FlagMenu opening={menu} send={(kind, note) => flagging.send(entry, kind, note)} close={() => flagging.store.getState().closeMenu()} />}
      <EntryFlags store={flagging.store} entryId={entry.id} />
      {sections.spoken && <Part heading={t('entry.sections.spoken')} text={sections.spoken} className={css.spoken} />}
      <Part heading={structured ? t('entry.sections.body') : null} text={entry.body} />
      {parts.map((k) => (
        <Part key={k} heading={t(`entry.sections.${k}`)} text={sections[k] as string} />
      ))}
      <button type="button" onClick={() => close()}>
        {t('search.close')}
      </button>
    </article>
  );
});

export interface SearchPanelProps {
  store: SearchStore;
  inputId?: string;
  /** Esc with nothing left to close or clear (back to where the agent came from with Ctrl+K). */
  onLeave?: () => void;
  departmentName?: (id: string) => string | null;
  /** The ringing or current call's suggested entries, shown while nothing is typed. */
  suggestions?: readonly Pick<Suggestion, 'id' | 'title' | 'category'>[];
  flagging: EntryFlagging;
}

/**
 * The knowledge search: a search field whose results list stays in view below it (React Aria's
 * Autocomplete: the field keeps focus, arrow keys move through the results, Enter opens one,
 * nothing fires while the IME composes), and the entry reader beside the results.
 */
export function SearchPanel({ store, inputId, onLeave, departmentName, suggestions = [], flagging }: SearchPanelProps) {
  const { t } = useTranslation();
  const s = useStore(store);

  // Esc closes the open entry first, then clears the query (the field's own Esc), then leaves;
  // Enter in the box settles the query (a search, not keystrokes). The flag menu has its own keys.
  const onKey = (e: KeyboardEvent) => {
    if (composing(e.nativeEvent) || (e.target as Element).closest('[data-flag-menu]')) return;
    if (e.key === 'Enter' && (e.target as Element).id === inputId) s.entered();
    if (e.key !== 'Escape') return;
    if (s.open) s.close();
    else if (s.query === '') onLeave?.();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <section className={css.search} aria-label={t('search.label')} onKeyDownCapture={onKey}>
      <Autocomplete inputValue={s.query} onInputChange={s.setQuery}>
        <SearchBox label={t('search.label')} placeholder={t('search.placeholder')} inputId={inputId} autoFocus large />
        <p className={css.status} role="status" aria-live="polite">
          {s.status === 'searching' && t('search.searching')}
          {s.status === 'done' && (s.hits.length ? t('search.count', { count: s.hits.length }) : t('search.none'))}
          {s.status === 'error' && <span data-error={s.error ?? ''}>{t('search.failed')}</span>}
        </p>
        <div className={css.results}>
          {s.query === '' && suggestions.length > 0 ? (
            <div role="group" aria-label={t('search.suggested')} className={css.suggested}>
              <h3>{t('search.suggested')}</h3>
              <ul>
                {suggestions.map((e) => (
                  <li key={e.id}>
                    <button type="button" className="link-button" onClick={() => s.openEntry(e.id)}>
                      {e.title}
                    </button>{' '}
                    <span className={css.category}>{e.category}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <ListBox
            aria-label={t('search.results')}
            className={css.list}
            items={s.hits}
            onAction={(id) => s.openResult(String(id))}
            data-query={s.query}
            data-results-for={s.hitsFor}
            data-answered-by={s.answeredBy ?? undefined}
          >
            {(hit) => (
              <ListBoxItem id={hit.id} textValue={hit.title} className={css.result} data-entry-id={hit.id}>
                <ResultContent hit={hit} />
              </ListBoxItem>
            )}
          </ListBox>
          {s.open && <EntryReader entry={s.open} departmentName={departmentName} close={s.close} flagging={flagging} />}
        </div>
      </Autocomplete>
    </section>
  );
}
