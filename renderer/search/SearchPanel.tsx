import { memo, type KeyboardEvent } from 'react';
import { Autocomplete, ListBox, ListBoxItem } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { SearchBox } from '../core/SearchBox';
import type { SearchHit, Suggestion } from '../../shared/contract';
import type { ManualEntry } from '../../shared/manual';
import { Highlighted } from './Highlighted';
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

const EntryReader = memo(function EntryReader({ entry, departmentName, close }: { entry: ManualEntry; departmentName?: (id: string) => string | null; close: () => void }) {
  const { t } = useTranslation();
  return (
    <article className={css.entry} aria-label={t('search.detail')} data-entry-id={entry.id}>
      <h3>{entry.title}</h3>
      <p className={css.category}>{entry.category}</p>
      {entry.department && <p>{t('search.department', { department: departmentName?.(entry.department) ?? entry.department })}</p>}
      <pre className={css.body}>{entry.body}</pre>
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
}

/**
 * The knowledge search: a search field whose results list stays in view below it (React Aria's
 * Autocomplete: the field keeps focus, arrow keys move through the results, Enter opens one,
 * nothing fires while the IME composes), and the entry reader beside the results.
 */
export function SearchPanel({ store, inputId, onLeave, departmentName, suggestions = [] }: SearchPanelProps) {
  const { t } = useTranslation();
  const s = useStore(store);

  // Esc closes the open entry first, then clears the query (the field's own Esc), then leaves.
  const onEscape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.nativeEvent.isComposing) return;
    if (s.open) s.close();
    else if (s.query === '') onLeave?.();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <section className={css.search} aria-label={t('search.label')} onKeyDownCapture={onEscape}>
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
            onAction={(id) => s.openEntry(String(id))}
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
          {s.open && <EntryReader entry={s.open} departmentName={departmentName} close={s.close} />}
        </div>
      </Autocomplete>
    </section>
  );
}
