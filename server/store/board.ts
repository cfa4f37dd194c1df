import type { TeamBoard } from '../../shared/board';
import { seoulDay } from '../../shared/seoul-time';
import { value, type Db } from './sql';
import { getSetting } from './settings';
import type { PresenceRow } from './presence';

/** Every agent's state (from the presence board) and day (from the records), for the team lead. */
export async function teamBoard(db: Db, presence: readonly PresenceRow[], waiting: { count: number; oldestSince: Date | null }, now: Date): Promise<TeamBoard> {
  const { day, from, to } = seoulDay(now);
  const { protectedBreakReason } = await getSetting(db, 'protection');
  const agents = await db.all<{ id: string; username: string; displayName: string }>(
    'SELECT id, username, display_name AS "displayName" FROM users WHERE role = \'agent\' AND disabled = 0 ORDER BY username',
  );
  // The day's records by their instant (records keep the offset they were written with, so their text does not sort by it).
  const rows = await db.all<{ agent_id: string; started_at: string; ended_at: string }>('SELECT agent_id, started_at, ended_at FROM records WHERE started_ms >= ? AND started_ms < ?', [
    from.getTime(),
    to.getTime(),
  ]);
  const today = new Map<string, { n: number; seconds: number }>();
  for (const r of rows) {
    const started = Date.parse(r.started_at);
    const t = today.get(r.agent_id) ?? { n: 0, seconds: 0 };
    today.set(r.agent_id, { n: t.n + 1, seconds: t.seconds + (Date.parse(r.ended_at) - started) / 1000 });
  }
  const states = new Map(presence.map((p) => [p.username, p]));
  return {
    at: now.toISOString(),
    day,
    waiting: { count: waiting.count, oldestSince: waiting.oldestSince?.toISOString() ?? null },
    agents: await Promise.all(
      agents.map(async (a) => {
        const p = states.get(a.username);
        const t = today.get(a.id);
        return {
          username: a.username,
          displayName: a.displayName,
          state: p?.state ?? 'offline',
          since: p ? p.since.toISOString() : null,
          reason: p?.reason ?? null,
          callCategory: p?.state === 'on-call' ? p.category : null,
          handledToday: t?.n ?? 0,
          averageHandlingSeconds: t ? Math.max(0, Math.round(t.seconds / t.n)) : null,
          lastCategory: (await value<string>(db, 'SELECT category FROM records WHERE agent_id = ? ORDER BY started_at DESC LIMIT 1', [a.id])) ?? null,
          warnings: p?.state === 'on-call' ? p.warnings : 0,
          protectedBreak: p?.state === 'not-ready' && p.reason === protectedBreakReason,
        };
      }),
    ),
  };
}
