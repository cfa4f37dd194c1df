/**
 * One agent, one desk: of the pages (tabs, windows) open on this core, exactly one holds the
 * desk — runs the phone and reports the agent's state. A new page takes the desk over from an idle
 * one (which is told, and stands down); it is refused while the holder is busy with a call or an
 * unfiled consultation, unless the holder has stopped renewing (its page is gone).
 */
export interface DeskLease {
  claim(pageId: string): { granted: true } | { granted: false; reason: 'busy' };
  /**
   * The holder is alive; `busy`: it has a call or a consultation in progress. A page renewing a
   * desk nobody holds gets it (the core restarted and forgot). False: another page holds it.
   */
  renew(pageId: string, busy: boolean): boolean;
  release(pageId: string): boolean;
  /** Whether this page is the holder (however long since it renewed: a background tab may be slow to). */
  holds(pageId: string): boolean;
  /** Told the new holder (null: nobody) whenever it changes. */
  onChange(listener: (holder: string | null) => void): () => void;
}

/** A holder not heard from for this long is gone (its page closed or crashed). */
export const DESK_LEASE_TTL_MS = 6_000;

export function createDeskLease(deps: { now: () => number; ttlMs?: number }): DeskLease {
  const ttl = deps.ttlMs ?? DESK_LEASE_TTL_MS;
  let holder: { pageId: string; busy: boolean; renewedAt: number } | null = null;
  const listeners = new Set<(holder: string | null) => void>();
  const alive = () => holder !== null && deps.now() - holder.renewedAt <= ttl;
  const give = (pageId: string | null) => {
    const changed = (holder?.pageId ?? null) !== pageId;
    holder = pageId === null ? null : { pageId, busy: false, renewedAt: deps.now() };
    if (changed) listeners.forEach((l) => l(pageId));
  };
  return {
    claim(pageId) {
      if (holder?.pageId === pageId) {
        holder.renewedAt = deps.now();
        return { granted: true };
      }
      if (alive() && holder?.busy) return { granted: false, reason: 'busy' };
      give(pageId);
      return { granted: true };
    },
    renew(pageId, busy) {
      if (holder === null) give(pageId);
      if (holder?.pageId !== pageId) return false;
      holder.busy = busy;
      holder.renewedAt = deps.now();
      return true;
    },
    release(pageId) {
      if (holder?.pageId !== pageId) return false;
      give(null);
      return true;
    },
    holds: (pageId) => holder?.pageId === pageId,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
