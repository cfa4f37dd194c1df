import type { Presence } from '../../shared/presence';
import type { Timers } from '../../shared/rpc';

export interface PresencePublisherDeps {
  /** Through the core to the city server (which retries until it gets there). */
  toCity(presence: Presence & { version: number }): Promise<unknown>;
  /** Straight to the SIP server, which routes calls by it (resolves false when it did not take it). */
  toSip(body: string): Promise<boolean>;
  now(): number;
  timers: Timers;
  /** Wait before telling the SIP server again after it did not take a state. */
  retryMs?: number;
}

/**
 * Tells the agent's state both ways at once: to the SIP server, so calls follow the agent even
 * while the city server is down, and to the city server, for the team board. Each new state gets
 * the next version (the time, or one more than the last): whichever server hears of a state late
 * keeps the newer one.
 */
export function createPresencePublisher(deps: PresencePublisherDeps) {
  const retryMs = deps.retryMs ?? 1_000;
  let current: (Presence & { version: number }) | null = null;
  let sipDone = false;
  let retry: unknown = null;
  let stopped = false;
  const key = (p: Presence) => JSON.stringify([p.state, p.reason, p.category ?? null, p.warnings ?? 0]);

  const sendToSip = () => {
    const p = current;
    if (!p || stopped || sipDone) return;
    if (retry !== null) deps.timers.clearTimeout(retry);
    retry = null;
    void deps.toSip(`${p.state} ${p.version}`).then((ok) => {
      // A newer state went (or goes) on its own; a new subject of the same state does not count.
      if (stopped || current?.state !== p.state) return;
      if (ok) sipDone = true;
      else retry ??= deps.timers.setTimeout(() => ((retry = null), sendToSip()), retryMs);
    });
  };
  const sendToCity = () => {
    if (current && !stopped) void deps.toCity(current).catch(() => undefined);
  };

  return {
    /** The agent's state now; sent on if it differs from the last. */
    update(presence: Presence) {
      if (stopped || (current && key(current) === key(presence))) return;
      // Only the state routes calls: a new subject of the same call goes to the city server alone.
      const sipToo = !current || current.state !== presence.state;
      current = { ...presence, version: Math.max(deps.now(), (current?.version ?? 0) + 1) };
      if (sipToo) {
        sipDone = false;
        sendToSip();
      }
      sendToCity();
    },
    /** The SIP server may have forgotten (it restarted, the phone registered again): say it again. */
    resendToSip() {
      sipDone = false;
      sendToSip();
    },
    /** The core came back: the city server hears the latest state again. */
    resendToCity: sendToCity,
    stop() {
      stopped = true;
      if (retry !== null) deps.timers.clearTimeout(retry);
      retry = null;
    },
  };
}

export type PresencePublisher = ReturnType<typeof createPresencePublisher>;
