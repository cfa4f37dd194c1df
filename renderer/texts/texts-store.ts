import { createStore, type StoreApi } from 'zustand/vanilla';
import { measureSms } from '../../shared/sms/sms-bytes';
import type { MediaType, TextMessage, TextThread } from '../../shared/text-inquiry';
import type { Timers } from '../../shared/rpc';

export interface TextsState {
  /** The agent's threads as the city server last said (theirs, the one offered, everyone's unanswered). */
  threads: readonly TextThread[];
  /** The thread on screen, with its messages. */
  selected: TextThread | null;
  /** The thread this agent took last: the consultation follows it (screen-pop, wrap-up); `seq` tells a thread taken again (reopened) from the same. */
  taken: { id: string; number: string; seq: number; question: string | null } | null;
  /** Pictures loaded for the thread on screen, by id, as data URLs. */
  pictures: Readonly<Record<string, string>>;
  busy: boolean;
  /** Why the last action failed. */
  error: string | null;
  /** Why the last refresh failed (the city out of reach): what is shown is as of then. */
  stale: string | null;
  refresh(): Promise<void>;
  select(id: string | null): Promise<void>;
  take(id: string): Promise<void>;
  /** The consultation follows this thread now (its wrap-up asked for), without asking the city. */
  follow(thread: TextThread): void;
  decline(id: string): Promise<void>;
  /** Sends a reply to the thread on screen: resolves true once the desk keeps it (durable, sent when it can be). */
  send(text: string): Promise<boolean>;
  loadPicture(id: string): Promise<void>;
  watch(): () => void;
}

export interface TextsDeps {
  threads(): Promise<{ threads: TextThread[] }>;
  thread(id: string): Promise<{ thread: TextThread }>;
  take(id: string): Promise<{ thread: TextThread }>;
  decline(id: string): Promise<unknown>;
  send(threadId: string, text: string): Promise<{ id: string }>;
  picture(id: string): Promise<{ type: MediaType; dataBase64: string }>;
  /** The agent's username: a thread offered to them, or theirs. */
  me(): string | null;
  now(): Date;
  timers: Timers;
  everyMs?: number;
}

/** A reply as this desk keeps it until the city has it. */
function pendingReply(id: string, text: string, agent: string | null, at: Date): TextMessage {
  return { id, direction: 'out', body: text, kind: measureSms(text).kind === 'sms' ? 'sms' : 'lms', at: at.toISOString(), agent, delivery: 'pending', deliveryAt: null, error: null, media: [] };
}

/** What the citizen asked: their latest texts (since the last reply), for the screen-pop's suggestions. */
function questionOf(thread: TextThread | null): string | null {
  const messages = thread?.messages ?? [];
  const lastReply = messages.map((m) => m.direction).lastIndexOf('out');
  const asked = messages.slice(lastReply + 1).map((m) => m.body).join('\n').slice(-500);
  return asked.trim() || null;
}

/**
 * The agent's text inquiries: the list (refreshed every 2 s while on screen), the thread on screen
 * (refreshed with it, so delivery receipts and the citizen's new texts show), taking or passing an
 * offered thread, and replies — kept by the core before anything else, so a reply typed offline
 * goes out once the city can be reached.
 */
export function createTextsStore(deps: TextsDeps): StoreApi<TextsState> {
  let watchers = 0;
  let takes = 0;
  let timer: unknown = null;
  return createStore<TextsState>()((set, get) => {
    const loadSelected = async (id: string) => {
      const { thread } = await deps.thread(id);
      if (get().selected?.id === id || get().selected === null) set({ selected: thread });
    };
    async function refresh(): Promise<void> {
      try {
        const { threads } = await deps.threads();
        set({ threads, stale: null });
        const open = get().selected;
        if (open) await loadSelected(open.id);
      } catch (e) {
        set({ stale: (e as Error).message });
      }
    }
    function schedule(): void {
      deps.timers.clearTimeout(timer);
      timer = watchers > 0 ? deps.timers.setTimeout(() => void refresh().then(schedule), deps.everyMs ?? 2_000) : null;
    }
    async function act(run: () => Promise<void>): Promise<boolean> {
      if (get().busy) return false;
      set({ busy: true, error: null });
      try {
        await run();
        return true;
      } catch (e) {
        set({ error: (e as Error).message });
        return false;
      } finally {
        set({ busy: false });
        await refresh();
      }
    }
    return {
      threads: [],
      selected: null,
      taken: null,
      pictures: {},
      busy: false,
      error: null,
      stale: null,
      refresh,
      async select(id) {
        if (id === null) return set({ selected: null, pictures: {} });
        set({ selected: get().threads.find((t) => t.id === id) ?? null, pictures: {} });
        try {
          await loadSelected(id);
        } catch (e) {
          set({ error: (e as Error).message });
        }
      },
      take: (id) =>
        act(async () => {
          const { thread } = await deps.take(id);
          set({ selected: thread });
          await loadSelected(thread.id);
          set({ taken: { id: thread.id, number: thread.number, seq: ++takes, question: questionOf(get().selected) } });
        }).then(() => undefined),
      follow: (thread) => set({ taken: { id: thread.id, number: thread.number, seq: ++takes, question: questionOf(thread) } }),
      decline: (id) =>
        act(async () => {
          await deps.decline(id);
          if (get().selected?.id === id) set({ selected: null });
        }).then(() => undefined),
      async send(text) {
        const thread = get().selected;
        if (!thread) return false;
        // The first reply takes a thread nobody answers yet: the consultation follows it.
        const mine = thread.assignedTo !== null && thread.assignedTo === deps.me();
        return act(async () => {
          const { id } = await deps.send(thread.id, text);
          if (!mine) set({ taken: { id: thread.id, number: thread.number, seq: ++takes, question: questionOf(thread) } });
          // Shown at once as the desk keeps it; the city's copy replaces it once it can be read.
          const on = get().selected;
          if (on?.id === thread.id && !on.messages?.some((m) => m.id === id)) set({ selected: { ...on, messages: [...(on.messages ?? []), pendingReply(id, text, deps.me(), deps.now())] } });
        });
      },
      async loadPicture(id) {
        if (get().pictures[id]) return;
        try {
          const p = await deps.picture(id);
          set({ pictures: { ...get().pictures, [id]: `data:${p.type};base64,${p.dataBase64}` } });
        } catch (e) {
          set({ error: (e as Error).message });
        }
      },
      watch() {
        watchers += 1;
        if (watchers === 1) void refresh().then(schedule);
        return () => {
          watchers -= 1;
          if (watchers === 0) {
            deps.timers.clearTimeout(timer);
            timer = null;
          }
        };
      },
    };
  });
}

export type TextsStore = ReturnType<typeof createTextsStore>;
