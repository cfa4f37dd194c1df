import type { DailySummary } from '../../../shared/contract';
import { OUTCOMES, type Outcome } from '../../../shared/record';
import { getMeta, type CacheDb } from '../cache/cache-db';

const DAY_MS = 86_400_000;
// Korea keeps no daylight saving time: a Seoul day is always [00:00, 24:00) at +09:00.
const SEOUL_OFFSET = '+09:00';
// Records keep the offset they were written with; one stored as "…+09:00" compares as text by its
// local time, at most 14 hours off UTC. The text range is widened by that, the exact test is on the instant.
const OFFSET_SLACK_MS = 14 * 3_600_000;
const TOP_CATEGORIES = 10;

/** The agent's own day from the local history (synced and not yet uploaded alike), for the desk's summary. */
export function createDailySummary(db: CacheDb) {
  const ofAgent = db.prepare(`
    SELECT started_at, ended_at, category, outcome FROM history
    WHERE agent_id = ? AND started_at >= ? AND started_at < ?`);
  return {
    dailySummary({ day }: { day: string }): DailySummary {
      const from = Date.parse(`${day}T00:00:00${SEOUL_OFFSET}`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(from)) throw new Error(`not a day: ${day}`);
      const to = from + DAY_MS;
      const agentId = getMeta(db, 'agentId');
      const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
      const byCategory = new Map<string, number>();
      let handled = 0;
      let seconds = 0;
      const rows = agentId
        ? (ofAgent.all(agentId, new Date(from - OFFSET_SLACK_MS).toISOString(), new Date(to + OFFSET_SLACK_MS).toISOString()) as {
            started_at: string;
            ended_at: string;
            category: string;
            outcome: Outcome;
          }[])
        : [];
      for (const r of rows) {
        const started = Date.parse(r.started_at);
        if (!(started >= from && started < to)) continue;
        handled++;
        seconds += Math.max(0, (Date.parse(r.ended_at) - started) / 1000);
        byOutcome[r.outcome]++;
        byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + 1);
      }
      return {
        day,
        agentId,
        handled,
        averageHandlingSeconds: handled > 0 ? Math.round((seconds / handled) * 10) / 10 : null,
        byCategory: [...byCategory]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .slice(0, TOP_CATEGORIES)
          .map(([category, count]) => ({ category, count })),
        byOutcome,
      };
    },
  };
}
