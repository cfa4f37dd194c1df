import { createStore } from 'zustand/vanilla';

/** How many recent transfer targets the directory keeps. */
export const RECENT_LIMIT = 5;
const FAVOURITES_KEY = 'minwon.directory.favourites';
const RECENT_KEY = 'minwon.directory.recent';
const MAX_IDS = 100;

export interface DirectoryMemory {
  /** Staff ids the agent starred, in the order starred. */
  favourites: string[];
  /** Staff ids last called or transferred to, newest first. */
  recent: string[];
  toggleFavourite(staffId: string): void;
  used(staffId: string): void;
}

/** A list of ids kept in storage; anything else found there (a hand edit, an old format) reads as empty. */
function readIds(storage: Pick<Storage, 'getItem'>, key: string): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string').slice(0, MAX_IDS) : [];
  } catch {
    return [];
  }
}

/** The agent's favourite and recent directory entries: what they reach for first, kept on this desk. */
export function createDirectoryMemory(storage: Pick<Storage, 'getItem' | 'setItem'>) {
  return createStore<DirectoryMemory>()((set, get) => ({
    favourites: readIds(storage, FAVOURITES_KEY),
    recent: readIds(storage, RECENT_KEY),
    toggleFavourite(staffId) {
      const now = get().favourites;
      const favourites = now.includes(staffId) ? now.filter((id) => id !== staffId) : [...now, staffId].slice(-MAX_IDS);
      storage.setItem(FAVOURITES_KEY, JSON.stringify(favourites));
      set({ favourites });
    },
    used(staffId) {
      const recent = [staffId, ...get().recent.filter((id) => id !== staffId)].slice(0, RECENT_LIMIT);
      storage.setItem(RECENT_KEY, JSON.stringify(recent));
      set({ recent });
    },
  }));
}

export type DirectoryMemoryStore = ReturnType<typeof createDirectoryMemory>;
