import { memo, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Download } from 'lucide-react';
import { daysBetween, EXPORT_FORMATS, MAX_RANGE_DAYS, shareOf, type AnalyticsQuery, type Dashboard, type ExportFormat } from '../../../shared/analytics';
import { CHANNELS, type Channel } from '../../../shared/record';
import { formatDuration, formatNumber, formatSeoulDay } from '../../i18n/format';
import { Done, Loading, RefusalText, ViewHeading } from '../parts';
import { departmentName, usePortal } from '../portal-context';
import { routeHref, sectionsFor } from '../route';
import { saveFile } from '../save-file';
import { useLoad } from '../use-load';
import { ChartCard } from './ChartCard';
import { DrillDown } from './DrillDown';
import { cases, channelLabel, percent, type Lang } from './labels';
import { heatmapChart, outcomesChart, rankedChart, risingChart, volumeChart, type ChartTheme } from './options';
import { defaultQuery, pickOf, QUICK_PICKS, quickRange, type Drill } from './query';
import {
  districtsTable,
  HEAT_METRICS,
  heatmapTable,
  outcomesTable,
  rankedTable,
  repeatsTable,
  risingTable,
  sharedOut,
  subcategoryTable,
  volumeTable,
  type HeatMetric,
  type Ranked,
} from './tables';
import portal from '../Portal.module.css';
import css from './Analytics.module.css';

const validRange = (from: string, to: string) => Boolean(from && to) && from <= to && daysBetween(from, to) <= MAX_RANGE_DAYS;

