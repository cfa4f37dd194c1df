import type { MyFlag, MyFlags } from '../../../shared/contract';
import type { FlagInput } from '../../../shared/knowledge';
import { getMeta, setMeta, type CacheDb } from '../cache/cache-db';
import type { Flag } from '../../../shared/knowledge';
import type { Logger } from '../sync/sync-engine';

export interface MergeSources {
  /** Flags still in the desk's outbox. */
  pending: readonly FlagInput[];
  /** Flags the city has answered for since it last listed the agent's flags. */
  delivered: readonly FlagInput[];
  seen: (id: string) => boolean;
  /** The entry's title in the desk's cache (a pending flag has no title from the city yet). */
  titleOf: (entryId: string) => string | null;
}

/**
 * The agent's flags as their desk shows them, newest first: the city's list, then what it does not
 * list yet — flags still on the desk ('pending'), and flags delivered since it was listed ('open':
 * the city has them). A closed flag carries a notice until the agent has seen it.
 */
export function mergeMyFlags(city: readonly Flag[], s: MergeSources): MyFlag[] {
  const listed = new Set(city.map((f) => f.id));
  const own = (f: FlagInput, state: 'pending' | 'open'): MyFlag => ({
    id: f.id,
    entryId: f.entryId,
    entryTitle: s.titleOf(f.entryId) ?? f.entryId,
    entryVersion: f.entryVersion,
    kind: f.kind,
    note: f.note,
    at: f.at,
    state,
    reply: null,
    fixedVersion: null,
    notice: false,
  });
  const pendingIds = new Set(s.pending.map((f) => f.id));
  const out: MyFlag[] = [
    ...s.pending.filter((f) => !listed.has(f.id)).map((f) => own(f, 'pending')),
    ...s.delivered.filter((f) => !listed.has(f.id) && !pendingIds.has(f.id)).map((f) => own(f, 'open')),
    ...city.map((f): MyFlag => ({
      id: f.id,
      entryId: f.entryId,
      entryTitle: f.entryTitle,
      entryVersion: f.entryVersion,
      kind: f.kind,
      note: f.note,
      at: f.at,
      state: f.state,
      reply: f.reply,
      fixedVersion: f.fixedVersion,
      notice: f.state !== 'open' && !s.seen(f.id),
    })),
  ];
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

export interface MyFlagsDeps {
  /** The agent's flags from the city server. */
  fetch(): Promise<{ flags: Flag[] }>;
  /** The flags in the desk's outbox. */
  pending(): FlagInput[];
  titleOf(entryId: string): string | null;
  clock: () => Date;
  logger: Logger;
  /** The list changed (a flag raised, delivered, answered, a notice seen). */
  changed(flags: MyFlags): void;
}

/**
 * "내 신고": the agent's flags and what the departments made of them. The city's list is asked
 * for with each sync (`refresh`) and kept in the cache, so the desk shows it offline and after a
 * restart; flags not yet with the city come from the outbox.
 */
export function createMyFlags(db: CacheDb, deps: MyFlagsDeps) {
  const markSeen = db.prepare('INSERT INTO flag_notices_seen(id, at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING');
  const isSeen = db.prepare('SELECT 1 FROM flag_notices_seen WHERE id = ?').pluck();
  // Delivered flags wait here, numbered, until a list asked for after their delivery shows them.
  let delivered: { flag: FlagInput; seq: number }[] = [];
  let seq = 0;
  let lastError: string | null = null;
  let refreshing: Promise<void> | null = null;
  let closed = false;

  const stored = (): { flags: Flag[]; checkedAt: string | null } => {
    const raw = getMeta(db, 'myFlags');
    return raw ? (JSON.parse(raw) as { flags: Flag[]; checkedAt: string }) : { flags: [], checkedAt: null };
  };
  const list = (): MyFlags => {
    const city = stored();
    const flags = mergeMyFlags(city.flags, { pending: deps.pending(), delivered: delivered.map((d) => d.flag), seen: (id) => isSeen.get(id) !== undefined, titleOf: deps.titleOf });
    return { flags, checkedAt: city.checkedAt };
  };
  const changed = () => deps.changed(list());

  async function fetchOnce(): Promise<void> {
    const asked = seq;
    let answer: { flags: Flag[] };
    try {
      answer = await deps.fetch();
    } catch (e) {
      if (closed) return;
      const message = (e as Error).message;
      // Said once per outage, not with every sync.
      if (message !== lastError) deps.logger.warn(`my flags: ${message}`);
      lastError = message;
      return;
    }
    // The desk signed out (its cache closed) while the city answered.
    if (closed) return;
    lastError = null;
    const before = JSON.stringify(list().flags);
    setMeta(db, 'myFlags', JSON.stringify({ flags: answer.flags, checkedAt: deps.clock().toISOString() }));
    delivered = delivered.filter((d) => d.seq > asked);
    const after = list();
    // The check time alone is no change worth telling the page about.
    if (JSON.stringify(after.flags) !== before) deps.changed(after);
  }

  /** Asks the city for the agent's flags (one request at a time); never fails. */
  const refresh = (): Promise<void> =>
    (refreshing ??= fetchOnce()
      .catch((e: Error) => deps.logger.warn(`my flags: ${e.message}`))
      .finally(() => (refreshing = null)));

  return {
    list,
    refresh,
    /** A flag was raised on this desk. */
    raised: changed,
    /** The outbox delivered these: shown as with the city, then the city asked for what it made of them. */
    delivered(flags: readonly FlagInput[]): void {
      delivered = [...delivered, ...flags.map((flag) => ({ flag, seq: ++seq }))];
      changed();
      void refresh();
    },
    /** The agent saw these notices. Returns how many were new. */
    seen(ids: readonly string[]): number {
      const at = deps.clock().toISOString();
      const n = db.transaction(() => ids.reduce((sum, id) => sum + markSeen.run(id, at).changes, 0))();
      if (n > 0) changed();
      return n;
    },
    /** Before the cache closes: an answer still on its way is dropped. */
    close(): void {
      closed = true;
    },
  };
}
