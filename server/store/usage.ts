import type { UsageBatch } from '../../shared/sync';
import { publishChange } from './change-log';
import type { Db } from './db';

/**
 * Adds a desk's entry-usage counts to the city's totals and publishes the new totals. A batch
 * key seen before changes nothing, so a retried upload is not counted twice. Call in a transaction.
 */
export function addUsage(db: Db, batch: UsageBatch, userId: string, now: Date): { replayed: boolean } {
  const seen = db.prepare('INSERT OR IGNORE INTO usage_batches(batch_key, user_id, received_at) VALUES (?, ?, ?)').run(batch.batchKey, userId, now.toISOString());
  if (seen.changes === 0) return { replayed: true };
  const bump = db.prepare(
    'INSERT INTO entry_usage(entry_id, count) VALUES (?, ?) ON CONFLICT(entry_id) DO UPDATE SET count = count + excluded.count RETURNING count',
  );
  const known = db.prepare('SELECT 1 FROM manual_entries WHERE id = ? AND deleted = 0').pluck();
  for (const { id, count } of batch.counts) {
    // Uses of an entry deleted meanwhile are dropped; they could only rank a tombstone.
    if (!known.get(id)) continue;
    const total = (bump.get(id, count) as { count: number }).count;
    publishChange(db, 'usage', id, { id, count: total });
  }
  return { replayed: false };
}
