import type { CallerHistory } from '../../../shared/contract';
import { normalisePhone, type PhoneContext } from '../../../shared/phone';
import { historyFromRow, type DeskHistoryRow } from '../../../shared/sql-rows';
import type { CacheDb } from './cache-db';

/** Caller lookups for screen-pop, from the local cache only, so they work offline. */
export function createHistoryReader(db: CacheDb, phone: PhoneContext, clock: () => Date) {
  const recent = db.prepare('SELECT * FROM history WHERE caller_e164 = ? ORDER BY started_at DESC LIMIT ?');
  const since = db.prepare('SELECT COUNT(*) AS n FROM history WHERE caller_e164 = ? AND started_at >= ?');
  return {
    lookup(number: string, limit: number): CallerHistory {
      const caller = normalisePhone(number, phone);
      if (caller.kind !== 'e164') return { caller, items: [], callsLast30Days: 0 };
      const rows = recent.all(caller.e164, limit) as (DeskHistoryRow & { pending: number })[];
      const monthAgo = new Date(clock().getTime() - 30 * 86_400_000).toISOString();
      return {
        caller,
        items: rows.map((r) => ({ ...historyFromRow(r), pending: r.pending !== 0 })),
        callsLast30Days: (since.get(caller.e164, monthAgo) as { n: number }).n,
      };
    },
  };
}
