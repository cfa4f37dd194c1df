import type { TeamBoard } from '../../shared/board';
import type { Timers } from '../../shared/rpc';
import { createPolledStore, type PolledStore } from '../core/polled-store';

/** The team lead's board, every 2 s while it is on screen. */
export const createBoardStore = (deps: { load: () => Promise<TeamBoard>; timers: Timers; everyMs?: number }) => createPolledStore({ everyMs: 2_000, ...deps });
export type BoardStore = PolledStore<TeamBoard>;
