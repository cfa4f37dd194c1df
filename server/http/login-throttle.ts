export interface LoginThrottleOptions {
  clock: () => Date;
  /** Wrong passwords for one name from one address before that pair is locked. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  /** Wrong passwords from one address, any names, before the address is locked (a sweep over names). */
  maxPerAddress?: number;
  /** Entries kept at most; beyond it the expired ones go, then the oldest (unknown names cost no memory for long). */
  maxEntries?: number;
}

interface Failures {
  count: number;
  first: number;
  lockedUntil: number;
}

/**
 * Locks guessing, not people: wrong passwords lock a name for the address they came from, and an
 * address that tries many names is locked whatever the name. Somebody elsewhere cannot keep an
 * agent out by failing on purpose with the agent's name: the agent's own desk is another address.
 */
export function createLoginThrottle(opts: LoginThrottleOptions) {
  const maxPerAddress = opts.maxPerAddress ?? opts.maxFailures * 4;
  const maxEntries = opts.maxEntries ?? 10_000;
  const pairs = new Map<string, Failures>();
  const addresses = new Map<string, Failures>();
  const now = () => opts.clock().getTime();
  const pairKey = (username: string, address: string) => `${address}\u0000${username}`;
  const isLocked = (f: Failures | undefined) => !!f && f.lockedUntil > now();

  function count(map: Map<string, Failures>, key: string, max: number): void {
    const t = now();
    const f = map.get(key);
    const current = f && t - f.first < opts.windowMs ? f : { count: 0, first: t, lockedUntil: 0 };
    current.count++;
    if (current.count >= max) current.lockedUntil = t + opts.lockMs;
    map.delete(key); // re-inserted last: the map's order is oldest activity first
    map.set(key, current);
    if (map.size > maxEntries) prune(map, t);
  }

  function prune(map: Map<string, Failures>, t: number): void {
    for (const [key, f] of map) if (t - f.first >= opts.windowMs && f.lockedUntil <= t) map.delete(key);
    for (const key of map.keys()) {
      if (map.size <= maxEntries) break;
      map.delete(key);
    }
  }

  return {
    locked(username: string, address: string): boolean {
      return isLocked(pairs.get(pairKey(username, address))) || isLocked(addresses.get(address));
    },
    failed(username: string, address: string): void {
      count(pairs, pairKey(username, address), opts.maxFailures);
      count(addresses, address, maxPerAddress);
    },
    succeeded(username: string, address: string): void {
      pairs.delete(pairKey(username, address));
    },
    /** Entries held (for the memory bound's test). */
    get size(): number {
      return pairs.size + addresses.size;
    },
  };
}
