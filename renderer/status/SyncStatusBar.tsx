import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../shared/contract';

const timeOf = (iso: string | null, never: string) => (iso ? new Date(iso).toLocaleTimeString() : never);

/** The desk's link to the city server, always visible: agents must know when they work from the cache. */
export function SyncStatusBar({ status, connected }: { status: SyncStatus | null; connected: boolean }) {
  const { t } = useTranslation();
  const never = t('sync.never');
  let text = t('sync.disconnected');
  if (connected && status) {
    text =
      status.state === 'online'
        ? t('sync.online', { time: timeOf(status.lastSyncedAt, never) })
        : status.state === 'syncing'
          ? t('sync.syncing')
          : t('sync.offline', { since: timeOf(status.offlineSince, never), last: timeOf(status.lastSyncedAt, never) });
  }
  return (
    <footer className={`sync sync-${connected ? (status?.state ?? 'syncing') : 'disconnected'}`} role="status" aria-live="polite">
      {text}
    </footer>
  );
}
