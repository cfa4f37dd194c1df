import { createStore } from 'zustand/vanilla';

export interface LocalPreferences {
  /** Answer a ringing call by itself after this many seconds; null: the agent answers. */
  autoAnswerSeconds: number | null;
  setAutoAnswer(seconds: number | null): void;
}

const KEY = 'minwon.autoAnswerSeconds';

const MAX_SECONDS = 60;
const valid = (n: number | null): n is number => n !== null && Number.isInteger(n) && n >= 0 && n <= MAX_SECONDS;

const read = (storage: Pick<Storage, 'getItem'>): number | null => {
  const raw = storage.getItem(KEY);
  // Plain digits only: Number('') is 0, which would answer every call at once.
  const n = raw !== null && /^\d{1,2}$/.test(raw) ? Number(raw) : null;
  return valid(n) ? n : null;
};

/** This desk's own choices (not the city's): kept in the page's storage. */
export function createLocalPreferences(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {
  return createStore<LocalPreferences>()((set) => ({
    autoAnswerSeconds: read(storage),
    setAutoAnswer(seconds) {
      if (seconds !== null && !valid(seconds)) return;
      if (seconds === null) storage.removeItem(KEY);
      else storage.setItem(KEY, String(seconds));
      set({ autoAnswerSeconds: seconds });
    },
  }));
}

export type LocalPreferencesStore = ReturnType<typeof createLocalPreferences>;
