import { createStore } from 'zustand/vanilla';
import type { MethodName, MethodParams, MethodResult } from '../../shared/contract';
import type { Timers } from '../../shared/rpc';

/**
 * This page's hold on the agent's desk (electron/core/desk/desk-lease.ts): 'held' runs the phone
 * and reports the agent's state; 'waiting' means another window has a call or an unfiled
 * consultation (tried again every few seconds); 'displaced' means another window took the desk
 * while this one was idle (the agent may take it back).
 */
export type DeskHold = 'claiming' | 'held' | 'waiting' | 'displaced';

export interface DeskClaimDeps {
  pageId: string;
  call: <M extends MethodName>(method: M, params: MethodParams<M>) => Promise<MethodResult<M>>;
  /** Whether this page has a call or a consultation in progress. */
  busy: () => boolean;
  timers: Timers;
  renewMs?: number;
}

export function createDeskClaim(deps: DeskClaimDeps) {
  const renewMs = deps.renewMs ?? 2_000;
  const store = createStore<{ hold: DeskHold }>()(() => ({ hold: 'claiming' }));
  let timer: unknown = null;
  // The page is going away: it asks for nothing more.
  let leaving = false;
  const schedule = (fn: () => void) => {
    if (timer !== null) deps.timers.clearTimeout(timer);
    timer = deps.timers.setTimeout(() => ((timer = null), fn()), renewMs);
  };
  const displaced = () => {
    if (timer !== null) deps.timers.clearTimeout(timer);
    timer = null;
    store.setState({ hold: 'displaced' });
  };
  // Another page took the desk. A page in the middle of a call takes it straight back (the other
  // one, just opened, is idle): a call is never dropped for a tab that was opened by mistake.
  const lost = () => (leaving ? undefined : deps.busy() ? claim() : displaced());
  const renew = () => {
    void deps.call('renewDesk', { pageId: deps.pageId, busy: deps.busy() }).then(
      ({ held }) => (held ? schedule(renew) : lost()),
      // The core is out of reach: the next connection claims again.
      () => undefined,
    );
  };
  function claim() {
    if (leaving) return;
    if (store.getState().hold !== 'held') store.setState({ hold: 'claiming' });
    void deps.call('claimDesk', { pageId: deps.pageId }).then(
      (r) => {
        if (r.granted) {
          store.setState({ hold: 'held' });
          return renew();
        }
        store.setState({ hold: 'waiting' });
        schedule(claim);
      },
      () => undefined,
    );
  }
  return {
    store,
    /** Connected (again) to the core: (re)claim, unless the agent left the desk to another window. */
    connected() {
      if (store.getState().hold !== 'displaced') claim();
    },
    /** The agent takes the desk back into this window. */
    takeBack: claim,
    /** The core says who holds the desk now. */
    holderIs(pageId: string | null) {
      if (pageId !== deps.pageId && store.getState().hold === 'held') lost();
    },
    /** This page's calls or consultation changed: the core hears at once whether it is busy. */
    busyChanged() {
      if (store.getState().hold === 'held') renew();
    },
    /** The page is going away. */
    release() {
      leaving = true;
      if (timer !== null) deps.timers.clearTimeout(timer);
      timer = null;
      if (store.getState().hold === 'held') void deps.call('releaseDesk', { pageId: deps.pageId }).catch(() => undefined);
    },
  };
}

export type DeskClaim = ReturnType<typeof createDeskClaim>;
