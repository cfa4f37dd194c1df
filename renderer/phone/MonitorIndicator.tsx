import { useTranslation } from 'react-i18next';
import { useStore, type StoreApi } from 'zustand';
import type { MonitorMode } from '../../shared/monitoring';

/**
 * Tells the agent a team lead is on the call: always for whisper and barge (the agent hears
 * them), for listening only where the city's policy says so.
 */
export function MonitorIndicator({ store, showListen }: { store: StoreApi<{ session: { lead: string; mode: MonitorMode } | null }>; showListen: boolean }) {
  const { t } = useTranslation();
  const session = useStore(store, (s) => s.session);
  if (!session || (session.mode === 'listen' && !showListen)) return null;
  return (
    <p className="monitor-indicator" role="status" aria-label={t('board.monitor')}>
      {t('board.indicator', { lead: session.lead, mode: t(`board.mode.${session.mode}`) })}
    </p>
  );
}
