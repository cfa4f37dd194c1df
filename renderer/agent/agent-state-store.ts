import { createStore } from 'zustand/vanilla';
import type { Timers } from '../../shared/rpc';

/** Whether the agent takes calls: only 'ready' is offered calls; being on a call shows in the phone. */
export type AgentState =
  | { kind: 'ready' }
  | { kind: 'not-ready'; reason: string | null }
  | { kind: 'break'; since: number }
  | { kind: 'wrap-up'; until: number };

export interface AgentStateStore {
  state: AgentState;
  setReady(): void;
  /** `reason` is an id from the city's list; null before the agent starts work. */
  setNotReady(reason: string | null): void;
  /** A break: not offered calls, and counted apart from not-ready work on the team lead's board. */
  setBreak(): void;
  /** After a call: after-call work for `seconds`, then ready again by itself (0: ready at once). */
  startWrapUp(seconds: number): void;
  takesCalls(): boolean;
}

export function createAgentStateStore(deps: { now: () => number; timers: Timers }) {
  let timer: unknown = null;
  const cancel = () => {
    if (timer !== null) deps.timers.clearTimeout(timer);
    timer = null;
  };
  return createStore<AgentStateStore>()((set, get) => ({
    // Agents start not ready: calls come only once they say they are ready.
    state: { kind: 'not-ready', reason: null },
    setReady() {
      cancel();
      set({ state: { kind: 'ready' } });
    },
    setNotReady(reason) {
      cancel();
      set({ state: { kind: 'not-ready', reason } });
    },
    setBreak() {
      cancel();
      set({ state: { kind: 'break', since: deps.now() } });
    },
    startWrapUp(seconds) {
      cancel();
      // An agent who went not ready or on break during the call stays so.
      if (get().state.kind === 'not-ready' || get().state.kind === 'break') return;
      if (seconds <= 0) return set({ state: { kind: 'ready' } });
      set({ state: { kind: 'wrap-up', until: deps.now() + seconds * 1000 } });
      timer = deps.timers.setTimeout(() => {
        timer = null;
        if (get().state.kind === 'wrap-up') set({ state: { kind: 'ready' } });
      }, seconds * 1000);
    },
    takesCalls: () => get().state.kind === 'ready',
  }));
}

export type AgentStateStoreApi = ReturnType<typeof createAgentStateStore>;
