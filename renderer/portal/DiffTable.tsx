import { useTranslation } from 'react-i18next';
import { diffContent, type FieldDiff, type Piece } from './field-diff';
import type { EntryContent } from './fields';
import css from './Portal.module.css';

/** A field's label: 업무개요 for the body, the section names of the desk. */
export function useFieldLabel() {
  const { t } = useTranslation();
  return (field: string) => t(`portal.fields.${field}`);
}

function Pieces({ field, pieces }: { field: FieldDiff['field']; pieces: Piece[] }) {
  const { t } = useTranslation();
  // The kind is stored as a code: shown as its word.
  const text = (p: Piece) => (field === 'kind' ? t(`portal.kinds.${p.text}`) : p.text);
  return (
    <div className={css.longText}>
      {pieces.map((p, i) =>
        p.kind === 'added' ? (
          <ins key={i}>
            <span className={css.srOnly}>{t('portal.diff.addedMark')}</span>
            {text(p)}
          </ins>
        ) : p.kind === 'removed' ? (
          <del key={i}>
            <span className={css.srOnly}>{t('portal.diff.removedMark')}</span>
            {text(p)}
          </del>
        ) : (
          <span key={i}>{text(p)}</span>
        ),
      )}
    </div>
  );
}

/**
 * Two versions of an entry side by side, field by field: the older with what went struck
 * through (<del>), the newer with what came underlined (<ins>), each also named for screen readers.
 */
export function DiffTable(p: { caption: string; before: EntryContent | null; after: EntryContent | null; beforeLabel: string; afterLabel: string }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const diffs = diffContent(p.before, p.after);
  const changed = diffs.filter((d) => d.changed).length;
  return (
    <div>
      <p className="meta">
        {t('portal.diff.legend', { count: changed })} <ins>{t('portal.diff.added')}</ins> <del>{t('portal.diff.removed')}</del>
      </p>
      <div className={css.tableWrap}>
        <table className={`${css.table} ${css.diff}`}>
          <caption className={css.srOnly}>{p.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('portal.diff.field')}</th>
              <th scope="col">{p.beforeLabel}</th>
              <th scope="col">{p.afterLabel}</th>
            </tr>
          </thead>
          <tbody>
            {diffs.map((d) => (
              <tr key={d.field} data-changed={d.changed || undefined} data-field={d.field}>
                <th scope="row">
                  {label(d.field)}
                  <span className={css.sub}>{d.changed ? t('portal.diff.changed') : t('portal.diff.same')}</span>
                </th>
                <td>
                  <Pieces field={d.field} pieces={d.before} />
                </td>
                <td>
                  <Pieces field={d.field} pieces={d.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
