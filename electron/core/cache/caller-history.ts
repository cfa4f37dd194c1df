import type { CallerHistory } from '../../../shared/contract';
import { normalisePhone, type PhoneContext } from '../../../shared/phone';
import type { HistoryItem } from '../../../shared/record';
import type { CacheDb } from './cache-db';

interface HistoryRow {
  id: string;
  caller_e164: string | null;
  agent_id: string;
  started_at: string;
  ended_at: string;
  category: string;
  outcome: HistoryItem['outcome'];
  manual_ids: string;
  notes: string;
  department: string | null;
  pending: number;
}

/** Caller lookups for screen-pop, from the local cache only, so they work offline. */
export function createHistoryReader(db: CacheDb, phone: PhoneContext, clock: () => Date) {
  const recent = db.prepare('SELECT * FROM history WHERE caller_e164 = ? ORDER BY started_at DESC LIMIT ?');
  const since = db.prepare('SELECT COUNT(*) AS n FROM history WHERE caller_e164 = ? AND started_at >= ?');
  return {
    lookup(number: string, limit: number): CallerHistory {
      const caller = normalisePhone(number, phone);
      if (caller.kind !== 'e164') return { caller, items: [], callsLast30Days: 0 };
      const rows = recent.all(caller.e164, limit) as HistoryRow[];
      const monthAgo = new Date(clock().getTime() - 30 * 86_400_000).toISOString();
      return {
        caller,
        items: rows.map((r) => ({
          id: r.id,
          callerE164: r.caller_e164,
          agentId: r.agent_id,
          startedAt: r.started_at,
          endedAt: r.ended_at,
          category: r.category,
          outcome: r.outcome,
          manualIds: JSON.parse(r.manual_ids) as string[],
          notes: r.notes,
          department: r.department,
          pending: r.pending !== 0,
        })),
        callsLast30Days: (since.get(caller.e164, monthAgo) as { n: number }).n,
      };
    },
  };
}
