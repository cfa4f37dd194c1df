/**
 * At most `perAddress` requests from one address, and `total` from everyone, per window of
 * `windowMs` (fixed windows; memory bounded by `maxAddresses`). For forms open to anyone. Kept in
 * the instance: losing it lets a few more requests through, nothing worse, so it needs no store.
 */
export function createRateLimit(o: { perAddress: number; total: number; windowMs: number; clock: () => Date; maxAddresses?: number }) {
  const maxAddresses = o.maxAddresses ?? 10_000;
  let windowStart = -Infinity;
  let total = 0;
  const counts = new Map<string, number>();
  return {
    /** Counts a request; false when it is over a limit (then it is not counted). */
    take(address: string): boolean {
      const now = o.clock().getTime();
      if (now - windowStart >= o.windowMs) {
        windowStart = now;
        total = 0;
        counts.clear();
      }
      const n = counts.get(address) ?? 0;
      if (total >= o.total || n >= o.perAddress || (n === 0 && counts.size >= maxAddresses)) return false;
      counts.set(address, n + 1);
      total++;
      return true;
    },
  };
}
