import { createContext, useContext } from 'react';

export type PhoneAction = 'answer' | 'hangup' | 'hold' | 'mute' | 'transfer';
export const PHONE_ACTIONS: readonly PhoneAction[] = ['answer', 'hold', 'mute', 'transfer', 'hangup'];

/** Which function key does what; the agent may remap them (the keys overlay, F1). */
export type Keymap = Readonly<Record<PhoneAction, string>>;

// Function keys, as call-center desks use them: no Korean IME composes them, and they do not
// collide with typing in the search box or the notes.
export const DEFAULT_KEYMAP: Keymap = { answer: 'F2', hold: 'F3', hangup: 'F4', mute: 'F6', transfer: 'F7' };

/** Keys an action may take. F1 opens the keys overlay; F5 (reload), F11 (full screen) and F12 stay the browser's. */
export const ASSIGNABLE_KEYS = ['F2', 'F3', 'F4', 'F6', 'F7', 'F8', 'F9', 'F10'] as const;

/** The key that opens the keys overlay. */
export const HELP_KEY = 'F1';

/** `action` on `key`; an action that had the key takes the old key of `action` (no key does two things). */
export function remap(map: Keymap, action: PhoneAction, key: string): Keymap {
  if (!(ASSIGNABLE_KEYS as readonly string[]).includes(key)) return map;
  const holder = PHONE_ACTIONS.find((a) => map[a] === key);
  return { ...map, ...(holder && holder !== action ? { [holder]: map[action] } : {}), [action]: key };
}

/** A keymap read from storage: every action on a distinct assignable key, or the default. */
export function validKeymap(value: unknown): Keymap {
  if (typeof value !== 'object' || value === null) return DEFAULT_KEYMAP;
  const map = value as Record<string, unknown>;
  const keys = PHONE_ACTIONS.map((a) => map[a]);
  const ok = keys.every((k) => typeof k === 'string' && (ASSIGNABLE_KEYS as readonly string[]).includes(k)) && new Set(keys).size === keys.length;
  return ok ? (Object.fromEntries(PHONE_ACTIONS.map((a) => [a, map[a]])) as unknown as Keymap) : DEFAULT_KEYMAP;
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'isComposing' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'> & { keyCode?: number };

/** A key pressed while the IME composes a syllable (keyCode 229 where isComposing is not set). */
export const composing = (e: Pick<KeyLike, 'isComposing' | 'keyCode'>) => e.isComposing || e.keyCode === 229;

/** The phone action a key press asks for, or null (modified keys and IME composition never count). */
export function shortcutFor(e: KeyLike, map: Keymap = DEFAULT_KEYMAP): PhoneAction | null {
  if (composing(e) || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return null;
  return PHONE_ACTIONS.find((a) => map[a] === e.key) ?? null;
}

/** Ctrl+K (⌘K on a Mac): to the knowledge search from anywhere. */
export const isSearchKey = (e: KeyLike) => !composing(e) && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';

export const KeymapContext = createContext<Keymap>(DEFAULT_KEYMAP);
export const useKeymap = () => useContext(KeymapContext);
