import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { FilePlus2 } from 'lucide-react';
import { SearchBox } from '../core/SearchBox';
import { formatDay } from '../i18n/format';
import { matchesFilter } from './entry-filter';
import { DepartmentSelect, DraftStateBadge, Loading, OverdueBadge, RefusalText, ViewHeading } from './parts';
import { departmentName, usePortal, writesFor } from './portal-context';
import { routeHref } from './route';
import type { PortalEntry } from './schemas';
import { useLoad } from './use-load';
import css from './Portal.module.css';

interface EntryFilters {
  text: string;
  overdue: boolean;
  /** A reviewer's or lead's choice; '' is every department. */
  department: string;
}

// Kept while the portal is open: back from an entry, the table is as it was left.
const filters = createStore<EntryFilters>()(() => ({ text: '', overdue: false, department: '' }));

function DraftCell({ e }: { e: PortalEntry }) {
  const { t } = useTranslation();
  const { me } = usePortal();
  if (!e.draft) return <span className="meta">{t('portal.entries.noDraft')}</span>;
  const inReview = e.draft.state === 'review' && me.user.role === 'reviewer';
  return (
    <a href={routeHref(inReview ? { view: 'review-draft', id: e.draft.id } : { view: 'draft', id: e.draft.id })} aria-label={t('portal.entries.openDraftOf', { title: e.entry.title, state: t(`portal.draftStates.${e.draft.state}`) })}>
      <DraftStateBadge state={e.draft.state} />
    </a>
  );
}

/** 항목: the department's entries (a reviewer's or lead's choice of department) with their owner, verification, use on the desks and draft. */
export function EntriesView() {
  const { t, i18n } = useTranslation();
  const { api, me } = usePortal();
  const f = useStore(filters);
  const department = me.user.role === 'editor' ? undefined : f.department || undefined;
  const loaded = useLoad(() => api.entries({ ...(department ? { department } : {}), overdue: f.overdue }), [api, department, f.overdue]);
  const all = loaded.value?.entries ?? [];
  const rows = all.filter((e) => matchesFilter(e, f.text));
  const title = me.user.role === 'editor' ? t('portal.entries.titleOf', { department: departmentName(me, me.user.department) }) : t('portal.entries.title');

  return (
    <>
      <div className={css.viewHead}>
        <ViewHeading text={title} />
        {writesFor(me, me.user.department) && (
          <a className={css.buttonLink} href={routeHref({ view: 'new-draft', prefill: {} })}>
            <FilePlus2 aria-hidden size={18} />
            {t('portal.entries.newEntry')}
          </a>
        )}
      </div>
      <div className={css.toolbar} role="search" aria-label={t('portal.entries.filters')}>
        <div className={css.filterBox}>
          <SearchBox label={t('portal.entries.filter')} placeholder={t('portal.entries.filterHint')} value={f.text} onChange={(text) => filters.setState({ text })} />
        </div>
        <label className={css.check}>
          <input type="checkbox" checked={f.overdue} onChange={(e) => filters.setState({ overdue: e.target.checked })} />
          {t('portal.entries.overdueOnly')}
        </label>
        <DepartmentSelect value={f.department} onChange={(d) => filters.setState({ department: d })} />
      </div>
      {loaded.error ? <RefusalText error={loaded.error} /> : null}
      {loaded.loading && !loaded.value ? (
        <Loading />
      ) : (
        <>
          <p role="status" className="meta">
            {t('portal.entries.count', { shown: rows.length, total: all.length })}
          </p>
          <div className={css.tableWrap}>
            <table className={css.table}>
              <caption className={css.srOnly}>
                {title}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('portal.entries.columns.category')}</th>
                  <th scope="col">{t('portal.entries.columns.title')}</th>
                  <th scope="col">{t('portal.entries.columns.owner')}</th>
                  <th scope="col">{t('portal.entries.columns.verifyBy')}</th>
                  <th scope="col">{t('portal.entries.columns.reuse')}</th>
                  <th scope="col">{t('portal.entries.columns.draft')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.entry.id} data-entry-id={e.entry.id}>
                    <td>{e.entry.category}</td>
                    <td>
                      <a href={routeHref({ view: 'entry', id: e.entry.id })}>{e.entry.title}</a>
                      {department === undefined && me.user.role !== 'editor' && e.entry.department && <span className={css.sub}>{departmentName(me, e.entry.department)}</span>}
                    </td>
                    <td>{e.owner ?? <span className="meta">{t('portal.entries.noOwner')}</span>}</td>
                    <td>
                      <span className={css.nowrap}>{e.verifyBy ? formatDay(e.verifyBy, i18n.language) : t('portal.entries.neverVerified')}</span> {e.overdue && <OverdueBadge />}
                    </td>
                    <td className={css.reuse}>{t('portal.entries.reuse', e.reuse)}</td>
                    <td>
                      <DraftCell e={e} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
