/**
 * Locks a username for a while after repeated wrong passwords, so a desk left at the login
 * screen cannot be used to guess passwords at network speed.
 */
export function createLoginThrottle(opts: { clock: () => Date; maxFailures: number; windowMs: number; lockMs: number }) {
  const failures = new Map<string, { count: number; first: number; lockedUntil: number }>();
  const now = () => opts.clock().getTime();
  return {
    locked(username: string): boolean {
      const f = failures.get(username);
      return !!f && f.lockedUntil > now();
    },
    failed(username: string): void {
      const t = now();
      const f = failures.get(username);
      const current = f && t - f.first < opts.windowMs ? f : { count: 0, first: t, lockedUntil: 0 };
      current.count++;
      if (current.count >= opts.maxFailures) current.lockedUntil = t + opts.lockMs;
      failures.set(username, current);
    },
    succeeded(username: string): void {
      failures.delete(username);
    },
  };
}
