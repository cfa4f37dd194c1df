import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { Users } from 'lucide-react';
import type { Queue } from '../../shared/board';
import type { PolledStore } from '../core/polled-store';
import { useNow } from '../core/use-now';
import { elapsed } from '../core/elapsed';

/** Calls waiting for an agent and the longest wait, in the call bar: visible while idle, as agents ask. */
export function QueueIndicator({ store }: { store: PolledStore<Queue> }) {
  const { t } = useTranslation();
  const { value: queue, error } = useStore(store);
  useEffect(() => store.getState().watch(), [store]);
  const oldest = queue?.waiting.oldestSince ? Date.parse(queue.waiting.oldestSince) : null;
  const now = useNow(oldest !== null, 1000);
  const waiting = (queue?.waiting.count ?? 0) > 0 && oldest !== null;
  return (
    <p className={`queue${waiting ? ' queue-waiting' : ''}`} role="status" aria-label={t('queue.label')} data-waiting={queue?.waiting.count ?? ''}>
      <Users aria-hidden size={16} />
      {!queue ? t('queue.unknown') : waiting ? t('queue.waiting', { count: queue.waiting.count, longest: elapsed(oldest, now) }) : t('queue.none')}
      {queue && error && <span className="meta"> {t('queue.stale')}</span>}
    </p>
  );
}
