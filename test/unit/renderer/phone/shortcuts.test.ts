import { describe, expect, it } from 'vitest';
import { shortcutFor } from '../../../../renderer/phone/shortcuts';

const key = (k: string, over: Partial<KeyboardEvent> = {}) => ({ key: k, isComposing: false, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...over });

describe('phone shortcuts', () => {
  it('maps the function keys to phone actions', () => {
    expect(['F2', 'F3', 'F4', 'F6', 'F7'].map((k) => shortcutFor(key(k)))).toEqual(['answer', 'hold', 'hangup', 'mute', 'transfer']);
  });
  it('ignores typing, modified keys and keys pressed while the IME composes a syllable', () => {
    for (const k of ['a', 'ㅁ', 'Enter', ' ', 'F5', 'F12']) expect(shortcutFor(key(k))).toBeNull();
    expect(shortcutFor(key('F2', { isComposing: true }))).toBeNull();
    expect(shortcutFor(key('F4', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('F2', { shiftKey: true }))).toBeNull();
  });
});
