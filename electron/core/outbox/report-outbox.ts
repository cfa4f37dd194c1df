import type { CacheDb } from '../cache/cache-db';
import type { Logger, Timers } from '../sync/sync-engine';

/** The tables report outboxes keep their lines in (each `(id, event, created_at)`). */
export type ReportTable = 'monitor_audit_outbox' | 'access_outbox' | 'callback_outcome_outbox' | 'text_reply_outbox' | 'manual_flag_outbox' | 'search_miss_outbox';

export interface ReportOutboxDeps<T> {
  table: ReportTable;
  /** What the lines are, for the log ("monitoring audit"). */
  what: string;
  /** Sends lines; the server stores each once and names the ones it refuses (they are not sent again). */
  upload(events: T[]): Promise<{ refused: readonly { reason: string }[] }>;
  /** The city has answered for these lines (stored, already had or refused them): they left the desk. */
  delivered?(events: T[]): void;
  clock: () => Date;
  newId: () => string;
  timers: Timers;
  logger: Logger;
  retryMs?: number;
  /** Most lines the city takes in one request (default 500). */
  batch?: number;
}

/**
 * Lines the desk reports to the city (the monitoring audit, reads of personal data, callback
 * outcomes, replies to citizens' texts, flags on manual entries, searches that found nothing):
 * each is written to the cache first (so a crash or an outage loses none), then sent; the server
 * stores each id once, so a line sent twice (an answer lost on the way back) is harmless. Failed
 * sends are retried until they get through.
 */
export function createReportOutbox<T extends { id: string; at: string }>(db: CacheDb, deps: ReportOutboxDeps<T>) {
  const retryMs = deps.retryMs ?? 5_000;
  const batch = deps.batch ?? 500;
  const insert = db.prepare(`INSERT INTO ${deps.table}(id, event, created_at) VALUES (?, ?, ?)`);
  const oldest = db.prepare(`SELECT id, event FROM ${deps.table} ORDER BY created_at, id LIMIT ?`);
  const remove = db.prepare(`DELETE FROM ${deps.table} WHERE id = ?`);
  const count = db.prepare(`SELECT COUNT(*) FROM ${deps.table}`).pluck();
  let running: Promise<void> | null = null;
  let retry: unknown = null;
  let closed = false;

  async function send(): Promise<void> {
    while (!closed) {
      const rows = oldest.all(batch) as { id: string; event: string }[];
      if (rows.length === 0) return;
      const events = rows.map((r) => JSON.parse(r.event) as T);
      try {
        const answer = await deps.upload(events);
        for (const r of answer.refused) deps.logger.warn(`${deps.what}: the city refused a line (${r.reason})`);
        // Closed while the lines were on their way: they stay, and go again (the city keeps each once).
        if (closed) return;
      } catch (e) {
        if (closed) return;
        deps.logger.warn(`${deps.what}: ${rows.length} line(s) not delivered, retrying in ${retryMs} ms: ${(e as Error).message}`);
        retry ??= deps.timers.setTimeout(() => {
          retry = null;
          void flush();
        }, retryMs);
        return;
      }
      db.transaction(() => rows.forEach((r) => remove.run(r.id)))();
      deps.delivered?.(events);
    }
  }

  function flush(): Promise<void> {
    running ??= send()
      .catch((e: Error) => deps.logger.warn(`${deps.what}: ${e.message}`))
      .finally(() => (running = null));
    return running;
  }

  return {
    /** Writes one line durably and starts sending it. */
    record(e: Omit<T, 'id' | 'at'>): T {
      const event = { ...e, id: deps.newId(), at: deps.clock().toISOString() } as T;
      insert.run(event.id, JSON.stringify(event), event.at);
      void flush();
      return event;
    },
    flush,
    pending: () => count.get() as number,
    /** The lines not yet delivered, oldest first. */
    lines: (): T[] => (oldest.all(-1) as { event: string }[]).map((r) => JSON.parse(r.event) as T),
    close() {
      closed = true;
      if (retry !== null) deps.timers.clearTimeout(retry);
    },
  };
}
