import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { Star } from 'lucide-react';
import { SearchBox } from '../core/SearchBox';
import type { Department } from '../../shared/directory';
import { filterDirectory, type DirectoryMatch } from './directory-filter';
import type { DirectoryMemoryStore } from './directory-memory';
import type { Directory } from './use-directory';

export interface DirectoryActions {
  /** Whether a call with the caller is up, so transfers make sense. */
  inCall: boolean;
  call(extension: string): void;
  transfer(extension: string): void;
  consult(extension: string): void;
}

/** The staff behind a list of ids, in that order, skipping ids no longer in the directory. */
function byIds(departments: readonly Department[], ids: readonly string[]): DirectoryMatch[] {
  const all = new Map(departments.flatMap((department) => department.staff.map((staff) => [staff.id, { department, staff }] as const)));
  return ids.flatMap((id) => all.get(id) ?? []);
}

function StaffRow({ match, actions, memory }: { match: DirectoryMatch; actions: DirectoryActions; memory: DirectoryMemoryStore }) {
  const { t } = useTranslation();
  const favourite = useStore(memory, (m) => m.favourites.includes(match.staff.id));
  const { department, staff } = match;
  const name = `${staff.name} ${staff.title}`;
  const use = (act: (extension: string) => void) => () => {
    memory.getState().used(staff.id);
    act(staff.extension);
  };
  return (
    <li className="staff">
      <button type="button" className="icon-button" aria-pressed={favourite} aria-label={t('directory.favourite', { name })} onClick={() => memory.getState().toggleFavourite(staff.id)}>
        <Star aria-hidden size={16} fill={favourite ? 'currentColor' : 'none'} />
      </button>
      <span className="who">
        <strong>{name}</strong> <span className="meta">{department.name}</span>
        <span className="meta">
          {staff.duty} · {t('directory.extension', { extension: staff.extension })}
        </span>
      </span>
      <span className="actions">
        {actions.inCall ? (
          <>
            <button type="button" className="primary" aria-label={t('directory.transfer', { name })} onClick={use(actions.transfer)}>
              {t('phone.blindTransfer')}
            </button>
            <button type="button" aria-label={t('directory.consult', { name })} onClick={use(actions.consult)}>
              {t('phone.consult')}
            </button>
          </>
        ) : (
          <button type="button" aria-label={t('directory.call', { name })} onClick={use(actions.call)}>
            {t('phone.dial')}
          </button>
        )}
      </span>
    </li>
  );
}

function StaffList({ title, matches, actions, memory }: { title: string; matches: DirectoryMatch[]; actions: DirectoryActions; memory: DirectoryMemoryStore }) {
  if (matches.length === 0) return null;
  return (
    <div role="group" aria-label={title}>
      <h3>{title}</h3>
      <ul className="staff-list">
        {matches.map((m) => (
          <StaffRow key={m.staff.id} match={m} actions={actions} memory={memory} />
        ))}
      </ul>
    </div>
  );
}

/**
 * The department directory: favourites and recent transfers first, then a search by department,
 * duty or name; a blind transfer is the first button, a consultation the second.
 */
export function DirectoryPanel({ directory, actions, memory }: { directory: Directory; actions: DirectoryActions; memory: DirectoryMemoryStore }) {
  const { t } = useTranslation();
  const { departments, error } = directory;
  const [query, setQuery] = useState('');
  const { favourites, recent } = useStore(memory);
  const searching = query.trim() !== '';
  const matches = departments && searching ? filterDirectory(departments, query) : [];
  return (
    <section className="directory" aria-label={t('directory.label')}>
      <SearchBox label={t('directory.search')} placeholder={t('directory.search')} value={query} onChange={setQuery} />
      {error && (
        <p role="alert" data-error={error}>
          {t('directory.failed')}
        </p>
      )}
      {!departments && !error && <p>{t('directory.loading')}</p>}
      {departments && searching && (
        <>
          <p className="meta" role="status">
            {matches.length === 0 ? t('directory.none') : t('directory.count', { count: matches.length })}
          </p>
          <StaffList title={t('directory.results')} matches={matches} actions={actions} memory={memory} />
        </>
      )}
      {departments && !searching && (
        <>
          <StaffList title={t('directory.favourites')} matches={byIds(departments, favourites)} actions={actions} memory={memory} />
          <StaffList title={t('directory.recent')} matches={byIds(departments, recent)} actions={actions} memory={memory} />
          {favourites.length === 0 && recent.length === 0 && <p className="meta">{t('directory.hint')}</p>}
        </>
      )}
    </section>
  );
}
