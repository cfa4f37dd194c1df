import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../shared/directory';
import { filterDirectory } from './directory-filter';

export interface DirectoryActions {
  /** Whether a call with the caller is up, so transfers make sense. */
  inCall: boolean;
  call(extension: string): void;
  transfer(extension: string): void;
  consult(extension: string): void;
}

/** The department directory: search by department, duty or name, then call, transfer or consult. */
export function DirectoryPanel({ load, actions }: { load: () => Promise<Department[]>; actions: DirectoryActions }) {
  const { t } = useTranslation();
  const [departments, setDepartments] = useState<Department[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  useEffect(() => {
    let live = true;
    load().then(
      (d) => {
        if (!live) return;
        setDepartments(d);
        // A failure before (the core not yet connected) is over.
        setError(null);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [load]);
  const matches = departments ? filterDirectory(departments, query) : [];
  return (
    <section className="directory" aria-label={t('directory.label')}>
      <input type="search" aria-label={t('directory.search')} placeholder={t('directory.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      {error && <p role="alert">{t('directory.failed', { message: error })}</p>}
      {!departments && !error && <p>{t('directory.loading')}</p>}
      {departments && matches.length === 0 && <p>{t('directory.none')}</p>}
      <ul>
        {matches.map(({ department, staff }) => {
          const name = `${staff.name} ${staff.title}`;
          return (
            <li key={staff.id}>
              <span>
                {department.name} · {name} · {staff.duty} · {staff.extension}
              </span>
              {actions.inCall ? (
                <>
                  <button type="button" aria-label={t('directory.transfer', { name })} onClick={() => actions.transfer(staff.extension)}>
                    {t('phone.blindTransfer')}
                  </button>
                  <button type="button" aria-label={t('directory.consult', { name })} onClick={() => actions.consult(staff.extension)}>
                    {t('phone.consult')}
                  </button>
                </>
              ) : (
                <button type="button" aria-label={t('directory.call', { name })} onClick={() => actions.call(staff.extension)}>
                  {t('phone.dial')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
