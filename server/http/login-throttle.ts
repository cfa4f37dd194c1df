import { value, type Db } from '../store/sql';

export interface LoginThrottleOptions {
  clock: () => Date;
  /** Wrong passwords for one name from one address before that pair is locked. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  /** Wrong passwords from one address, any names, before the address is locked (a sweep over names). */
  maxPerAddress?: number;
  /** Entries kept at most, of pairs and of addresses each; beyond it the expired ones go, then the least recently active (guessing over endless names takes no endless room). */
  maxEntries?: number;
}

interface Failures {
  count: number;
  first: number;
  locked_until: number;
}

export interface LoginThrottle {
  locked(username: string, address: string): Promise<boolean>;
  failed(username: string, address: string): Promise<void>;
  succeeded(username: string, address: string): Promise<void>;
  /** Entries held (for the bound's test). */
  size(): Promise<number>;
}

type Scope = 'pair' | 'address';

/**
 * Locks guessing, not people: wrong passwords lock a name for the address they came from, and an
 * address that tries many names is locked whatever the name. Somebody elsewhere cannot keep an
 * agent out by failing on purpose with the agent's name: the agent's own desk is another address.
 * Kept in the store, so that every server instance on one database throttles alike.
 */
export function createLoginThrottle(db: Db, opts: LoginThrottleOptions): LoginThrottle {
  const maxPerAddress = opts.maxPerAddress ?? opts.maxFailures * 4;
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = () => opts.clock().getTime();
  // Any text a client sends as a name, unambiguously (and with no character a database refuses).
  const pairKey = (username: string, address: string) => JSON.stringify([address, username]);
  const isLocked = async (scope: Scope, key: string) =>
    (await db.get('SELECT 1 AS locked FROM login_failures WHERE scope = ? AND key = ? AND locked_until > ?', [scope, key, now()])) !== undefined;

  async function count(tx: Db, scope: Scope, key: string, max: number): Promise<void> {
    const t = now();
    const f = await tx.get<Failures>('SELECT count, first, locked_until FROM login_failures WHERE scope = ? AND key = ?', [scope, key]);
    const current = f && t - f.first < opts.windowMs ? f : { count: 0, first: t, locked_until: 0 };
    const failures = current.count + 1;
    const lockedUntil = failures >= max ? t + opts.lockMs : current.locked_until;
    // The order of activity: the oldest go first when there is no room.
    const seq = ((await value<number>(tx, 'SELECT MAX(seq) AS seq FROM login_failures')) ?? 0) + 1;
    await tx.run(
      `INSERT INTO login_failures(scope, key, count, first, locked_until, seq) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(scope, key) DO UPDATE SET count = excluded.count, first = excluded.first, locked_until = excluded.locked_until, seq = excluded.seq`,
      [scope, key, failures, current.first, lockedUntil, seq],
    );
    if (((await value<number>(tx, 'SELECT COUNT(*) AS n FROM login_failures WHERE scope = ?', [scope])) as number) > maxEntries) await prune(tx, scope, t);
  }

  async function prune(tx: Db, scope: Scope, t: number): Promise<void> {
    await tx.run('DELETE FROM login_failures WHERE scope = ? AND first <= ? AND locked_until <= ?', [scope, t - opts.windowMs, t]);
    const over = ((await value<number>(tx, 'SELECT COUNT(*) AS n FROM login_failures WHERE scope = ?', [scope])) as number) - maxEntries;
    if (over > 0) await tx.run('DELETE FROM login_failures WHERE scope = ? AND key IN (SELECT key FROM login_failures WHERE scope = ? ORDER BY seq LIMIT ?)', [scope, scope, over]);
  }

  return {
    async locked(username, address) {
      return (await isLocked('pair', pairKey(username, address))) || (await isLocked('address', address));
    },
    async failed(username, address) {
      await db.write(async (tx) => {
        await count(tx, 'pair', pairKey(username, address), opts.maxFailures);
        await count(tx, 'address', address, maxPerAddress);
      });
    },
    async succeeded(username, address) {
      await db.run("DELETE FROM login_failures WHERE scope = 'pair' AND key = ?", [pairKey(username, address)]);
    },
    async size() {
      return (await value<number>(db, 'SELECT COUNT(*) AS n FROM login_failures')) as number;
    },
  };
}
