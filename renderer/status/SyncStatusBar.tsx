import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../shared/contract';
import { formatTime } from '../i18n/format';


/** The desk's link to the city server, always visible: agents must know when they work from the cache. */
export function SyncStatusBar({ status, connected }: { status: SyncStatus | null; connected: boolean }) {
  const { t, i18n } = useTranslation();
  const never = t('sync.never');
  const timeOf = (iso: string | null) => (iso ? formatTime(iso, i18n.language) : never);
  let text = t('sync.disconnected');
  if (connected && status) {
    text =
      status.state === 'online'
        ? t('sync.online', { time: timeOf(status.lastSyncedAt) })
        : status.state === 'syncing'
          ? t('sync.syncing')
          : t('sync.offline', { since: timeOf(status.offlineSince), last: timeOf(status.lastSyncedAt) });
  }
  return (
    <footer className={`sync sync-${connected ? (status?.state ?? 'syncing') : 'disconnected'}`} role="status" aria-live="polite">
      {text}
    </footer>
  );
}
