import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { NotReadyReason } from '../../shared/settings';
import { useNow } from '../core/use-now';
import type { AgentStateStoreApi } from './agent-state-store';

/** The agent's availability: ready, not ready (with the city's reasons), break, or after-call work; on a call while the phone is busy. */
export function AgentStatePanel({ store, reasons, onCall }: { store: AgentStateStoreApi; reasons: readonly NotReadyReason[]; onCall: boolean }) {
  const { t, i18n } = useTranslation();
  const s = useStore(store);
  const [reason, setReason] = useState(reasons[0]?.id ?? '');
  const now = useNow(s.state.kind === 'wrap-up', 500);
  const label = (id: string | null) => {
    const r = reasons.find((x) => x.id === id);
    return r ? (i18n.language === 'en' ? r.en : r.ko) : t('agent.notStarted');
  };
  const state = s.state;
  const text = onCall
    ? t('agent.onCall')
    : state.kind === 'ready'
      ? t('agent.ready')
      : state.kind === 'wrap-up'
        ? t('agent.wrapUp', { seconds: Math.max(0, Math.ceil((state.until - now) / 1000)) })
        : state.kind === 'break'
          ? t('agent.onBreak')
          : t('agent.notReady', { reason: label(state.reason) });
  return (
    <section className={`agent-state agent-${onCall ? 'on-call' : state.kind}`} aria-label={t('agent.label')}>
      <p role="status" aria-live="polite" data-agent-state={onCall ? 'on-call' : state.kind}>
        {text}
      </p>
      {state.kind !== 'ready' && (
        <button type="button" onClick={() => s.setReady()}>
          {state.kind === 'wrap-up' ? t('agent.finishWrapUp') : t('agent.becomeReady')}
        </button>
      )}
      <select aria-label={t('agent.reason')} value={reason} onChange={(e) => setReason(e.target.value)}>
        {reasons.map((r) => (
          <option key={r.id} value={r.id}>
            {i18n.language === 'en' ? r.en : r.ko}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => s.setNotReady(reason)}>
        {t('agent.becomeNotReady')}
      </button>
      {state.kind !== 'break' && (
        <button type="button" onClick={() => s.setBreak()}>
          {t('agent.takeBreak')}
        </button>
      )}
    </section>
  );
}
