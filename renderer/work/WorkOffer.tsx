import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { PhoneOutgoing } from 'lucide-react';
import { CALLBACK_OUTCOMES, type Callback } from '../../shared/callback';
import { elapsed } from '../core/elapsed';
import { formatClock } from '../i18n/format';
import { national, reasonText } from './read-aloud';
import { useNow } from '../core/use-now';
import type { WorkStore } from './work-store';


function Outcomes({ store, id, attemptId, first }: { store: WorkStore; id: string; attemptId: string; first: (typeof CALLBACK_OUTCOMES)[number] }) {
  const { t } = useTranslation();
  const busy = useStore(store, (s) => s.busy);
  // The likely answer first: reached after a call the citizen answered, else no answer.
  const order = [first, ...CALLBACK_OUTCOMES.filter((o) => o !== first)];
  return (
    <span role="group" aria-label={t('work.outcome')} className="work-actions">
      {order.map((o, i) => (
        <button key={o} type="button" className={i === 0 ? 'primary' : undefined} disabled={busy} onClick={() => void store.getState().settle(id, attemptId, o)}>
          {t(`work.outcomes.${o}`)}
        </button>
      ))}
    </span>
  );
}

/**
 * The callback the desk is offered or working on, on the line under the call bar: the offer with
 * its countdown (take it and the desk dials, or pass it on), the call in progress, then its
 * outcome in one click; and a dial this desk never settled (it restarted mid-dial).
 */
export function WorkOffer({ store }: { store: WorkStore }) {
  const { t, i18n } = useTranslation();
  const { callbacks, active, busy, error } = useStore(store);
  useEffect(() => store.getState().watch(), [store]);
  const offer = callbacks.find((c) => c.state === 'offered');
  const unsettled = callbacks.find((c) => c.openAttempt && c.openAttempt.id !== active?.attemptId);
  const now = useNow(!!offer, 1000);
  const topic = (c: Callback) => (c.topic ? t(`work.topics.${c.topic}`, { defaultValue: c.topic }) : null);
  const what = (c: Callback) => [national(c.number), topic(c)].filter(Boolean).join(' · ');
  const failure = error && (
    <span className="meta" role="alert">
      {t('work.failed', { reason: reasonText(t, error) })}
    </span>
  );

  if (active) {
    const c = callbacks.find((x) => x.id === active.id);
    return (
      <div className="work-line" role="region" aria-label={t('work.label')} data-work="active">
        <PhoneOutgoing aria-hidden size={18} />
        <span>{t(active.ended ? 'work.ended' : 'work.dialling', { who: c ? what(c) : active.dialled })}</span>
        {active.ended && <Outcomes store={store} id={active.id} attemptId={active.attemptId} first={active.connected ? 'reached' : 'no-answer'} />}
        {failure}
      </div>
    );
  }
  if (unsettled?.openAttempt) {
    return (
      <div className="work-line" role="region" aria-label={t('work.label')} data-work="unsettled">
        <PhoneOutgoing aria-hidden size={18} />
        <span>{t('work.unsettled', { who: what(unsettled), at: formatClock(unsettled.openAttempt.startedAt, i18n.language) })}</span>
        <Outcomes store={store} id={unsettled.id} attemptId={unsettled.openAttempt.id} first="no-answer" />
        {failure}
      </div>
    );
  }
  if (offer) {
    const left = Math.max(0, Math.ceil(((offer.offerUntil ? Date.parse(offer.offerUntil) : now) - now) / 1000));
    return (
      <div className="work-line work-offer" role="region" aria-label={t('work.label')} data-work="offer">
        <PhoneOutgoing aria-hidden size={18} />
        <span>
          {t('work.offer', { who: what(offer) })} · <time dateTime={offer.askedAt}>{t('work.waited', { waited: elapsed(Date.parse(offer.askedAt), now) })}</time>
          {offer.attempts > 0 && <span className="meta"> {t('work.attempts', { count: offer.attempts })}</span>}
        </span>
        <time className="meta" dateTime={offer.offerUntil ?? undefined}>
          {t('work.left', { seconds: left })}
        </time>
        <span className="work-actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void store.getState().accept(offer.id)}>
            {t('work.accept')}
          </button>
          <button type="button" disabled={busy} onClick={() => void store.getState().decline(offer.id)}>
            {t('work.decline')}
          </button>
        </span>
        {failure}
      </div>
    );
  }
  return failure ? <div className="work-line">{failure}</div> : null;
}
