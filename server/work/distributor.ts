import type { CallbackPolicy, OpeningHours } from '../../shared/callback';
import { normalisePhone, type PhoneContext } from '../../shared/phone';
import { offerCallbacks, requestCallback, type Offer, type ReadyAgent } from '../store/callbacks';
import { offerThreads, type ThreadOffer } from '../store/text-threads';
import { takeQueueLog } from '../store/queue-log';
import { dueReservations } from '../store/reservations';
import type { PresenceBoard } from '../store/presence';
import { getSetting } from '../store/settings';
import type { Db } from '../store/sql';

export interface Distributor {
  /** One round of offers now (after an agent turns ready; and on the server's timer). */
  run(): Promise<{ callbacks: Offer[]; threads: ThreadOffer[] }>;
  /** Resolves once no round is running (before the store closes). */
  idle(): Promise<void>;
}

/**
 * Each round: takes Kamailio's unanswered calls and reservations come due as callback requests
 * (and sends reservation reminders), and Kamailio's queue log for the analysis
 * (store/queue-log.ts), then offers due callbacks to ready agents
 * (store/callbacks.ts: offerCallbacks), then citizens' text threads to those left
 * (store/text-threads.ts: offerThreads), reading who is ready
 * and how many calls wait where the SIP server keeps them. Rounds of one instance run one after
 * another; instances on one database take turns under the store's write lock.
 */
export function createDistributor(o: { db: Db; presence: PresenceBoard; clock: () => Date; sip: Db; phone: PhoneContext }): Distributor {
  let last: Promise<unknown> = Promise.resolve();
  const round = async (): Promise<{ callbacks: Offer[]; threads: ThreadOffer[] }> => {
    const now = o.clock();
    const [reservations, policy, hours, texts] = await Promise.all([getSetting(o.db, 'reservations'), getSetting(o.db, 'callbacks'), getSetting(o.db, 'openingHours'), getSetting(o.db, 'texts')]);
    await takeAbandoned(o, policy, hours);
    await takeQueueLog(o, now);
    await dueReservations(o.db, { now, settings: reservations, policy, hours });
    const [agents, waiting] = await Promise.all([o.presence.list(), o.presence.waiting(now)]);
    const ready = await readyAgents(o.db, agents.filter((a) => a.state === 'ready'));
    const callbacks = await offerCallbacks(o.db, { ready, callsWaiting: waiting.count, now, offerSeconds: policy.offerSeconds });
    // One offer at a time: an agent just offered a callback is offered no text this round.
    const busy = new Set(callbacks.map((c) => c.agent));
    const threads = await offerThreads(o.db, { ready, busy, callsWaiting: waiting.count, now, offerSeconds: policy.offerSeconds, maxPerAgent: texts.maxThreadsPerAgent });
    return { callbacks, threads };
  };
  return {
    run() {
      const next = last.then(round, round);
      last = next.catch(() => undefined);
      return next;
    },
    idle: () => last.then(() => undefined),
  };
}

/** Presence is by username (what the SIP server knows); work is offered to user ids, of enabled agents only. */
async function readyAgents(db: Db, ready: readonly { username: string; since: Date }[]): Promise<ReadyAgent[]> {
  if (ready.length === 0) return [];
  const marks = ready.map(() => '?').join(', ');
  const ids = new Map(
    (await db.all<{ id: string; username: string }>(`SELECT id, username FROM users WHERE role = 'agent' AND disabled = 0 AND username IN (${marks})`, ready.map((a) => a.username))).map((u) => [u.username, u.id]),
  );
  return ready.flatMap((a) => (ids.has(a.username) ? [{ id: ids.get(a.username) as string, since: a.since }] : []));
}

/**
 * Calls to the representative number nobody answered, as Kamailio recorded them, become callback
 * requests when the city wants that (asked when the citizen called). Each is taken under its
 * call's key before its row goes, so a crash in between takes it again as the same request.
 */
async function takeAbandoned(o: { db: Db; sip: Db; phone: PhoneContext }, policy: CallbackPolicy, hours: OpeningHours): Promise<void> {
  const calls = await o.sip.all<{ call_id: string; caller: string; at: number }>('SELECT call_id, caller, at FROM abandoned_calls ORDER BY at LIMIT 100');
  for (const c of calls) {
    const n = normalisePhone(c.caller, o.phone);
    if (policy.fromAbandoned && n.kind === 'e164' && n.e164.startsWith('+82')) {
      await requestCallback(o.db, { source: 'abandoned', number: n.e164, numberRaw: c.caller, idempotencyKey: `abandoned:${c.call_id}` }, { now: new Date(Number(c.at) * 1000), policy, hours });
    }
    await o.sip.run('DELETE FROM abandoned_calls WHERE call_id = ?', [c.call_id]);
  }
}
