import { EventEmitter } from 'node:events';
import type { SyncReport, SyncStatus } from '../../../shared/contract';
import type { SyncPage } from '../../../shared/sync';
import { createPageWriter, zeroCounts } from '../cache/apply-page';
import { getMeta, setMeta, type CacheDb } from '../cache/cache-db';
import type { Outbox } from '../outbox/outbox';
import type { UsageOutbox } from '../outbox/usage-outbox';
import type { SearchIndex } from '../search/search-index';
import { backoffDelay, type BackoffPolicy } from './backoff';
import type { CityApi } from './city-api';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncEngineDeps {
  db: CacheDb;
  api: CityApi;
  outbox: Outbox;
  usage: UsageOutbox;
  search: SearchIndex;
  clock: () => Date;
  random: () => number;
  timers: Timers;
  logger: Logger;
  /** Between successful syncs. */
  intervalMs?: number;
  backoff?: BackoffPolicy;
}

interface Events {
  status: [SyncStatus];
  outbox: [ReturnType<Outbox['status']>];
  /** A sync finished, with what it changed. */
  synced: [SyncReport];
}

/**
 * Keeps the cache in step with the city: pulls change pages (fetching the next page while the
 * current one is written), then uploads the outbox. Failures are retried with capped backoff;
 * the status tells the agent whether the desk is online, syncing, or offline since when.
 */
export function createSyncEngine(d: SyncEngineDeps) {
  const intervalMs = d.intervalMs ?? 30_000;
  const backoff = d.backoff ?? { baseMs: 1_000, capMs: 60_000 };
  const writer = createPageWriter(d.db, d.search);
  const events = new EventEmitter<Events>();
  let status: SyncStatus = {
    state: 'offline',
    offlineSince: null,
    lastSyncedAt: getMeta(d.db, 'lastSyncedAt'),
    lastError: null,
    nextAttemptAt: null,
  };
  let running: Promise<SyncReport> | null = null;
  let failures = 0;
  let timer: unknown = null;
  let started = false;
  // A sync was asked for while one ran (a record saved mid-upload): run once more after it.
  let again = false;

  function setStatus(next: Partial<SyncStatus>): void {
    status = { ...status, ...next };
    events.emit('status', status);
  }

  async function pull(report: SyncReport): Promise<void> {
    const cursor = getMeta(d.db, 'cursor');
    let next: Promise<SyncPage> | null = d.api.page(cursor);
    let bulk = false;
    try {
      while (next) {
        const page: SyncPage = await next;
        // Ask for the following page before writing this one: the server's work overlaps ours.
        next = page.hasMore ? d.api.page(page.cursor) : null;
        if (!bulk && (cursor === null || page.reset) && page.hasMore) {
          bulk = true;
          writer.beginBulk();
        }
        try {
          writer.apply(page, report.upserts, report.deletes);
        } catch (e) {
          next?.catch(() => {});
          throw e;
        }
        report.pages++;
        // A first sync always starts from scratch; only a desk that had a cursor was reset.
        report.reset ||= page.reset && cursor !== null;
        report.cursor = page.cursor;
      }
    } finally {
      if (bulk) writer.endBulk();
    }
  }

  async function flush(report: SyncReport): Promise<void> {
    for (let batch = d.outbox.nextBatch(); batch; batch = d.outbox.nextBatch()) {
      let result;
      try {
        result = await d.api.uploadRecords(batch);
      } catch (e) {
        d.outbox.failed(batch, (e as Error).message);
        throw e;
      }
      d.outbox.settle(batch, result);
      report.uploaded += result.accepted.length + result.duplicates.length;
      report.rejected += result.rejected.length;
      events.emit('outbox', d.outbox.status());
    }
    for (let batch = d.usage.nextBatch(); batch; batch = d.usage.nextBatch()) {
      await d.api.uploadUsage(batch);
      d.usage.acknowledged(batch);
    }
  }

  async function runOnce(): Promise<SyncReport> {
    const report: SyncReport = { pages: 0, upserts: zeroCounts(), deletes: zeroCounts(), reset: false, cursor: null, uploaded: 0, rejected: 0 };
    setStatus({ state: 'syncing', nextAttemptAt: null });
    try {
      await pull(report);
      await flush(report);
    } catch (e) {
      const now = d.clock();
      failures++;
      const delay = backoffDelay(failures - 1, backoff, d.random);
      d.logger.warn(`sync failed (attempt ${failures}): ${(e as Error).message}`);
      setStatus({
        state: 'offline',
        offlineSince: status.offlineSince ?? now.toISOString(),
        lastError: (e as Error).message,
        nextAttemptAt: started ? new Date(now.getTime() + delay).toISOString() : null,
      });
      schedule(delay);
      throw e;
    }
    failures = 0;
    if (report.upserts.entry + report.deletes.entry > 0) d.timers.setTimeout(tidy, 0);
    const syncedAt = d.clock().toISOString();
    setMeta(d.db, 'lastSyncedAt', syncedAt);
    setStatus({ state: 'online', offlineSince: null, lastSyncedAt: syncedAt, lastError: null, nextAttemptAt: null });
    events.emit('synced', report);
    schedule(intervalMs);
    return report;
  }

  // Index housekeeping between syncs: the rebuild after a load from scratch, then segment merges
  // in slices short enough not to delay the agent's searches.
  function tidy(): void {
    if (!started || running) return;
    d.search.ensureFresh();
    if (d.search.tidy(15, () => d.clock().getTime())) d.timers.setTimeout(tidy, 50);
  }

  function schedule(ms: number): void {
    if (!started) return;
    if (timer !== null) d.timers.clearTimeout(timer);
    timer = d.timers.setTimeout(() => {
      timer = null;
      syncNow().catch(() => {});
    }, ms);
  }

  /** One full sync; concurrent callers share the run in progress. */
  function syncNow(): Promise<SyncReport> {
    running ??= runOnce().finally(() => {
      running = null;
      if (again && started) {
        again = false;
        syncNow().catch(() => {});
      }
    });
    return running;
  }

  return {
    syncNow,
    /** Asks for a sync soon without waiting for it, e.g. after a record was saved. */
    requestSync(): void {
      if (running) again = true;
      // While offline the backoff schedule owns retries; a busy agent saving records must not
      // turn it into a tight loop against a dead link.
      else if (failures === 0) syncNow().catch(() => {});
    },
    status: () => status,
    on: events.on.bind(events),
    /** Syncs now and then keeps syncing on the interval, retrying with backoff after failures. */
    start(): void {
      if (started) return;
      started = true;
      syncNow().catch(() => {});
    },
    async stop(): Promise<void> {
      started = false;
      if (timer !== null) d.timers.clearTimeout(timer);
      timer = null;
      await running?.catch(() => {});
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
