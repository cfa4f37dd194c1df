export interface IntervalClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/**
 * Calls `onWake` when the machine seems to have slept: a short interval that fires far later than
 * due. A page has no suspend/resume event of its own (the Electron shell forwards the OS's, later);
 * after sleep the SIP socket and registration are usually stale.
 */
export function watchForWake(clock: IntervalClock, onWake: () => void, periodMs = 5_000, gapMs = 15_000): () => void {
  let last = clock.now();
  const handle = clock.setInterval(() => {
    const now = clock.now();
    if (now - last > gapMs) onWake();
    last = now;
  }, periodMs);
  return () => clock.clearInterval(handle);
}
