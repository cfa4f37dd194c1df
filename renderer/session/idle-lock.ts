import type { Timers } from '../../shared/rpc';

/** The agent's own input: what counts as being at the desk (pointer moves alone do not: a bumped mouse is not work). */
const ACTIVITY = ['keydown', 'pointerdown', 'wheel'] as const;
const CHECK_EVERY_MS = 15_000;

/**
 * Locks the desk after the city's idle time without the agent's input, never during a call (a
 * long call with the agent listening is work). `minutes()` of 0 turns it off.
 */
export function watchIdle(o: {
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  minutes: () => number;
  busy: () => boolean;
  lock: () => void;
  now: () => number;
  timers: Timers & { setInterval(fn: () => void, ms: number): unknown; clearInterval(h: unknown): void };
}): () => void {
  let last = o.now();
  const seen = () => void (last = o.now());
  for (const e of ACTIVITY) o.target.addEventListener(e, seen, { capture: true, passive: true } as AddEventListenerOptions);
  const tick = o.timers.setInterval(() => {
    const minutes = o.minutes();
    if (o.busy()) return seen();
    if (minutes > 0 && o.now() - last >= minutes * 60_000) {
      seen();
      o.lock();
    }
  }, CHECK_EVERY_MS);
  return () => {
    o.timers.clearInterval(tick);
    for (const e of ACTIVITY) o.target.removeEventListener(e, seen, { capture: true } as EventListenerOptions);
  };
}
