import type { UsageBatch } from '../../shared/sync';
import { publishChange } from './change-log';
import type { Db } from './db';

/**
 * Uses of one entry one agent may add in a day: far above a real day's (about 50 calls, an entry
 * opened a few times in each), far below what would put any entry on top of every desk's list.
 */
export const MAX_USES_PER_AGENT_DAY = 100;

/**
 * Adds a desk's entry-usage counts to the city's totals, up to MAX_USES_PER_AGENT_DAY per agent,
 * entry and day, and publishes the new totals. A batch key seen before changes nothing, so a
 * retried upload is not counted twice. Call in a transaction.
 */
export function addUsage(db: Db, batch: UsageBatch, userId: string, now: Date): { replayed: boolean } {
  const seen = db.prepare('INSERT OR IGNORE INTO usage_batches(batch_key, user_id, received_at) VALUES (?, ?, ?)').run(batch.batchKey, userId, now.toISOString());
  if (seen.changes === 0) return { replayed: true };
  const bump = db.prepare(
    'INSERT INTO entry_usage(entry_id, count) VALUES (?, ?) ON CONFLICT(entry_id) DO UPDATE SET count = count + excluded.count RETURNING count',
  );
  const known = db.prepare('SELECT 1 FROM manual_entries WHERE id = ? AND deleted = 0').pluck();
  const already = db.prepare('SELECT count FROM usage_by_agent WHERE user_id = ? AND entry_id = ? AND day = ?').pluck();
  const mine = db.prepare('INSERT INTO usage_by_agent(user_id, entry_id, day, count) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count');
  const day = now.toISOString().slice(0, 10);
  for (const { id, count } of batch.counts) {
    // Uses of an entry deleted meanwhile are dropped; they could only rank a tombstone.
    if (!known.get(id)) continue;
    const counted = Math.min(count, MAX_USES_PER_AGENT_DAY - ((already.get(userId, id, day) as number | undefined) ?? 0));
    if (counted <= 0) continue;
    mine.run(userId, id, day, counted);
    const total = (bump.get(id, counted) as { count: number }).count;
    publishChange(db, 'usage', id, { id, count: total });
  }
  return { replayed: false };
}
