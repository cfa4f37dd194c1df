import { createContext, useContext } from 'react';

/** `warn`: the recorded warning to an abusive caller (폭언 경고). */
export type PhoneAction = 'answer' | 'hangup' | 'hold' | 'mute' | 'transfer' | 'warn';
export const PHONE_ACTIONS: readonly PhoneAction[] = ['answer', 'hold', 'mute', 'transfer', 'hangup', 'warn'];
/** The phone's actions, and flagging the open manual entry (its kind is the next key, 1–4). */
export type DeskAction = PhoneAction | 'flag';
export const DESK_ACTIONS: readonly DeskAction[] = [...PHONE_ACTIONS, 'flag'];

/** Which function key does what; the agent may remap them (the keys overlay, F1). */
export type Keymap = Readonly<Record<DeskAction, string>>;

// Function keys, as call-center desks use them: no Korean IME composes them, and they do not
// collide with typing in the search box or the notes.
export const DEFAULT_KEYMAP: Keymap = { answer: 'F2', hold: 'F3', hangup: 'F4', mute: 'F6', transfer: 'F7', flag: 'F8', warn: 'F9' };

/** Keys an action may take. F1 opens the keys overlay; F5 (reload), F11 (full screen) and F12 stay the browser's. */
export const ASSIGNABLE_KEYS = ['F2', 'F3', 'F4', 'F6', 'F7', 'F8', 'F9', 'F10'] as const;

/** The key that opens the keys overlay. */
export const HELP_KEY = 'F1';

const assignable = (k: unknown): k is string => typeof k === 'string' && (ASSIGNABLE_KEYS as readonly string[]).includes(k);

/** `action` on `key`; an action that had the key takes the old key of `action` (no key does two things). */
export function remap(map: Keymap, action: DeskAction, key: string): Keymap {
  if (!assignable(key)) return map;
  const holder = DESK_ACTIONS.find((a) => map[a] === key);
  return { ...map, ...(holder && holder !== action ? { [holder]: map[action] } : {}), [action]: key };
}

/** Actions that came after agents had saved keymaps, in the order they came. */
const ADDED_LATER: readonly DeskAction[] = ['flag', 'warn'];

/**
 * A keymap read from storage: every action on a distinct assignable key, or the default. One kept
 * before an action existed (the flag, then the warning) keeps its keys; the new action takes its
 * default key (F8, F9), or the first key left.
 */
export function validKeymap(value: unknown): Keymap {
  if (typeof value !== 'object' || value === null) return DEFAULT_KEYMAP;
  const map: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const action of ADDED_LATER) {
    if (action in map) continue;
    const taken = DESK_ACTIONS.filter((a) => a !== action).map((a) => map[a]);
    map[action] = [DEFAULT_KEYMAP[action], ...ASSIGNABLE_KEYS].find((k) => !taken.includes(k));
  }
  const keys = DESK_ACTIONS.map((a) => map[a]);
  const ok = keys.every(assignable) && new Set(keys).size === keys.length;
  return ok ? (Object.fromEntries(DESK_ACTIONS.map((a, i) => [a, keys[i]])) as unknown as Keymap) : DEFAULT_KEYMAP;
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'isComposing' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'> & { keyCode?: number };

/** A key pressed while the IME composes a syllable (keyCode 229 where isComposing is not set). */
export const composing = (e: Pick<KeyLike, 'isComposing' | 'keyCode'>) => e.isComposing || e.keyCode === 229;

/** The action a key press asks for, or null (modified keys and IME composition never count). */
export function shortcutFor(e: KeyLike, map: Keymap = DEFAULT_KEYMAP): DeskAction | null {
  if (composing(e) || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return null;
  return DESK_ACTIONS.find((a) => map[a] === e.key) ?? null;
}

/** Ctrl+K (⌘K on a Mac): to the knowledge search from anywhere. */
export const isSearchKey = (e: KeyLike) => !composing(e) && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';

export const KeymapContext = createContext<Keymap>(DEFAULT_KEYMAP);
export const useKeymap = () => useContext(KeymapContext);
