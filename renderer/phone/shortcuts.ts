export type PhoneAction = 'answer' | 'hangup' | 'hold' | 'mute' | 'transfer';

// Function keys, as call-center desks use them: no Korean IME composes them, and they do not
// collide with typing in the search box or the notes.
export const SHORTCUTS: Readonly<Record<PhoneAction, string>> = { answer: 'F2', hold: 'F3', hangup: 'F4', mute: 'F6', transfer: 'F7' };

const BY_KEY = new Map(Object.entries(SHORTCUTS).map(([action, key]) => [key, action as PhoneAction]));

/** The phone action a key press asks for, or null (modified keys and IME composition never count). */
export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'isComposing' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'>): PhoneAction | null {
  if (e.isComposing || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return null;
  return BY_KEY.get(e.key) ?? null;
}
