import type { UsageBatch } from '../../shared/sync';
import { publishChange } from './change-log';
import { value, type Db } from './sql';

/**
 * Uses of one entry one agent may add in a day: far above a real day's (about 50 calls, an entry
 * opened a few times in each), far below what would put any entry on top of every desk's list.
 */
export const MAX_USES_PER_AGENT_DAY = 100;

/**
 * Adds a desk's entry-usage counts to the city's totals, up to MAX_USES_PER_AGENT_DAY per agent,
 * entry and day, and publishes the new totals. A batch key seen before changes nothing, so a
 * retried upload is not counted twice.
 */
export async function addUsage(db: Db, batch: UsageBatch, userId: string, now: Date): Promise<{ replayed: boolean }> {
  return db.write(async (tx) => {
    const seen = await tx.run('INSERT INTO usage_batches(batch_key, user_id, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [batch.batchKey, userId, now.toISOString()]);
    if (seen === 0) return { replayed: true };
    const day = now.toISOString().slice(0, 10);
    for (const { id, count } of batch.counts) {
      // Uses of an entry deleted meanwhile are dropped; they could only rank a tombstone.
      if (!(await tx.get('SELECT 1 AS known FROM manual_entries WHERE id = ? AND deleted = 0', [id]))) continue;
      const already = (await value<number>(tx, 'SELECT count FROM usage_by_agent WHERE user_id = ? AND entry_id = ? AND day = ?', [userId, id, day])) ?? 0;
      const counted = Math.min(count, MAX_USES_PER_AGENT_DAY - already);
      if (counted <= 0) continue;
      await tx.run('INSERT INTO usage_by_agent(user_id, entry_id, day, count) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, entry_id, day) DO UPDATE SET count = usage_by_agent.count + excluded.count', [userId, id, day, counted]);
      const total = (await tx.get<{ count: number }>(
        'INSERT INTO entry_usage(entry_id, count) VALUES (?, ?) ON CONFLICT(entry_id) DO UPDATE SET count = entry_usage.count + excluded.count RETURNING count',
        [id, counted],
      )) as { count: number };
      await publishChange(tx, 'usage', id, { id, count: total.count });
    }
    return { replayed: false };
  });
}
