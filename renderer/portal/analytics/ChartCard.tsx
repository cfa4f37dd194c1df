import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Table2 } from 'lucide-react';
import { EChart } from './EChart';
import type { Chart, ChartTheme } from './options';
import type { Drill } from './query';
import type { Table } from './tables';
import portal from '../Portal.module.css';
import css from './Analytics.module.css';

/** A table of a chart's figures: a caption, column and row headers; a row with records of its own opens them. */
export function DataTable({ caption, table, onDrill }: { caption: string; table: Table; onDrill?: (d: Drill) => void }) {
  const { t } = useTranslation();
  const numeric = (i: number) => (table.columns[i]?.numeric ? portal.number : undefined);
  return (
    // Focusable, so a table wider than its card (the heatmap's hours) scrolls from the keyboard too.
    <div className={`${portal.tableWrap} ${css.scroll}`} role="region" aria-label={caption} tabIndex={0}>
      <table className={portal.table}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {table.columns.map((c, i) => (
              <th key={i} scope="col" className={numeric(i)}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">
                {r.drill && onDrill ? (
                  <button type="button" className="link-button" aria-label={t('portal.analytics.drill.open', { label: r.drill.label })} onClick={() => onDrill(r.drill as Drill)}>
                    {r.header}
                  </button>
                ) : (
                  r.header
                )}
              </th>
              {r.cells.map((c, i) => (
                <td key={i} className={numeric(i + 1)}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {table.foot && (
          <tfoot>
            <tr>
              <th scope="row">{table.foot.header}</th>
              {table.foot.cells.map((c, i) => (
                <td key={i} className={numeric(i + 1)}>
                  {c}
                </td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

/**
 * One chart of the dashboard: its title, a note on what it counts, the chart, and 표 보기, which
 * shows the same figures as a table instead; "no data" rather than an empty frame.
 */
export function ChartCard(p: {
  name: string;
  title: string;
  note?: ReactNode;
  empty: boolean;
  build: (theme: ChartTheme) => Chart;
  table: Table;
  /** The table's caption when the title alone does not say what its numbers count. */
  caption?: string;
  onDrill: (d: Drill) => void;
  wide?: boolean;
  tall?: boolean;
  /** A switch over the chart (the heatmap's measure). */
  controls?: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [asTable, setAsTable] = useState(false);
  return (
    <section aria-labelledby={id} className={p.wide ? `${portal.card} ${css.wide}` : portal.card} data-chart={p.name}>
      <div className={css.cardHead}>
        <h2 id={id}>{p.title}</h2>
        {!p.empty && (
          <button type="button" className={css.tableToggle} aria-pressed={asTable} aria-label={t('portal.analytics.showTableOf', { title: p.title })} onClick={() => setAsTable(!asTable)}>
            <Table2 aria-hidden size={16} />
            {t('portal.analytics.showTable')}
          </button>
        )}
      </div>
      {p.note && <p className="meta">{p.note}</p>}
      {p.controls}
      {p.empty ? (
        <p className={css.empty}>{t('portal.analytics.empty')}</p>
      ) : (
        <>
          {/* Hidden, not gone, while the table shows: the chart keeps its state and comes back at once. */}
          <div hidden={asTable}>
            <EChart build={p.build} onDrill={p.onDrill} tall={p.tall} />
          </div>
          {asTable && <DataTable caption={p.caption ?? p.title} table={p.table} onDrill={p.onDrill} />}
        </>
      )}
    </section>
  );
}
