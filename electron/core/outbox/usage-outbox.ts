import { randomUUID } from 'node:crypto';
import type { UsageBatch } from '../../../shared/sync';
import { getMeta, setMeta, type CacheDb } from '../cache/cache-db';

/**
 * Counts entry uses on this desk and hands them to the sync engine in batches. The batch in
 * flight is kept in the cache with its key until the city acknowledges it, so a retry after a
 * lost answer (or a restart) sends the same key and is not counted twice.
 */
export function createUsageOutbox(db: CacheDb) {
  const bump = db.prepare(
    'INSERT INTO entry_usage(entry_id, pending) VALUES (?, 1) ON CONFLICT(entry_id) DO UPDATE SET pending = pending + 1',
  );
  const pending = db.prepare('SELECT entry_id AS id, pending AS count FROM entry_usage WHERE pending > 0 ORDER BY entry_id LIMIT 5000');
  // The city total (synced) comes back only through sync: it then includes these uses, so adding
  // them here as well would count them twice.
  const settle = db.prepare('UPDATE entry_usage SET pending = MAX(0, pending - ?) WHERE entry_id = ?');
  const acknowledge = db.transaction((batch: UsageBatch) => {
    for (const c of batch.counts) settle.run(c.count, c.id);
    db.prepare("DELETE FROM meta WHERE key = 'usageBatch'").run();
  });
  return {
    used(entryId: string): void {
      bump.run(entryId);
    },
    nextBatch(): UsageBatch | null {
      const inFlight = getMeta(db, 'usageBatch');
      if (inFlight) return JSON.parse(inFlight) as UsageBatch;
      const counts = pending.all() as UsageBatch['counts'];
      if (counts.length === 0) return null;
      const batch = { batchKey: randomUUID(), counts };
      setMeta(db, 'usageBatch', JSON.stringify(batch));
      return batch;
    },
    /** The city counted this batch: its uses are no longer pending here. */
    acknowledged(batch: UsageBatch): void {
      acknowledge(batch);
    },
  };
}

export type UsageOutbox = ReturnType<typeof createUsageOutbox>;
