import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYMAP } from '../../../../renderer/phone/shortcuts';
import { createLocalPreferences, TEXT_SIZES, THEMES, type TextSize, type ThemeChoice } from '../../../../renderer/core/local-preferences';
import { memoryStorage } from '../../../helpers/memory-storage';

const KEY = 'minwon.autoAnswerSeconds';


describe('this desk’s preferences', () => {
  it('starts without auto-answer on a fresh desk', () => {
    expect(createLocalPreferences(memoryStorage()).getState().autoAnswerSeconds).toBeNull();
  });

  it('keeps the auto-answer seconds in storage, for the next start', () => {
    const storage = memoryStorage();
    const prefs = createLocalPreferences(storage);
    prefs.getState().setAutoAnswer(3);
    expect(prefs.getState().autoAnswerSeconds).toBe(3);
    expect(storage.items.get(KEY)).toBe('3');
    expect(createLocalPreferences(storage).getState().autoAnswerSeconds).toBe(3);
    prefs.getState().setAutoAnswer(0);
    expect(createLocalPreferences(storage).getState().autoAnswerSeconds).toBe(0);
  });

  it('clears the choice from storage when auto-answer is turned off', () => {
    const storage = memoryStorage({ [KEY]: '5', other: 'kept' });
    const prefs = createLocalPreferences(storage);
    expect(prefs.getState().autoAnswerSeconds).toBe(5);
    prefs.getState().setAutoAnswer(null);
    expect(prefs.getState().autoAnswerSeconds).toBeNull();
    expect(storage.items.has(KEY)).toBe(false);
    expect(storage.items.get('other')).toBe('kept');
    expect(createLocalPreferences(storage).getState().autoAnswerSeconds).toBeNull();
  });

  it('reads anything but a whole number of seconds from 0 to 60 as no auto-answer', () => {
    for (const garbage of ['abc', '2.5', '-1', '61', '1e9', 'Infinity', 'NaN', 'null', '{"s":3}', '3 seconds']) {
      expect(createLocalPreferences(memoryStorage({ [KEY]: garbage })).getState().autoAnswerSeconds, garbage).toBeNull();
    }
    expect(createLocalPreferences(memoryStorage({ [KEY]: '60' })).getState().autoAnswerSeconds).toBe(60);
  });
});

const THEME_KEY = 'minwon.theme';
const TEXT_SIZE_KEY = 'minwon.textSize';
const PANES_KEY = 'minwon.paneLayouts';

describe('this desk’s look', () => {
  it('follows the system theme at normal text size on a fresh desk', () => {
    const prefs = createLocalPreferences(memoryStorage()).getState();
    expect(prefs.theme).toBe('system');
    expect(prefs.textSize).toBe('normal');
  });

  it('keeps the theme and text size the agent chose, for the next start', () => {
    const storage = memoryStorage();
    const prefs = createLocalPreferences(storage);
    prefs.getState().setTheme('contrast');
    prefs.getState().setTextSize('larger');
    expect(prefs.getState()).toMatchObject({ theme: 'contrast', textSize: 'larger' });
    expect(storage.items.get(THEME_KEY)).toBe('contrast');
    expect(storage.items.get(TEXT_SIZE_KEY)).toBe('larger');
    expect(createLocalPreferences(storage).getState()).toMatchObject({ theme: 'contrast', textSize: 'larger' });
    for (const theme of THEMES) {
      prefs.getState().setTheme(theme);
      expect(createLocalPreferences(storage).getState().theme).toBe(theme);
    }
    for (const size of TEXT_SIZES) {
      prefs.getState().setTextSize(size);
      expect(createLocalPreferences(storage).getState().textSize).toBe(size);
    }
  });

  it('reads a theme or text size it does not know (an older version’s, a hand edit) as the default', () => {
    for (const garbage of ['', 'Dark', 'sepia', 'null', '"dark"', ' large']) {
      const prefs = createLocalPreferences(memoryStorage({ [THEME_KEY]: garbage, [TEXT_SIZE_KEY]: garbage })).getState();
      expect(prefs.theme, garbage).toBe('system');
      expect(prefs.textSize, garbage).toBe('normal');
    }
  });

  it('ignores a theme or text size it does not offer, keeping the last choice', () => {
    const storage = memoryStorage();
    const prefs = createLocalPreferences(storage);
    prefs.getState().setTheme('dark');
    prefs.getState().setTextSize('large');
    prefs.getState().setTheme('sepia' as ThemeChoice);
    prefs.getState().setTextSize('huge' as TextSize);
    expect(prefs.getState()).toMatchObject({ theme: 'dark', textSize: 'large' });
    expect(storage.items.get(THEME_KEY)).toBe('dark');
    expect(storage.items.get(TEXT_SIZE_KEY)).toBe('large');
  });
});

