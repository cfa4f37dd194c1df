import { createStore } from 'zustand/vanilla';
import type { Timers } from '../../shared/rpc';

/** Whether the agent takes calls: only 'ready' is offered calls; being on a call shows in the phone. */
export type AgentState =
  | { kind: 'ready' }
  | { kind: 'not-ready'; reason: string | null }
  | { kind: 'break'; since: number }
  | { kind: 'wrap-up'; until: number };

/** The not-ready reason a locked desk gives: nobody is at it. Not one of the city's reasons, and always known. */
export const LOCKED_REASON = 'locked';

export interface AgentStateStore {
  state: AgentState;
  /** When the agent entered the state (ms since the epoch), for the time-in-state in the call bar. */
  since: number;
  setReady(): void;
  /** `reason` is an id from the city's list; null before the agent starts work. */
  setNotReady(reason: string | null): void;
  /** A break: not offered calls, and counted apart from not-ready work on the team lead's board. */
  setBreak(): void;
  /** After a call: after-call work for `seconds`, then ready again by itself (0: ready at once). */
  startWrapUp(seconds: number): void;
  /** More after-call work time, asked for by the agent (KWCAG: a time limit can be extended). */
  extendWrapUp(seconds: number): void;
  takesCalls(): boolean;
}

export function createAgentStateStore(deps: { now: () => number; timers: Timers }) {
  let timer: unknown = null;
  const cancel = () => {
    if (timer !== null) deps.timers.clearTimeout(timer);
    timer = null;
  };
  return createStore<AgentStateStore>()((set, get) => {
    // The time in state restarts only when the state's kind (or not-ready reason) changes.
    const enter = (state: AgentState) => {
      const was = get().state;
      const same = was.kind === state.kind && (state.kind !== 'not-ready' || (was.kind === 'not-ready' && was.reason === state.reason));
      set(same ? { state } : { state, since: deps.now() });
    };
    const wrapUpUntil = (until: number) => {
      cancel();
      enter({ kind: 'wrap-up', until });
      timer = deps.timers.setTimeout(() => {
        timer = null;
        if (get().state.kind === 'wrap-up') enter({ kind: 'ready' });
      }, until - deps.now());
    };
    return {
    // Agents start not ready: calls come only once they say they are ready.
    state: { kind: 'not-ready', reason: null },
    since: deps.now(),
    setReady() {
      cancel();
      enter({ kind: 'ready' });
    },
    setNotReady(reason) {
      cancel();
      enter({ kind: 'not-ready', reason });
    },
    setBreak() {
      cancel();
      const now = deps.now();
      set({ state: { kind: 'break', since: now }, since: now });
    },
    startWrapUp(seconds) {
      cancel();
      // An agent who went not ready or on break during the call stays so.
      if (get().state.kind === 'not-ready' || get().state.kind === 'break') return;
      if (seconds <= 0) return enter({ kind: 'ready' });
      wrapUpUntil(deps.now() + seconds * 1000);
    },
    extendWrapUp(seconds) {
      const state = get().state;
      if (state.kind !== 'wrap-up' || seconds <= 0) return;
      wrapUpUntil(state.until + seconds * 1000);
    },
    takesCalls: () => get().state.kind === 'ready',
    };
  });
}

export type AgentStateStoreApi = ReturnType<typeof createAgentStateStore>;
