import { createStore } from 'zustand/vanilla';
import { DEFAULT_KEYMAP, remap, validKeymap, type DeskAction, type Keymap } from '../phone/shortcuts';

export const THEMES = ['system', 'light', 'dark', 'contrast'] as const;
/** 'system' follows the OS (dark mode, more contrast); the others are the agent's own choice. */
export type ThemeChoice = (typeof THEMES)[number];
export const TEXT_SIZES = ['normal', 'large', 'larger'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

export interface LocalPreferences {
  /** Answer a ringing call by itself after this many seconds; null: the agent answers. */
  autoAnswerSeconds: number | null;
  theme: ThemeChoice;
  textSize: TextSize;
  /** Pane widths by layout, in percent, as the agent left them. */
  paneLayouts: Record<string, Record<string, number>>;
  /** The desk's function keys (the phone's, the flag's), as the agent mapped them. */
  keymap: Keymap;
  setAutoAnswer(seconds: number | null): void;
  setTheme(theme: ThemeChoice): void;
  setTextSize(size: TextSize): void;
  setPaneLayout(layout: string, sizes: Record<string, number>): void;
  /** Puts `action` on `key` (the action that had it takes the old one). */
  setKey(action: DeskAction, key: string): void;
  resetKeys(): void;
}

const KEY = 'minwon.autoAnswerSeconds';
const THEME_KEY = 'minwon.theme';
const TEXT_SIZE_KEY = 'minwon.textSize';
const PANES_KEY = 'minwon.paneLayouts';
const KEYMAP_KEY = 'minwon.keymap';

const MAX_SECONDS = 60;
const valid = (n: number | null): n is number => n !== null && Number.isInteger(n) && n >= 0 && n <= MAX_SECONDS;

type Storage3 = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const read = (storage: Pick<Storage, 'getItem'>): number | null => {
  const raw = storage.getItem(KEY);
  // Plain digits only: Number('') is 0, which would answer every call at once.
  const n = raw !== null && /^\d{1,2}$/.test(raw) ? Number(raw) : null;
  return valid(n) ? n : null;
};

const oneOf = <T extends string>(values: readonly T[], raw: string | null, fallback: T): T => (values as readonly (string | null)[]).includes(raw) ? (raw as T) : fallback;

/** Saved pane layouts; anything else in storage (an older format, a hand edit) is dropped. */
function readLayouts(raw: string | null): Record<string, Record<string, number>> {
  try {
    const parsed: unknown = JSON.parse(raw ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: Record<string, Record<string, number>> = {};
    for (const [name, sizes] of Object.entries(parsed)) {
      // Arrays were an older layout format: their indexes name no pane.
      if (typeof sizes !== 'object' || sizes === null || Array.isArray(sizes)) continue;
      const entries = Object.entries(sizes as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0 && e[1] < 100);
      if (entries.length > 0) out[name] = Object.fromEntries(entries);
    }
    return out;
  } catch {
    return {};
  }
}

function readKeymap(raw: string | null): Keymap {
  try {
    return validKeymap(JSON.parse(raw ?? 'null'));
  } catch {
    return DEFAULT_KEYMAP;
  }
}

/** This desk's own choices (not the city's): kept in the page's storage. */
export function createLocalPreferences(storage: Storage3) {
  return createStore<LocalPreferences>()((set, get) => ({
    autoAnswerSeconds: read(storage),
    theme: oneOf(THEMES, storage.getItem(THEME_KEY), 'system'),
    textSize: oneOf(TEXT_SIZES, storage.getItem(TEXT_SIZE_KEY), 'normal'),
    paneLayouts: readLayouts(storage.getItem(PANES_KEY)),
    keymap: readKeymap(storage.getItem(KEYMAP_KEY)),
    setAutoAnswer(seconds) {
      if (seconds !== null && !valid(seconds)) return;
      if (seconds === null) storage.removeItem(KEY);
      else storage.setItem(KEY, String(seconds));
      set({ autoAnswerSeconds: seconds });
    },
    setTheme(theme) {
      if (!THEMES.includes(theme)) return;
      storage.setItem(THEME_KEY, theme);
      set({ theme });
    },
    setTextSize(textSize) {
      if (!TEXT_SIZES.includes(textSize)) return;
      storage.setItem(TEXT_SIZE_KEY, textSize);
      set({ textSize });
    },
    setKey(action, key) {
      const keymap = remap(get().keymap, action, key);
      storage.setItem(KEYMAP_KEY, JSON.stringify(keymap));
      set({ keymap });
    },
    resetKeys() {
      storage.removeItem(KEYMAP_KEY);
      set({ keymap: DEFAULT_KEYMAP });
    },
    setPaneLayout(layout, sizes) {
      const paneLayouts = { ...get().paneLayouts, [layout]: sizes };
      storage.setItem(PANES_KEY, JSON.stringify(paneLayouts));
      set({ paneLayouts });
    },
  }));
}

export type LocalPreferencesStore = ReturnType<typeof createLocalPreferences>;