/** The question: a range (typed, or a quick pick), the channels, the grain. Each change is the address at once. */
function FilterBar({ q, onChange }: { q: AnalyticsQuery; onChange: (q: AnalyticsQuery) => void }) {
  const { t } = useTranslation();
  const ids = { quick: useId(), channels: useId(), grain: useId() };
  // The dates as typed: applied once they make a range the server takes.
  const [typed, setTyped] = useState({ from: q.from, to: q.to });
  const [lastChannel, setLastChannel] = useState(false);
  useEffect(() => setTyped({ from: q.from, to: q.to }), [q.from, q.to]);
  const now = new Date();
  const picked = pickOf(q, now);
  const type = (next: { from: string; to: string }) => {
    setTyped(next);
    if (validRange(next.from, next.to)) onChange({ ...q, ...next });
  };
  const toggle = (c: Channel, on: boolean) => {
    const channels = CHANNELS.filter((x) => (x === c ? on : q.channels.includes(x)));
    // The server counts at least one channel: the last one stays, and the page says why.
    setLastChannel(channels.length === 0);
    if (channels.length > 0) onChange({ ...q, channels });
  };
  const k = (key: string) => t(`portal.analytics.${key}`);
  return (
    <form className={css.filters} aria-label={k('filters')} onSubmit={(e) => e.preventDefault()}>
      <label className={portal.inline}>
        {k('from')}
        <input type="date" value={typed.from} max={typed.to} onChange={(e) => type({ ...typed, from: e.target.value })} />
      </label>
      <label className={portal.inline}>
        {k('to')}
        <input type="date" value={typed.to} min={typed.from} onChange={(e) => type({ ...typed, to: e.target.value })} />
      </label>
      <div className={portal.inline}>
        <span id={ids.quick} className={css.groupLabel}>
          {k('quick')}
        </span>
        <div role="group" aria-labelledby={ids.quick} className={css.segmented}>
          {QUICK_PICKS.map((p) => (
            <button key={p} type="button" aria-pressed={picked === p} onClick={() => onChange({ ...q, ...quickRange(p, now) })}>
              {k(`picks.${p}`)}
            </button>
          ))}
        </div>
      </div>
      <fieldset className={css.fieldset}>
        <legend>{k('channels')}</legend>
        {CHANNELS.map((c) => (
          <label key={c}>
            <input type="checkbox" checked={q.channels.includes(c)} onChange={(e) => toggle(c, e.target.checked)} />
            {t(`consult.channels.${c}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className={css.fieldset}>
        <legend>{k('grain')}</legend>
        {(['day', 'week', 'month'] as const).map((g) => (
          <label key={g}>
            <input type="radio" name={ids.grain} checked={q.grain === g} onChange={() => onChange({ ...q, grain: g })} />
            {k(`grains.${g}`)}
          </label>
        ))}
      </fieldset>
      {!validRange(typed.from, typed.to) && <p role="alert">{t('portal.analytics.badRange', { max: MAX_RANGE_DAYS })}</p>}
      {lastChannel && <p role="alert">{k('noChannel')}</p>}
    </form>
  );
}

/** CSV, Excel and the monthly report of the question, fetched with the token and saved as the server names them. */
function Exports({ q }: { q: AnalyticsQuery }) {
  const { t } = useTranslation();
  const { api } = usePortal();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState<unknown>(null);
  const save = (format: ExportFormat) => {
    setBusy(true);
    setDone('');
    setError(null);
    api
      .exportAnalytics(q, format)
      .then(({ blob, name }) => {
        const file = name ?? `minwon-analysis-${q.from}-${q.to}.${format}`;
        saveFile(blob, file);
        setDone(t('portal.transfer.downloaded', { name: file }));
      })
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(false));
  };
  return (
    <div className={css.exports}>
      <div role="group" aria-labelledby={id} className={portal.actions}>
        <span id={id} className={css.groupLabel}>
          {t('portal.analytics.exports')}
        </span>
        {EXPORT_FORMATS.map((f) => (
          <button key={f} type="button" disabled={busy} onClick={() => save(f)}>
            <Download aria-hidden size={18} />
            {t(`portal.analytics.export.${f}`)}
          </button>
        ))}
      </div>
      <Done text={done} />
      {error ? <RefusalText error={error} /> : null}
    </div>
  );
}

/** The six figures a team lead looks at first. */
function Kpis({ d, l }: { d: Dashboard; l: Lang }) {
  const { t } = useTranslation();
  const id = useId();
  const none = (
    <>
      <span aria-hidden>—</span>
      <span className={portal.srOnly}>{t('portal.analytics.kpi.none')}</span>
    </>
  );
  const duration = (s: number | null) => (s === null ? none : formatDuration(s, l.language));
  const share = (s: number | null) => (s === null ? none : percent(s, l));
  const tiles = [
    { key: 'consultations', value: cases(d.totals.consultations, l), queue: false },
    { key: 'fcr', value: share(d.totals.fcr), queue: false },
    { key: 'aht', value: duration(d.totals.averageHandleSeconds), queue: false },
    { key: 'repeat', value: share(d.totals.repeatShare), queue: false },
    { key: 'abandon', value: share(d.queue.abandonShare), queue: true },
    { key: 'wait', value: duration(d.queue.averageWaitSeconds), queue: true },
  ];
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className={portal.srOnly}>
        {t('portal.analytics.kpi.label')}
      </h2>
      <dl className={css.kpis}>
        {tiles.map((k) => (
          <div key={k.key} className={css.kpi} data-kpi={k.key}>
            <dt>{t(`portal.analytics.kpi.${k.key}`)}</dt>
            <dd className={css.kpiValue}>{k.value}</dd>
            {k.queue && <dd className="meta">{t('portal.analytics.kpi.queue')}</dd>}
          </div>
        ))}
      </dl>
      <p className="meta">{t('portal.analytics.definitions')}</p>
    </section>
  );
}

/** The heatmap with its switch: consultations, or the representative number's calls offered or abandoned. */
function HeatmapCard({ d, l, onDrill }: { d: Dashboard; l: Lang; onDrill: (d: Drill) => void }) {
  const { t } = useTranslation();
  const name = useId();
  const [metric, setMetric] = useState<HeatMetric>('consultations');
  const title = t('portal.analytics.heatmap.title');
  const build = useCallback((theme: ChartTheme) => heatmapChart(d, metric, title, theme, l), [d, metric, title, l]);
  return (
    <ChartCard
      name="heatmap"
      title={title}
      note={t('portal.analytics.heatmap.note')}
      empty={d.heatmap.every((c) => c.consultations + c.offered + c.abandoned === 0)}
      build={build}
      table={heatmapTable(d, metric, l)}
      caption={`${title}: ${t(`portal.analytics.heatmap.metrics.${metric}`)}`}
      onDrill={onDrill}
      controls={
        <fieldset className={css.fieldset}>
          <legend>{t('portal.analytics.heatmap.metric')}</legend>
          {HEAT_METRICS.map((m) => (
            <label key={m}>
              <input type="radio" name={name} checked={metric === m} onChange={() => setMetric(m)} />
              {t(`portal.analytics.heatmap.metrics.${m}`)}
            </label>
          ))}
        </fieldset>
      }
    />
  );
}

/** Knowledge gaps and the entries most linked: the manual's coverage, as lists. */
function Coverage({ d }: { d: Dashboard }) {
  const { t, i18n } = useTranslation();
  const { me } = usePortal();
  const id = useId();
  const l: Lang = { t, language: i18n.language };
  const k = (key: string) => t(`portal.analytics.coverage.${key}`);
  // An analyst has no entries to open: the titles stay text.
  const entries = sectionsFor(me.user.role).includes('entries');
  return (
    <section aria-labelledby={id} className={`${portal.card} ${css.wide}`} data-chart="coverage">
      <h2 id={id}>{k('title')}</h2>
      <div className={css.pair}>
        {d.coverage.gaps.length === 0 ? (
          <p className="meta">{`${k('gaps')}: ${k('none')}`}</p>
        ) : (
          <div className={portal.tableWrap}>
            <table className={portal.table}>
              <caption>{k('gaps')}</caption>
              <thead>
                <tr>
                  <th scope="col">{k('label')}</th>
                  <th scope="col" className={portal.number}>
                    {k('searches')}
                  </th>
                  <th scope="col">{t('portal.fields.category')}</th>
                </tr>
              </thead>
              <tbody>
                {d.coverage.gaps.map((g) => (
                  <tr key={g.label}>
                    <th scope="row">{g.label}</th>
                    <td className={portal.number}>{cases(g.searches, l)}</td>
                    <td>{g.category ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {d.coverage.entries.length === 0 ? (
          <p className="meta">{`${k('entries')}: ${k('none')}`}</p>
        ) : (
          <div className={portal.tableWrap}>
            <table className={portal.table}>
              <caption>{k('entries')}</caption>
              <thead>
                <tr>
                  <th scope="col">{k('entry')}</th>
                  <th scope="col" className={portal.number}>
                    {k('uses')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.coverage.entries.map((e) => (
                  <tr key={e.entryId}>
                    <th scope="row">
                      {entries ? <a href={routeHref({ view: 'entry', id: e.entryId })}>{e.title ?? e.entryId}</a> : (e.title ?? e.entryId)}
                      <span className={portal.sub}>{e.entryId}</span>
                    </th>
                    <td className={portal.number}>{cases(e.n, l)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

/** Every chart of one answer; drawn again only when the answer or the language changes (not when a drill-down opens). */
const Charts = memo(function Charts({ d, onDrill }: { d: Dashboard; onDrill: (d: Drill) => void }) {
  const { t, i18n } = useTranslation();
  const { me } = usePortal();
  const l = useMemo<Lang>(() => ({ t, language: i18n.language }), [t, i18n.language]);
  const q = d.query;
  const k = (key: string) => t(`portal.analytics.${key}`);

  const ranked = useMemo(() => {
    const share = (rows: { key: string; n: number; share: number | null }[], label: (key: string) => string, drill: (key: string) => Drill | null = () => null): Ranked[] =>
      rows.map((r) => ({ key: r.key, label: label(r.key), n: r.n, share: r.share, drill: drill(r.key) }));
    return {
      subcategories: share(d.subcategories.map((s) => ({ key: s.category, n: s.n, share: s.share })), (c) => c, (c) => ({ label: c, category: c })),
      transfers: share(d.transfers, (id) => departmentName(me, id)),
      sources: sharedOut(d.callbacks.bySource.map((r) => ({ key: r.key, label: t(`work.sources.${r.key}`), n: r.n }))),
      states: sharedOut(d.callbacks.byState.map((r) => ({ key: r.key, label: t(`portal.analytics.callbackState.${r.key}`, { defaultValue: r.key }), n: r.n }))),
      repeats: share(d.repeats.map((r) => ({ key: r.category, n: r.n, share: r.share })), (c) => c, (c) => ({ label: c, category: c })),
      districts: share(d.districts.rows.map((r) => ({ key: r.district, n: r.n, share: r.share })), (c) => c, (c) => ({ label: c, district: c })),
    };
  }, [d, me, t]);

  const titles = useMemo(
    () => ({
      volume: t('portal.analytics.volume.title'),
      subcategories: t('portal.analytics.subcategories.title'),
      outcomes: t('portal.analytics.outcomes.title'),
      transfers: t('portal.analytics.transfers.title'),
      sources: t('portal.analytics.callbackSources.title'),
      states: t('portal.analytics.callbackStates.title'),
      repeats: t('portal.analytics.repeats.title'),
      risingCategories: t('portal.analytics.rising.categories'),
      risingKeywords: t('portal.analytics.rising.keywords'),
      districts: t('portal.analytics.districts.title'),
    }),
    [t],
  );
  const builds = useMemo(
    () => ({
      volume: (theme: ChartTheme) => volumeChart(d, q, titles.volume, theme, l),
      subcategories: (theme: ChartTheme) => rankedChart(ranked.subcategories, titles.subcategories, theme, l),
      outcomes: (theme: ChartTheme) => outcomesChart(d, titles.outcomes, theme, l),
      transfers: (theme: ChartTheme) => rankedChart(ranked.transfers, titles.transfers, theme, l, 1),
      sources: (theme: ChartTheme) => rankedChart(ranked.sources, titles.sources, theme, l, 2),
      states: (theme: ChartTheme) => rankedChart(ranked.states, titles.states, theme, l, 4),
      repeats: (theme: ChartTheme) => rankedChart(ranked.repeats, titles.repeats, theme, l, 3),
      risingCategories: (theme: ChartTheme) => risingChart(d.rising.categories, titles.risingCategories, theme, l, true),
      risingKeywords: (theme: ChartTheme) => risingChart(d.rising.keywords, titles.risingKeywords, theme, l, false),
      districts: (theme: ChartTheme) => rankedChart(ranked.districts, titles.districts, theme, l, 5),
    }),
    [d, q, l, ranked, titles],
  );
  const risingNote = t('portal.analytics.rising.note', {
    from: formatSeoulDay(q.from, l.language),
    to: formatSeoulDay(q.to, l.language),
    previousFrom: formatSeoulDay(d.previous.from, l.language),
    previousTo: formatSeoulDay(d.previous.to, l.language),
  });
  const total = d.totals.consultations;

  return (
    <div className={css.grid}>
      <ChartCard name="volume" title={titles.volume} note={k('volume.note')} empty={total === 0} build={builds.volume} table={volumeTable(d, q, l)} onDrill={onDrill} wide />
      <ChartCard name="subcategories" title={titles.subcategories} note={k('subcategories.note')} empty={d.subcategories.length === 0} build={builds.subcategories} table={subcategoryTable(d, l)} onDrill={onDrill} tall />
      <ChartCard name="outcomes" title={titles.outcomes} empty={d.outcomes.length === 0} build={builds.outcomes} table={outcomesTable(d, l)} onDrill={onDrill} tall />
      <HeatmapCard d={d} l={l} onDrill={onDrill} />
      <ChartCard name="repeats" title={titles.repeats} empty={d.repeats.length === 0} build={builds.repeats} table={repeatsTable(d, l)} onDrill={onDrill} />
      <ChartCard name="transfers" title={titles.transfers} note={k('transfers.note')} empty={d.transfers.length === 0} build={builds.transfers} table={rankedTable(ranked.transfers, k('transfers.department'), l)} onDrill={onDrill} />
      <ChartCard
        name="districts"
        title={titles.districts}
        note={t('portal.analytics.districts.note', { recorded: formatNumber(d.districts.recorded, l.language), share: percent(shareOf(d.districts.recorded, total), l) })}
        empty={d.districts.rows.length === 0}
        build={builds.districts}
        table={districtsTable(d, l)}
        onDrill={onDrill}
      />
      <ChartCard
        name="callback-sources"
        title={titles.sources}
        note={t('portal.analytics.callbackSources.note', { count: formatNumber(d.callbacks.requested, l.language) })}
        empty={d.callbacks.bySource.every((r) => r.n === 0)}
        build={builds.sources}
        table={rankedTable(ranked.sources, k('callbackSources.source'), l)}
        onDrill={onDrill}
      />
      <ChartCard name="callback-states" title={titles.states} empty={d.callbacks.byState.every((r) => r.n === 0)} build={builds.states} table={rankedTable(ranked.states, k('callbackStates.state'), l)} onDrill={onDrill} />
      <ChartCard name="rising-categories" title={titles.risingCategories} note={risingNote} empty={d.rising.categories.length === 0} build={builds.risingCategories} table={risingTable(d.rising.categories, t('portal.fields.category'), l, true)} onDrill={onDrill} />
      <ChartCard name="rising-keywords" title={titles.risingKeywords} note={risingNote} empty={d.rising.keywords.length === 0} build={builds.risingKeywords} table={risingTable(d.rising.keywords, k('rising.keyword'), l, false)} onDrill={onDrill} />
      <Coverage d={d} />
    </div>
  );
});

/** 민원 분석: the dashboard of the consultation records, for team leads and the city's analysts. */
export default function AnalyticsView({ query }: { query: AnalyticsQuery | null }) {
  const { t, i18n } = useTranslation();
  const { api, navigate } = usePortal();
  // `#/analytics` alone: the default question, fixed when the view opens.
  const [fallback] = useState(() => defaultQuery(new Date()));
  const q = query ?? fallback;
  const key = `${q.from}|${q.to}|${q.channels.join(',')}|${q.grain}`;
  const loaded = useLoad(() => api.dashboard(q), [api, key]);
  const [drill, setDrill] = useState<Drill | null>(null);
  const onDrill = useCallback((d: Drill) => setDrill(d), []);
  const d = loaded.value;
  const ask = (next: AnalyticsQuery) => navigate({ view: 'analytics', query: next }, { replace: true });
  const showing = d?.query ?? q;

  return (
    <>
      <div className={portal.viewHead}>
        <ViewHeading text={t('portal.analytics.title')} />
        <Exports q={q} />
      </div>
      <p className="meta">{t('portal.analytics.intro')}</p>
      <FilterBar q={q} onChange={ask} />
      <p role="status" className={css.showing}>
        {loaded.loading
          ? t('portal.loading')
          : t('portal.analytics.showing', {
              from: formatSeoulDay(showing.from, i18n.language),
              to: formatSeoulDay(showing.to, i18n.language),
              days: daysBetween(showing.from, showing.to),
              channels: showing.channels.map((c) => channelLabel(c, { t, language: i18n.language })).join(', '),
            })}
      </p>
      {loaded.error ? <RefusalText error={loaded.error} /> : null}
      {!d ? (
        !loaded.error && <Loading />
      ) : (
        <>
          <Kpis d={d} l={{ t, language: i18n.language }} />
          <p className="meta">{t('portal.analytics.drillHint')}</p>
          <Charts d={d} onDrill={onDrill} />
        </>
      )}
      {drill && d && <DrillDown drill={drill} query={d.query} onClose={() => setDrill(null)} />}
    </>
  );
}
