import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { DailySummary, SyncStatus } from '../../shared/contract';
import { DailySummaryPanel } from './DailySummaryPanel';
import { formatTime } from '../i18n/format';
import type { Department } from '../../shared/directory';
import type { District, TaxonomyCategory } from '../../shared/settings';
import type { ConsultationStore } from './consultation-store';
import { ScreenPopPanel } from './ScreenPopPanel';
import { WrapUpPanel } from './WrapUpPanel';

/** The caller's side of the call at hand: the screen-pop; the drafts the wrap-up time ran out on; the agent's day and flags. */
export function CallerPanel(p: { store: ConsultationStore; sync: SyncStatus | null; loadDaily: () => Promise<DailySummary>; openEntry: (id: string) => void; myFlags: ReactNode }) {
  const { t, i18n } = useTranslation();
  const s = useStore(p.store);
  return (
    <div className="consultation">
      <ScreenPopPanel store={p.store} sync={p.sync} openEntry={p.openEntry} />
      {s.drafts.length > 0 && (
        <section aria-label={t('consult.drafts')}>
          <h3>{t('consult.drafts')}</h3>
          <ul>
            {s.drafts.map((d) => (
              <li key={d.id}>
                <button type="button" onClick={() => s.resumeDraft(d.id)}>
                  {t('consult.resume', { time: formatTime(d.startedAt, i18n.language), caller: d.callerNumber || t('consult.withheld') })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <DailySummaryPanel load={p.loadDaily} />
      {p.myFlags}
    </div>
  );
}

export interface RecordPanelProps {
  store: ConsultationStore;
  taxonomy: readonly TaxonomyCategory[];
  districts: readonly District[];
  departments: readonly Department[];
  onSaved: () => void;
  /** Shown when the call ends in a promised callback: its time, kept by the city. */
  callbackForm: ReactNode;
  /** The city's protected break, offered after a call ended under the abusive-caller protocol. */
  onSavedToProtectedBreak?: () => void;
}

/** The record of the call at hand: notes during the call, the wrap-up after it. */
export function RecordPanel(p: RecordPanelProps) {
  const s = useStore(p.store);
  const departments = p.departments;
  // A transfer to a directory extension files the record under that extension's department.
  const transferredTo = s.current?.transferredTo;
  useEffect(() => {
    if (!transferredTo || s.current?.department) return;
    const d = departments.find((x) => x.staff.some((m) => m.extension === transferredTo));
    if (d) s.setDepartment(d.id);
  }, [transferredTo, departments, s]);
  const titles = new Map(s.current?.pop?.suggestions.map((e) => [e.id, e.title]) ?? []);
  return <WrapUpPanel store={p.store} taxonomy={p.taxonomy} districts={p.districts} departments={departments} titleOf={(id) => titles.get(id) ?? id} onSaved={p.onSaved} callbackForm={p.callbackForm} {...(p.onSavedToProtectedBreak ? { onSavedToProtectedBreak: p.onSavedToProtectedBreak } : {})} />;
}