describe('this desk’s pane widths', () => {
  it('starts with no saved layout', () => {
    expect(createLocalPreferences(memoryStorage()).getState().paneLayouts).toEqual({});
  });

  it('keeps each layout’s widths apart, for the next start', () => {
    const storage = memoryStorage();
    const prefs = createLocalPreferences(storage);
    prefs.getState().setPaneLayout('wide', { caller: 25, work: 45, side: 30 });
    prefs.getState().setPaneLayout('narrow', { work: 60, side: 40 });
    prefs.getState().setPaneLayout('wide', { caller: 20, work: 50, side: 30 });
    const expected = { wide: { caller: 20, work: 50, side: 30 }, narrow: { work: 60, side: 40 } };
    expect(prefs.getState().paneLayouts).toEqual(expected);
    expect(createLocalPreferences(storage).getState().paneLayouts).toEqual(expected);
  });

  it('drops what is not a layout in storage instead of failing to start', () => {
    const layouts = (raw: string) => createLocalPreferences(memoryStorage({ [PANES_KEY]: raw })).getState().paneLayouts;
    for (const garbage of ['{wide:', 'not json', '[]', '[{"work":50}]', 'null', '42', '"wide"']) {
      expect(() => layouts(garbage), garbage).not.toThrow();
      expect(layouts(garbage), garbage).toEqual({});
    }
    expect(layouts(JSON.stringify({ wide: null, narrow: 'x', other: 3, tall: true }))).toEqual({});
    // The older array format names no pane: its indexes would be taken for pane ids.
    expect(layouts(JSON.stringify({ wide: [24, 44, 32], narrow: { work: 60 } }))).toEqual({ narrow: { work: 60 } });
    // Only the widths a pane can have survive; a layout left with none is dropped.
    expect(layouts(JSON.stringify({ wide: { caller: 0, work: '50', side: 30, gone: null }, narrow: { work: 100, side: -5 }, tall: { work: 99.5 } }))).toEqual({ wide: { side: 30 }, tall: { work: 99.5 } });
  });
});

describe('this desk’s keys', () => {
  it('keeps the agent’s remapped keys for the next start, and goes back to the defaults on request', () => {
    const storage = memoryStorage();
    const prefs = createLocalPreferences(storage);
    expect(prefs.getState().keymap).toEqual(DEFAULT_KEYMAP);
    prefs.getState().setKey('hangup', 'F2');
    expect(prefs.getState().keymap).toMatchObject({ hangup: 'F2', answer: 'F4' });
    expect(createLocalPreferences(storage).getState().keymap).toEqual(prefs.getState().keymap);
    prefs.getState().resetKeys();
    expect(prefs.getState().keymap).toEqual(DEFAULT_KEYMAP);
    expect(createLocalPreferences(storage).getState().keymap).toEqual(DEFAULT_KEYMAP);
  });

  it('starts with the default keys from a damaged or duplicated stored keymap', () => {
    for (const raw of ['{', '[]', JSON.stringify({ ...DEFAULT_KEYMAP, hold: 'F2' })]) {
      expect(createLocalPreferences(memoryStorage({ 'minwon.keymap': raw })).getState().keymap, raw).toEqual(DEFAULT_KEYMAP);
    }
  });
});
