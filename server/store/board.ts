import type { TeamBoard } from '../../shared/board';
import type { Db } from './db';
import type { PresenceRow } from './presence';

const DAY_MS = 86_400_000;
// Records keep the offset they were written with, so text order is at most 14 hours off the
// instant: the index range is widened by that, and the exact test is on julianday.
const SLACK_MS = 14 * 3_600_000;

/** The Asia/Seoul calendar day of `now` and its bounds (Korea keeps no daylight saving time). */
export function seoulDay(now: Date): { day: string; from: Date; to: Date } {
  const day = new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
  const from = new Date(`${day}T00:00:00+09:00`);
  return { day, from, to: new Date(from.getTime() + DAY_MS) };
}

/** Every agent's state (from the presence board) and day (from the records), for the team lead. */
export function teamBoard(db: Db, presence: readonly PresenceRow[], waiting: { count: number; oldestSince: Date | null }, now: Date): TeamBoard {
  const { day, from, to } = seoulDay(now);
  const agents = db.prepare("SELECT id, username, display_name AS displayName FROM users WHERE role = 'agent' AND disabled = 0 ORDER BY username").all() as {
    id: string;
    username: string;
    displayName: string;
  }[];
  const today = db.prepare(`
    SELECT COUNT(*) AS n, AVG((julianday(ended_at) - julianday(started_at)) * 86400) AS aht FROM records
    WHERE agent_id = @agent AND started_at >= @lo AND started_at < @hi
      AND julianday(started_at) >= julianday(@from) AND julianday(started_at) < julianday(@to)`);
  const last = db.prepare('SELECT category FROM records WHERE agent_id = ? ORDER BY started_at DESC LIMIT 1').pluck();
  const states = new Map(presence.map((p) => [p.username, p]));
  const bounds = {
    lo: new Date(from.getTime() - SLACK_MS).toISOString(),
    hi: new Date(to.getTime() + SLACK_MS).toISOString(),
    from: from.toISOString(),
    to: to.toISOString(),
  };
  return {
    at: now.toISOString(),
    day,
    waiting: { count: waiting.count, oldestSince: waiting.oldestSince?.toISOString() ?? null },
    agents: agents.map((a) => {
      const p = states.get(a.username);
      const t = today.get({ agent: a.id, ...bounds }) as { n: number; aht: number | null };
      return {
        username: a.username,
        displayName: a.displayName,
        state: p?.state ?? 'offline',
        since: p ? p.since.toISOString() : null,
        reason: p?.reason ?? null,
        callCategory: p?.state === 'on-call' ? p.category : null,
        handledToday: t.n,
        averageHandlingSeconds: t.aht === null ? null : Math.max(0, Math.round(t.aht)),
        lastCategory: (last.get(a.id) as string | undefined) ?? null,
      };
    }),
  };
}
