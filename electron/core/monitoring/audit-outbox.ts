import type { MonitorAuditEvent } from '../../../shared/monitoring';
import type { CacheDb } from '../cache/cache-db';
import type { Logger, Timers } from '../sync/sync-engine';

export interface MonitorAuditOutboxDeps {
  /** Sends lines; the server stores each once and names the ones it refuses (they are not sent again). */
  upload(events: MonitorAuditEvent[]): Promise<{ refused: { index: number; reason: string }[] }>;
  clock: () => Date;
  newId: () => string;
  timers: Timers;
  logger: Logger;
  retryMs?: number;
}

const BATCH = 500;

/**
 * The desk's side of the monitoring audit: each line is written to the cache first (so a crash
 * or an outage loses none), then sent; the server stores each id once, so a line sent twice
 * (an answer lost on the way back) is harmless. Failed sends are retried until they get through.
 */
export function createMonitorAuditOutbox(db: CacheDb, deps: MonitorAuditOutboxDeps) {
  const retryMs = deps.retryMs ?? 5_000;
  const insert = db.prepare('INSERT INTO monitor_audit_outbox(id, event, created_at) VALUES (?, ?, ?)');
  const oldest = db.prepare('SELECT id, event FROM monitor_audit_outbox ORDER BY created_at, id LIMIT ?');
  const remove = db.prepare('DELETE FROM monitor_audit_outbox WHERE id = ?');
  let running: Promise<void> | null = null;
  let retry: unknown = null;
  let closed = false;

  async function send(): Promise<void> {
    while (!closed) {
      const rows = oldest.all(BATCH) as { id: string; event: string }[];
      if (rows.length === 0) return;
      try {
        const answer = await deps.upload(rows.map((r) => JSON.parse(r.event) as MonitorAuditEvent));
        for (const r of answer.refused) deps.logger.warn(`monitoring audit: the city refused a line (${r.reason})`);
      } catch (e) {
        deps.logger.warn(`monitoring audit: ${rows.length} line(s) not delivered, retrying in ${retryMs} ms: ${(e as Error).message}`);
        retry ??= deps.timers.setTimeout(() => {
          retry = null;
          void flush();
        }, retryMs);
        return;
      }
      db.transaction(() => rows.forEach((r) => remove.run(r.id)))();
    }
  }

  function flush(): Promise<void> {
    running ??= send().finally(() => (running = null));
    return running;
  }

  return {
    /** Writes one audit line durably and starts sending it. */
    record(e: Omit<MonitorAuditEvent, 'id' | 'at'>): MonitorAuditEvent {
      const event: MonitorAuditEvent = { ...e, id: deps.newId(), at: deps.clock().toISOString() };
      insert.run(event.id, JSON.stringify(event), event.at);
      void flush();
      return event;
    },
    flush,
    pending: () => (db.prepare('SELECT COUNT(*) FROM monitor_audit_outbox').pluck().get() as number),
    close() {
      closed = true;
      if (retry !== null) deps.timers.clearTimeout(retry);
    },
  };
}
