import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FilePlus2 } from 'lucide-react';
import { Loading, RefusalText, ViewHeading } from './parts';
import { departmentName, usePortal, writesFor } from './portal-context';
import { lastWeeks } from './period';
import { routeHref } from './route';
import type { GapReport } from './schemas';
import { useLoad } from './use-load';
import css from './Portal.module.css';

type Group = GapReport['groups'][number];

/** "12-01" for the week of Monday 2025-12-01: short enough for a row of weeks. */
const weekLabel = (monday: string) => monday.slice(5);

function GroupCard({ group }: { group: Group }) {
  const { t } = useTranslation();
  const { me } = usePortal();
  const id = useId();
  const prefill = { title: group.label, keywords: group.terms, ...(group.category ? { category: group.category } : {}) };
  return (
    <li className={css.card} data-gap={group.label}>
      <article aria-labelledby={id}>
        <div className={css.cardHead}>
          <h3 id={id} className={css.cardTitle}>
            {group.label}
          </h3>
          <span className={css.count}>{t('portal.gaps.count', { count: group.count })}</span>
        </div>
        <p className="meta">
          {group.category ?? t('portal.gaps.noCategory')}
          {group.department ? ` · ${departmentName(me, group.department)}` : ''}
          {group.terms.length > 0 && ` · ${t('portal.gaps.terms', { terms: group.terms.join(', ') })}`}
        </p>
        <h4>{t('portal.gaps.wordings')}</h4>
        <ul className={css.wordings}>
          {group.wordings.map((w) => (
            <li key={w.query}>
              {w.query} <span className="meta">{t('portal.gaps.count', { count: w.count })}</span>
            </li>
          ))}
        </ul>
        <p className="meta">{t('portal.gaps.weeks', { weeks: group.weeks.map((w) => t('portal.gaps.week', { week: weekLabel(w.week), count: w.count })).join(', ') })}</p>
        {writesFor(me, me.user.department) && (
          <a className={css.buttonLink} href={routeHref({ view: 'new-draft', prefill })} aria-label={t('portal.gaps.newDraftFor', { label: group.label })}>
            <FilePlus2 aria-hidden size={18} />
            {t('portal.gaps.newDraft')}
          </a>
        )}
      </article>
    </li>
  );
}

/** 지식 공백: the questions agents searched the manual for in vain, grouped, and the consultations that ended without an entry or in a transfer. */
export function GapsView() {
  const { t } = useTranslation();
  const { api } = usePortal();
  const [period, setPeriod] = useState(() => lastWeeks(new Date(), 4));
  const [typed, setTyped] = useState(period);
  const loaded = useLoad(() => api.gaps(period), [api, period.from, period.to]);
  const ids = { groups: useId(), consultations: useId() };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typed.from && typed.to && typed.from <= typed.to) setPeriod(typed);
  };
  const report = loaded.value;
  return (
    <>
      <ViewHeading text={t('portal.gaps.title')} />
      <p className="meta">{t('portal.gaps.intro')}</p>
      <form className={css.toolbar} onSubmit={submit} aria-label={t('portal.gaps.period')}>
        <label className={css.inline}>
          {t('portal.gaps.from')}
          <input type="date" value={typed.from} max={typed.to} onChange={(e) => setTyped({ ...typed, from: e.target.value })} />
        </label>
        <label className={css.inline}>
          {t('portal.gaps.to')}
          <input type="date" value={typed.to} min={typed.from} onChange={(e) => setTyped({ ...typed, to: e.target.value })} />
        </label>
        <button type="submit">{t('portal.gaps.show')}</button>
      </form>
      {loaded.error ? <RefusalText error={loaded.error} /> : null}
      {!report ? (
        !loaded.error && <Loading />
      ) : (
        <>
          <p role="status" className="meta">
            {t('portal.gaps.summary', { searches: report.searches, groups: report.groups.length })}
          </p>
          <section aria-labelledby={ids.groups} className={css.block}>
            <h2 id={ids.groups}>{t('portal.gaps.groupsTitle')}</h2>
            {report.groups.length === 0 ? (
              <p className="meta">{t('portal.gaps.noGroups')}</p>
            ) : (
              <ul className={css.cardGrid}>
                {report.groups.map((g) => (
                  <GroupCard key={g.label} group={g} />
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby={ids.consultations} className={css.block}>
            <h2 id={ids.consultations}>{t('portal.gaps.consultationsTitle')}</h2>
            {report.consultations.length === 0 ? (
              <p className="meta">{t('portal.gaps.noConsultations')}</p>
            ) : (
              <div className={css.tableWrap}>
                <table className={css.table}>
                  <caption className={css.srOnly}>{t('portal.gaps.consultationsTitle')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('portal.fields.category')}</th>
                      <th scope="col">{t('portal.gaps.weekOf')}</th>
                      <th scope="col" className={css.number}>
                        {t('portal.gaps.unlinked')}
                      </th>
                      <th scope="col" className={css.number}>
                        {t('portal.gaps.transferred')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.consultations.map((c) => (
                      <tr key={`${c.category}-${c.week}`}>
                        <td>{c.category}</td>
                        <td>{c.week}</td>
                        <td className={css.number}>{c.unlinked.toLocaleString('ko-KR')}</td>
                        <td className={css.number}>{c.transferred.toLocaleString('ko-KR')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </>
  );
}
