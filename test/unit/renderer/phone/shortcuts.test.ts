import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYMAP, isSearchKey, remap, shortcutFor, validKeymap } from '../../../../renderer/phone/shortcuts';

const key = (k: string, over: Partial<KeyboardEvent> = {}) => ({ key: k, isComposing: false, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...over });

describe('the desk’s function keys', () => {
  it('maps the function keys to phone actions, F8 to flagging the open entry and F9 to the abuse warning', () => {
    expect(['F2', 'F3', 'F4', 'F6', 'F7', 'F8', 'F9'].map((k) => shortcutFor(key(k)))).toEqual(['answer', 'hold', 'hangup', 'mute', 'transfer', 'flag', 'warn']);
    expect(shortcutFor(key('F10'))).toBeNull();
  });

  it('ignores typing, modified keys and keys pressed while the IME composes a syllable', () => {
    for (const k of ['a', 'ㅁ', 'Enter', ' ', 'F5', 'F12']) expect(shortcutFor(key(k))).toBeNull();
    expect(shortcutFor(key('F2', { isComposing: true }))).toBeNull();
    // Chromium's keydown during composition without isComposing: keyCode 229.
    expect(shortcutFor({ ...key('F2'), keyCode: 229 })).toBeNull();
    expect(shortcutFor(key('F4', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('F2', { shiftKey: true }))).toBeNull();
  });

  it('follows the agent’s own keys, one action per key', () => {
    const mine = remap(DEFAULT_KEYMAP, 'answer', 'F10');
    expect(shortcutFor(key('F10'), mine)).toBe('answer');
    expect(shortcutFor(key('F2'), mine)).toBeNull();
    // The flag key is one of them: it swaps with a phone action like any other.
    expect(remap(DEFAULT_KEYMAP, 'flag', 'F2')).toMatchObject({ flag: 'F2', answer: 'F8' });
    // A key another action has: the two swap.
    const swapped = remap(DEFAULT_KEYMAP, 'answer', 'F4');
    expect(swapped).toMatchObject({ answer: 'F4', hangup: 'F2' });
    expect(new Set(Object.values(swapped)).size).toBe(7);
    // F1 (the keys overlay), F5 (reload), F12 and plain letters are never taken.
    for (const k of ['F1', 'F5', 'F11', 'F12', 'a']) expect(remap(DEFAULT_KEYMAP, 'answer', k)).toBe(DEFAULT_KEYMAP);
  });

  it('reads back only a keymap with every action on its own assignable key', () => {
    expect(validKeymap({ ...DEFAULT_KEYMAP, answer: 'F10' })).toEqual({ ...DEFAULT_KEYMAP, answer: 'F10' });
    for (const bad of [null, 'F2', [], { ...DEFAULT_KEYMAP, answer: 'F3' }, { ...DEFAULT_KEYMAP, answer: 'F5' }, { answer: 'F2' }, { ...DEFAULT_KEYMAP, mute: 6 }]) {
      expect(validKeymap(bad), JSON.stringify(bad)).toBe(DEFAULT_KEYMAP);
    }
    // Extra fields are dropped, not kept.
    expect(Object.keys(validKeymap({ ...DEFAULT_KEYMAP, reload: 'F5' }))).toHaveLength(7);
    // A flag or warning key of its own that is not assignable, or another action's, makes the map invalid too.
    for (const flag of ['F5', 'F2', 8]) expect(validKeymap({ ...DEFAULT_KEYMAP, flag }), String(flag)).toBe(DEFAULT_KEYMAP);
    for (const warn of ['F5', 'F8', null]) expect(validKeymap({ ...DEFAULT_KEYMAP, warn }), String(warn)).toBe(DEFAULT_KEYMAP);
  });

  it('keeps a keymap saved before the flag key existed, the flag on F8 or the first key left', () => {
    const phoneOnly = { answer: 'F2', hold: 'F3', hangup: 'F4', mute: 'F6', transfer: 'F7' };
    expect(validKeymap(phoneOnly)).toEqual({ ...phoneOnly, flag: 'F8', warn: 'F9' });
    const onF8 = { ...phoneOnly, answer: 'F8' };
    expect(validKeymap(onF8)).toEqual({ ...onF8, flag: 'F2', warn: 'F9' });
  });

  it('keeps a keymap saved before the warning key existed, the warning on F9 or the first key left', () => {
    const before = { answer: 'F2', hold: 'F3', hangup: 'F4', mute: 'F6', transfer: 'F7', flag: 'F8' };
    expect(validKeymap(before)).toEqual({ ...before, warn: 'F9' });
    const onF9 = { ...before, transfer: 'F9' };
    expect(validKeymap(onF9)).toEqual({ ...onF9, warn: 'F7' });
  });

  it('takes Ctrl+K (or ⌘K) to the search, never while composing or with other modifiers', () => {
    expect(isSearchKey(key('k', { ctrlKey: true }))).toBe(true);
    expect(isSearchKey(key('K', { metaKey: true }))).toBe(true);
    expect(isSearchKey(key('k'))).toBe(false);
    expect(isSearchKey(key('k', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isSearchKey(key('k', { ctrlKey: true, isComposing: true }))).toBe(false);
  });
});
