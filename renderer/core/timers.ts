import type { Timers } from '../../shared/rpc';

/** The page's timers, as the stores and the core client take them. */
export const browserTimers: Timers = {
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
};
