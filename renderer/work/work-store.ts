import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AgentCallbackRequest, Callback, CallbackOutcome } from '../../shared/callback';
import type { Timers } from '../../shared/rpc';
import type { CallView } from '../phone/phone-store';

/** The callback this desk is dialling or talking on, from the moment the agent took it. */
export interface ActiveCallback {
  id: string;
  attemptId: string;
  /** What the desk dialled (national digits: the PBX trunk's form). */
  dialled: string;
  /** The citizen answered. */
  connected: boolean;
  /** The call is over: the outcome is the agent's to say. */
  ended: boolean;
}

export interface WorkState {
  /** The agent's callbacks as the city server last said (the offer, dials not settled, those kept). */
  callbacks: readonly Callback[];
  active: ActiveCallback | null;
  /** An action is on its way to the city server (its buttons wait). */
  busy: boolean;
  /** Why the last action or refresh failed, for the agent. */
  error: string | null;
  accept(id: string): Promise<void>;
  decline(id: string): Promise<void>;
  /** The outcome of an attempt: the active one, or one left unsettled (a desk that restarted mid-dial). */
  settle(id: string, attemptId: string, outcome: CallbackOutcome): Promise<void>;
  /** A callback the citizen asked for ("call me back tomorrow at 3"): it, or why the city refused. */
  ask(request: AgentCallbackRequest): Promise<{ callback: Callback } | { error: string }>;
  /** Calls off a callback the agent keeps. */
  cancel(id: string): Promise<void>;
  /** Asks the city server now (the agent just turned ready: an offer may be waiting). */
  refresh(): Promise<void>;
  /** Refreshes every `everyMs` while watched. */
  watch(): () => void;
}

export interface WorkDeps {
  myCallbacks(): Promise<{ callbacks: Callback[] }>;
  accept(id: string): Promise<{ callback: Callback; attemptId: string }>;
  decline(id: string): Promise<unknown>;
  connected(id: string, attemptId: string): Promise<unknown>;
  outcome(id: string, attemptId: string, outcome: CallbackOutcome): Promise<unknown>;
  ask(request: AgentCallbackRequest): Promise<{ callback: Callback }>;
  cancel(id: string): Promise<unknown>;
  /** Places the call (the phone's dial). */
  dial(number: string): void;
  timers: Timers;
  everyMs?: number;
}

/** `+821012345678` → `01012345678`: a Korean number as the city's trunk dials it. */
export function dialString(e164: string): string {
  return e164.startsWith('+82') ? `0${e164.slice(3)}` : e164;
}

/**
 * The agent's callback work: offers to take or pass on, the dial that follows (the desk's own
 * phone through the PBX trunk), and its outcome. The city server writes the attempt before the
 * desk dials, so nothing here can make a number be dialled twice; an attempt whose outcome this
 * desk never said (it restarted mid-dial) comes back in the list, for the agent to settle.
 */
export function createWorkStore(deps: WorkDeps): StoreApi<WorkState> & { followCall(call: CallView | null): void } {
  let watchers = 0;
  let timer: unknown = null;
  const store = createStore<WorkState>()((set, get) => {
    // Whether the error on screen is the last refresh's (the city out of reach): the next good
    // refresh clears it; an action's refusal stays until the next action.
    let refreshFailed = false;
    async function refresh(): Promise<void> {
      try {
        const { callbacks } = await deps.myCallbacks();
        set({ callbacks, ...(refreshFailed ? { error: null } : {}) });
        refreshFailed = false;
      } catch (e) {
        refreshFailed = true;
        set({ error: (e as Error).message });
      }
    }
    function schedule(): void {
      deps.timers.clearTimeout(timer);
      timer = watchers > 0 ? deps.timers.setTimeout(() => void refresh().then(schedule), deps.everyMs ?? 2_000) : null;
    }
    async function act(run: () => Promise<void>): Promise<void> {
      if (get().busy) return;
      refreshFailed = false;
      set({ busy: true, error: null });
      try {
        await run();
      } catch (e) {
        set({ error: (e as Error).message });
      } finally {
        set({ busy: false });
        await refresh();
      }
    }
    return {
      callbacks: [],
      active: null,
      busy: false,
      error: null,
      accept: (id) =>
        act(async () => {
          if (get().active) throw new Error('busy with another callback');
          const { callback, attemptId } = await deps.accept(id);
          const dialled = dialString(callback.number);
          set({ active: { id, attemptId, dialled, connected: false, ended: false } });
          deps.dial(dialled);
        }),
      decline: (id) => act(async () => void (await deps.decline(id))),
      // The form that asked shows its own refusal: the call bar's line is for the offer and the dial.
      async ask(request) {
        try {
          const { callback } = await deps.ask(request);
          await refresh();
          return { callback };
        } catch (e) {
          return { error: (e as Error).message };
        }
      },
      cancel: (id) => act(async () => void (await deps.cancel(id))),
      settle: (id, attemptId, outcome) =>
        act(async () => {
          await deps.outcome(id, attemptId, outcome);
          if (get().active?.attemptId === attemptId) set({ active: null });
        }),
      refresh,
      watch() {
        watchers += 1;
        if (watchers === 1) void refresh().then(schedule);
        return () => {
          watchers -= 1;
          if (watchers === 0) schedule();
        };
      },
    };
  });
  return {
    ...store,
    /** Follows the phone's call: the active callback's dial answered, then ended. */
    followCall(call: CallView | null): void {
      const active = store.getState().active;
      if (!active || active.ended || !call || call.direction !== 'outgoing' || call.dialled !== active.dialled) return;
      if (call.state === 'connected' && !active.connected) {
        store.setState({ active: { ...active, connected: true } });
        void deps.connected(active.id, active.attemptId).catch((e: Error) => store.setState({ error: e.message }));
      } else if (call.state === 'ended') {
        store.setState({ active: { ...active, ended: true } });
      }
    },
  };
}

export type WorkStore = ReturnType<typeof createWorkStore>;
