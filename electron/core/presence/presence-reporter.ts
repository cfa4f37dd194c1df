import type { Presence } from '../../../shared/presence';
import type { Logger, Timers } from '../sync/sync-engine';

export interface PresenceReporterDeps {
  send(presence: Presence): Promise<unknown>;
  timers: Timers;
  logger: Logger;
  /** Wait before trying again after the city server could not be reached. */
  retryMs?: number;
}

const same = (a: Presence | null, b: Presence | null) => a?.state === b?.state && a?.reason === b?.reason && (a?.category ?? null) === (b?.category ?? null) && (a?.warnings ?? 0) === (b?.warnings ?? 0);

/**
 * Tells the city server the agent's state. Only the latest state matters: one sent late is
 * better than a stale one, so a newer state replaces any not yet delivered, and failures are
 * retried until the newest one gets through.
 */
export function createPresenceReporter(deps: PresenceReporterDeps) {
  const retryMs = deps.retryMs ?? 5_000;
  let wanted: Presence | null = null;
  let delivered: Presence | null = null;
  let running: Promise<boolean> | null = null;
  let retry: unknown = null;
  let closed = false;

  async function deliver(): Promise<boolean> {
    while (!closed && wanted && !same(wanted, delivered)) {
      const sending = wanted;
      try {
        await deps.send(sending);
        delivered = sending;
      } catch (e) {
        deps.logger.warn(`presence ${sending.state} not delivered, retrying in ${retryMs} ms: ${(e as Error).message}`);
        if (retry === null && !closed) {
          retry = deps.timers.setTimeout(() => {
            retry = null;
            void flush();
          }, retryMs);
        }
        return false;
      }
    }
    return same(wanted, delivered);
  }

  function flush(): Promise<boolean> {
    // One delivery at a time; a report during a delivery is picked up by its loop.
    running ??= deliver().finally(() => (running = null));
    return running;
  }

  return {
    /** Resolves true once this (or a newer) state reached the city server, false if it is queued for retry. */
    report(presence: Presence): Promise<boolean> {
      wanted = presence;
      return flush();
    },
    close() {
      closed = true;
      if (retry !== null) deps.timers.clearTimeout(retry);
      retry = null;
    },
  };
}
