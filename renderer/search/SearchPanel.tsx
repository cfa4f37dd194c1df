import { memo, useId, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { composing } from '../phone/shortcuts';
import type { SearchHit, Suggestion } from '../../shared/contract';
import type { ManualEntry } from '../../shared/manual';
import { Highlighted } from './Highlighted';
import type { SearchStore } from './search-store';

/** `onLeave`: Esc with nothing left to close or clear (back to where the agent came from with Ctrl+K). */
// Rows and the reader are memoised: a keystroke re-renders the status line, not ten rows of
// highlighted text (keystroke → results painted is held to one frame, 16 ms).
const ResultRow = memo(function ResultRow({ hit, id, selected, open }: { hit: SearchHit; id: string; selected: boolean; open: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <li id={id} role="option" aria-selected={selected} data-entry-id={hit.id} onClick={() => open(hit.id)}>
      <span className="kind">{hit.kind === 'faq' ? t('search.faq') : t('search.manual')}</span>
      <strong className="title">
        <Highlighted text={hit.title} spans={hit.titleHighlights} />
      </strong>
      <span className="category">{hit.category}</span>
      <p className="snippet">
        <Highlighted text={hit.snippet} spans={hit.highlights} />
      </p>
    </li>
  );
});

const EntryReader = memo(function EntryReader({ entry, departmentName, close }: { entry: ManualEntry; departmentName?: (id: string) => string | null; close: () => void }) {
  const { t } = useTranslation();
  return (
    <article className="entry" aria-label={t('search.detail')} data-entry-id={entry.id}>
      <h3>{entry.title}</h3>
      <p className="category">{entry.category}</p>
      {entry.department && <p>{t('search.department', { department: departmentName?.(entry.department) ?? entry.department })}</p>}
      <pre className="body">{entry.body}</pre>
      <button type="button" onClick={() => close()}>
        {t('search.close')}
      </button>
    </article>
  );
});

export interface SearchPanelProps {
  store: SearchStore;
  inputId?: string;
  onLeave?: () => void;
  departmentName?: (id: string) => string | null;
  /** The ringing or current call's suggested entries, shown while nothing is typed. */
  suggestions?: readonly Pick<Suggestion, 'id' | 'title' | 'category'>[];
}

export function SearchPanel({ store, inputId, onLeave, departmentName, suggestions = [] }: SearchPanelProps) {
  const { t } = useTranslation();
  const s = useStore(store);
  const listId = useId();
  const optionId = (i: number) => `${listId}-option-${i}`;

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    // Keys pressed while a Korean syllable is still being composed belong to the IME.
    if (composing(e.nativeEvent)) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      s.move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      s.openActive();
    } else if (e.key === 'Escape') {
      if (s.open) s.close();
      else if (s.query) s.setQuery('');
      else onLeave?.();
    }
  };

  return (
    <section className="search" aria-label={t('search.label')}>
      <input
        type="search"
        id={inputId}
        role="combobox"
        aria-label={t('search.label')}
        aria-expanded={s.hits.length > 0}
        aria-controls={listId}
        aria-activedescendant={s.hits.length ? optionId(s.active) : undefined}
        aria-autocomplete="list"
        placeholder={t('search.placeholder')}
        value={s.query}
        autoFocus
        onChange={(e) => s.setQuery(e.target.value)}
        onKeyDown={onKey}
      />
      <p className="search-status" role="status" aria-live="polite">
        {s.status === 'searching' && t('search.searching')}
        {s.status === 'done' && (s.hits.length ? t('search.count', { count: s.hits.length }) : t('search.none'))}
        {s.status === 'error' && <span data-error={s.error ?? ''}>{t('search.failed')}</span>}
      </p>
      <div className="search-body">
      {s.query === '' && suggestions.length > 0 ? (
        <div role="group" aria-label={t('search.suggested')} className="suggested">
          <h3>{t('search.suggested')}</h3>
          <ul>
            {suggestions.map((e) => (
              <li key={e.id}>
                <button type="button" className="link-button" onClick={() => s.openEntry(e.id)}>
                  {e.title}
                </button>{' '}
                <span className="category">{e.category}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ul id={listId} role="listbox" aria-label={t('search.results')} data-query={s.query} data-results-for={s.hitsFor} data-answered-by={s.answeredBy ?? undefined}>
        {s.hits.map((h, i) => (
          <ResultRow key={h.id} hit={h} id={optionId(i)} selected={i === s.active} open={s.openEntry} />
        ))}
      </ul>
      {s.open && <EntryReader entry={s.open} departmentName={departmentName} close={s.close} />}
      </div>
    </section>
  );
}
