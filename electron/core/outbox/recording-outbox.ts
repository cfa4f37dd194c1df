import type { DeskRecordingMeta } from '../../../shared/recording';
import type { CacheDb } from '../cache/cache-db';
import { CityApiError } from '../sync/city-api';
import type { Logger, Timers } from '../sync/sync-engine';

const DAY_MS = 86_400_000;

export interface RecordingOutboxDeps {
  upload(meta: DeskRecordingMeta, audio: Buffer): Promise<{ id: string; duplicate: boolean }>;
  clock: () => Date;
  timers: Timers;
  logger: Logger;
  retryMs?: number;
}

/**
 * The desk's recordings of calls the gateway does not record. Each is written to the (sealed)
 * cache first, so an outage or a crash loses none, then uploaded one at a time; the city files
 * each call once, so a retry after a lost answer is harmless. A recording the city refuses for
 * what it is (not for the network) stays with its reason for IT, and is not sent again.
 */
export function createRecordingOutbox(db: CacheDb, deps: RecordingOutboxDeps) {
  const retryMs = deps.retryMs ?? 10_000;
  const insert = db.prepare(
    `INSERT OR IGNORE INTO recording_outbox(id, record_id, meta, audio, created_at, held)
     VALUES (?, ?, ?, ?, ?, EXISTS (SELECT 1 FROM outbox WHERE record_id = ? AND json_extract(payload, '$.report') IS NOT NULL))`,
  );
  const next = db.prepare('SELECT id, meta, audio FROM recording_outbox WHERE last_error IS NULL ORDER BY created_at, id LIMIT 1');
  const remove = db.prepare('DELETE FROM recording_outbox WHERE id = ?');
  const refuse = db.prepare('UPDATE recording_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?');
  const hold = db.prepare('UPDATE recording_outbox SET held = 1 WHERE record_id = ?');
  const expired = db.prepare('DELETE FROM recording_outbox WHERE created_at < ? AND held = 0');
  const pending = db.prepare('SELECT COUNT(*) FROM recording_outbox WHERE last_error IS NULL').pluck();
  let running: Promise<void> | null = null;
  let retry: unknown = null;
  let closed = false;

  async function send(): Promise<void> {
    while (!closed) {
      const row = next.get() as { id: string; meta: string; audio: Buffer } | undefined;
      if (!row) return;
      try {
        await deps.upload(JSON.parse(row.meta) as DeskRecordingMeta, row.audio);
      } catch (e) {
        if (closed) return;
        const err = e as Error;
        // The city answered that this recording is wrong: keep it, say why, and go on with the others.
        if (err instanceof CityApiError && err.kind === 'http' && err.status !== undefined && err.status >= 400 && err.status < 500) {
          deps.logger.warn(`recordings: the city refused recording ${row.id}: ${err.message}`);
          refuse.run(err.message, row.id);
          continue;
        }
        deps.logger.warn(`recordings: not delivered, retrying in ${retryMs} ms: ${err.message}`);
        retry ??= deps.timers.setTimeout(() => {
          retry = null;
          void flush();
        }, retryMs);
        return;
      }
      remove.run(row.id);
    }
  }

  function flush(): Promise<void> {
    running ??= send()
      .catch((e: Error) => deps.logger.warn(`recordings: ${e.message}`))
      .finally(() => (running = null));
    return running;
  }

  return {
    /** Keeps a recording durably and starts sending it. */
    save(meta: DeskRecordingMeta, audio: Buffer): { queued: boolean } {
      const added = insert.run(meta.id, meta.recordId, JSON.stringify(meta), audio, deps.clock().toISOString(), meta.recordId).changes > 0;
      void flush();
      return { queued: added };
    },
    /** The agent reported the call: its recording outlives retention here too, until the city has it. */
    hold(recordId: string): void {
      hold.run(recordId);
    },
    /** Deletes recordings older than the city keeps them that never reached it (a desk offline that long), but held ones. */
    purge(days: number): number {
      return expired.run(new Date(deps.clock().getTime() - days * DAY_MS).toISOString()).changes;
    },
    pending: (): number => Number(pending.get()),
    flush,
    close(): void {
      closed = true;
      if (retry) deps.timers.clearTimeout(retry);
    },
  };
}
