import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Pin, X } from 'lucide-react';
import { useStore } from 'zustand';
import type { Department } from '../../shared/directory';
import { OUTCOMES } from '../../shared/record';
import { REPORT_KINDS, totalWarnings, type ReportKind } from '../../shared/recording';
import type { District, TaxonomyCategory } from '../../shared/settings';
import type { ConsultationStore } from './consultation-store';

export interface WrapUpPanelProps {
  store: ConsultationStore;
  taxonomy: readonly TaxonomyCategory[];
  /** The city's districts; empty: the wrap-up does not ask for one. */
  districts: readonly District[];
  departments: readonly Department[];
  /** Entry titles for the linked list (from the screen-pop or the search). */
  titleOf: (id: string) => string;
  onSaved: () => void;
  /** The callback's time and number, when the outcome is a promised callback. */
  callbackForm?: ReactNode;
  /** After a call ended under the abusive-caller protocol: save, then the city's protected break. */
  onSavedToProtectedBreak?: () => void;
}

// A district or neighbourhood the city has since taken off its list stays on the record, so it stays a choice.
const withKept = (names: readonly string[], kept: string) => (kept && !names.includes(kept) ? [...names, kept] : names);

/** A labelled choice of names, with an empty first option (`none`). */
function Choice(p: { label: string; value: string; names: readonly string[]; none: string; disabled?: boolean; onChange: (value: string) => void }) {
  return (
    <label>
      {p.label}{' '}
      <select value={p.value} disabled={p.disabled} onChange={(e) => p.onChange(e.target.value)}>
        <option value="">{p.none}</option>
        {p.names.map((x) => (
          <option key={x} value={x}>
            {x}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Live notes during the call, then the wrap-up: category, district, resolution, linked entries, department. */
export function WrapUpPanel({ store, taxonomy, districts, departments, titleOf, onSaved, callbackForm, onSavedToProtectedBreak }: WrapUpPanelProps) {
  const { t } = useTranslation();
  const s = useStore(store);
  const c = s.current;
  if (!c) return <p className="meta idle">{t('consult.idleRecord')}</p>;
  const subs = taxonomy.find((x) => x.name === c.category)?.subcategories ?? [];
  const [district = '', subdistrict = ''] = c.district?.split('/') ?? [];
  const neighbourhoods = districts.find((x) => x.name === district)?.subdistricts ?? [];
  return (
    <section className={`wrap-up wrap-up-${c.phase}`} aria-label={t('consult.wrapUp')}>
      <div className="wrap-up-fields">
      <label className="notes">
        {t('consult.notes')}
        <textarea value={c.notes} maxLength={4000} rows={5} onChange={(e) => s.setNotes(e.target.value)} />
      </label>
      <p className="hint">{t('consult.maskHint')}</p>
      {/* Pairs side by side, so the outcome and save stay in view on a 1366×768 screen. */}
      <div className="wrap-up-pair">
        <Choice label={t('consult.category')} value={c.category} names={taxonomy.map((x) => x.name)} none={t('consult.choose')} onChange={(v) => s.setCategory(v, taxonomy.find((x) => x.name === v)?.subcategories[0] ?? '')} />
        <Choice label={t('consult.subcategory')} value={c.subcategory} names={subs} none={t('consult.choose')} onChange={(v) => s.setCategory(c.category, v)} />
      </div>
      {/* Asked only where the city lists districts; one already on the record stays in view. */}
      {(districts.length > 0 || district !== '') && (
        <div className="wrap-up-pair">
          <Choice label={t('consult.district')} value={district} names={withKept(districts.map((x) => x.name), district)} none={t('consult.notChosen')} onChange={(v) => s.setDistrict(v)} />
          <Choice label={t('consult.subdistrict')} value={subdistrict} names={withKept(neighbourhoods, subdistrict)} none={t('consult.notChosen')} disabled={!district} onChange={(v) => s.setSubdistrict(v)} />
        </div>
      )}
      <fieldset>
        <legend>{t('consult.outcome')}</legend>
        {OUTCOMES.map((o) => (
          <label key={o}>
            <input type="radio" name={`outcome-${c.id}`} value={o} checked={c.outcome === o} onChange={() => s.setOutcome(o)} />
            {t(`consult.outcomes.${o}`)}
          </label>
        ))}
      </fieldset>
      {c.outcome === 'callback' && callbackForm}
      {c.warnings && totalWarnings(c.warnings) > 0 && (
        <p className="wrap-up-protocol" data-warnings={totalWarnings(c.warnings)}>
          {t('consult.warningsGiven', { played: c.warnings.played, spoken: c.warnings.spoken })}
          {c.endReason && ` · ${t('consult.endedAbusive')}`}
        </p>
      )}
      {/* A sexual-harassment or threat report keeps the call's recording until a team lead closes the case. */}
      <label>
        {t('consult.report')}{' '}
        <select value={c.report ?? ''} onChange={(e) => s.setReport((e.target.value || null) as ReportKind | null)}>
          <option value="">{t('consult.reportNone')}</option>
          {REPORT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`consult.reports.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {c.report && <p className="hint">{t('consult.reportHint')}</p>}
      {(c.outcome === 'transferred' || c.department) && (
        <label>
          {t('consult.department')}{' '}
          <select value={c.department ?? ''} onChange={(e) => s.setDepartment(e.target.value || null)}>
            <option value="">{t('consult.choose')}</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {c.transferredTo && <p>{t('consult.transferredTo', { target: c.transferredTo })}</p>}
      <div role="group" aria-label={t('consult.linked')}>
        <p>{t('consult.linked')}</p>
        <ul>
          {c.manualIds.map((id) => (
            <li key={id}>
              {titleOf(id)}{' '}
              <button type="button" aria-pressed={c.pinned.includes(id)} aria-label={t('consult.pin', { title: titleOf(id) })} className="icon-button" onClick={() => s.togglePin(id)}>
                <Pin aria-hidden size={16} fill={c.pinned.includes(id) ? 'currentColor' : 'none'} />
              </button>
              <button type="button" aria-label={t('consult.unlink', { title: titleOf(id) })} className="icon-button" onClick={() => s.unlinkEntry(id)}>
                <X aria-hidden size={16} />
              </button>
            </li>
          ))}
        </ul>
      </div>
      </div>
      {(s.saveError || c.phase === 'wrap-up') && (
        // Below the fields, which scroll: the save stays in view however long the form.
        <div className="wrap-up-actions">
          {s.saveError && <p role="alert">{s.saveError === 'category' ? t('consult.needCategory') : t('consult.saveFailed', { message: s.saveError })}</p>}
          {c.phase === 'wrap-up' && (
            <button type="button" className="primary large" disabled={s.saving} onClick={() => void s.save().then((ok) => ok && onSaved())}>
              {t('consult.save')}
            </button>
          )}
          {c.phase === 'wrap-up' && c.endReason && onSavedToProtectedBreak && (
            <button type="button" className="large" disabled={s.saving} onClick={() => void s.save().then((ok) => ok && onSavedToProtectedBreak())}>
              {t('consult.saveAndRecover')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
