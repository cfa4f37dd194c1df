import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { MessageSquareText } from 'lucide-react';
import { elapsed } from '../core/elapsed';
import { useNow } from '../core/use-now';
import { national } from '../work/read-aloud';
import type { TextsStore } from './texts-store';

/**
 * A citizen's text offered to this agent, on the line under the call bar whatever tab is in front:
 * who, how long they have waited, the seconds left; taking it brings the conversation forward.
 */
export function TextOffer({ store, me, onTake }: { store: TextsStore; me: string; onTake: () => void }) {
  const { t } = useTranslation();
  const { threads, busy } = useStore(store);
  const offer = threads.find((th) => th.offeredTo === me);
  const now = useNow(!!offer, 1000);
  if (!offer) return null;
  const left = Math.max(0, Math.ceil(((offer.offerUntil ? Date.parse(offer.offerUntil) : now) - now) / 1000));
  return (
    <div className="work-line work-offer" role="region" aria-label={t('texts.offerLabel')} data-text-offer={offer.id}>
      <MessageSquareText aria-hidden size={18} />
      <span>
        {t('texts.offer', { who: national(offer.number) })} · <time dateTime={offer.lastInAt}>{t('work.waited', { waited: elapsed(Date.parse(offer.lastInAt), now) })}</time>
      </span>
      <time className="meta" dateTime={offer.offerUntil ?? undefined}>
        {t('work.left', { seconds: left })}
      </time>
      <span className="work-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void store.getState().take(offer.id).then(onTake)}>
          {t('texts.take')}
        </button>
        <button type="button" disabled={busy} onClick={() => void store.getState().decline(offer.id)}>
          {t('texts.decline')}
        </button>
      </span>
    </div>
  );
}
