import { createStore } from 'zustand/vanilla';
import type { MyFlag } from '../../shared/contract';
import type { FlagKind } from '../../shared/knowledge';
import type { ManualEntry } from '../../shared/manual';
import type { CoreClient } from '../../shared/rpc';

export interface FlagsState {
  /** The agent's flags, newest first (the core's: the city's as last checked, and those still on the desk). */
  flags: readonly MyFlag[];
  /** When the city last told the desk; null: not yet. */
  checkedAt: string | null;
  /** The flag menu on the open entry: 0 closed; each opening (the button, the flag key) counts up. */
  menu: number;
  openMenu(): void;
  closeMenu(): void;
  /** Flags `entry`; resolves true once the core keeps it (it delivers it when the city can be reached). */
  raise(entry: Pick<ManualEntry, 'id' | 'version'>, kind: FlagKind, note: string): Promise<boolean>;
  /** The agent saw these closed flags' notices. */
  seen(ids: readonly string[]): void;
}

export interface FlagsDeps {
  /** Whether a call or a consultation is under way: the flag says it came from one. */
  duringCall(): boolean;
}

/**
 * "내 신고" on the page: the agent's flags as the core tells them (its `myFlags` event: a flag
 * raised, delivered, answered), the flag menu, and the notices of closed flags.
 */
export function createFlagsStore(deps: FlagsDeps) {
  let client: CoreClient | null = null;
  let unsubscribe: (() => void) | null = null;
  const store = createStore<FlagsState>()((set, get) => ({
    flags: [],
    checkedAt: null,
    menu: 0,
    openMenu: () => set({ menu: get().menu + 1 }),
    closeMenu: () => set({ menu: 0 }),
    async raise(entry, kind, note) {
      if (!client) return false;
      try {
        await client.call('flagEntry', { entryId: entry.id, entryVersion: entry.version, kind, note, duringCall: deps.duringCall() });
        return true;
      } catch {
        return false;
      }
    },
    seen(ids) {
      if (!client || ids.length === 0) return;
      // Gone from the screen at once; the core keeps that it was seen.
      set({ flags: get().flags.map((f) => (ids.includes(f.id) ? { ...f, notice: false } : f)) });
      void client.call('seenFlagNotices', { ids: [...ids] }).catch(() => undefined);
    },
  }));
  return {
    store,
    /** Follows the desk's client: the agent's flags for a signed-in desk, nothing otherwise. */
    use(c: CoreClient | null): void {
      if (c === client) return;
      unsubscribe?.();
      unsubscribe = null;
      client = c;
      store.setState({ flags: [], checkedAt: null, menu: 0 });
      if (!c) return;
      let told = 0;
      unsubscribe = c.on('myFlags', (mine) => (told++, store.setState(mine)));
      // An event after the question is newer than its answer.
      void c.call('myFlags', {}).then(
        (mine) => client === c && told === 0 && store.setState(mine),
        () => undefined,
      );
    },
  };
}

export type FlagsStore = ReturnType<typeof createFlagsStore>['store'];
