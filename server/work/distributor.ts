import { offerCallbacks, type Offer } from '../store/callbacks';
import type { PresenceBoard } from '../store/presence';
import { getSetting } from '../store/settings';
import type { Db } from '../store/sql';

export interface Distributor {
  /** One round of offers now (after an agent turns ready; and on the server's timer). */
  run(): Promise<Offer[]>;
  /** Resolves once no round is running (before the store closes). */
  idle(): Promise<void>;
}

/**
 * Offers due callbacks to ready agents (store/callbacks.ts: offerCallbacks), reading who is ready
 * and how many calls wait where the SIP server keeps them. Rounds of one instance run one after
 * another; instances on one database take turns under the store's write lock.
 */
export function createDistributor(o: { db: Db; presence: PresenceBoard; clock: () => Date }): Distributor {
  let last: Promise<unknown> = Promise.resolve();
  const round = async (): Promise<Offer[]> => {
    const now = o.clock();
    const [agents, waiting, policy] = await Promise.all([o.presence.list(), o.presence.waiting(now), getSetting(o.db, 'callbacks')]);
    const ready = agents.filter((a) => a.state === 'ready');
    if (ready.length === 0) return offerCallbacks(o.db, { ready: [], callsWaiting: waiting.count, now, offerSeconds: policy.offerSeconds });
    // Presence is by username (what the SIP server knows); callbacks are offered to user ids.
    const marks = ready.map(() => '?').join(', ');
    const ids = new Map(
      (await o.db.all<{ id: string; username: string }>(`SELECT id, username FROM users WHERE role = 'agent' AND disabled = 0 AND username IN (${marks})`, ready.map((a) => a.username))).map((u) => [u.username, u.id]),
    );
    return offerCallbacks(o.db, {
      ready: ready.flatMap((a) => (ids.has(a.username) ? [{ id: ids.get(a.username) as string, since: a.since }] : [])),
      callsWaiting: waiting.count,
      now,
      offerSeconds: policy.offerSeconds,
    });
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
