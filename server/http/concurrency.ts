import { HttpError } from './http-error';

/**
 * Bounds requests in flight for a route: in all and per user. One account's hundred parallel
 * full syncs are refused at once (503, retried by desks with backoff) instead of queuing every
 * other desk's small sync behind them.
 */
export function createConcurrencyLimit(o: { total: number; perUser: number }) {
  let inFlight = 0;
  const byUser = new Map<string, number>();
  return {
    /** Takes a place for `user`, or throws 503; call the returned release exactly once when done. */
    enter(user: string): () => void {
      const mine = byUser.get(user) ?? 0;
      if (inFlight >= o.total || mine >= o.perUser) throw new HttpError(503, 'busy', 'too many requests in progress; try again shortly');
      inFlight++;
      byUser.set(user, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight--;
        const left = (byUser.get(user) ?? 1) - 1;
        if (left > 0) byUser.set(user, left);
        else byUser.delete(user);
      };
    },
    get inFlight(): number {
      return inFlight;
    },
  };
}
