import { describe, expect, it } from 'vitest';
import { createLocalPreferences } from '../../../../renderer/core/local-preferences';

const KEY = 'minwon.autoAnswerSeconds';

/** The page's storage, as a map the test can look into. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

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
