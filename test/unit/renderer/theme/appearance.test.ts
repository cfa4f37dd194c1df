import { describe, expect, it } from 'vitest';
import { createLocalPreferences } from '../../../../renderer/core/local-preferences';
import { followAppearance, themeFor } from '../../../../renderer/theme/appearance';

const MORE_CONTRAST = '(prefers-contrast: more)';
const FORCED_COLORS = '(forced-colors: active)';
const DARK = '(prefers-color-scheme: dark)';

/** The OS's display settings as the page's matchMedia sees them, changed by the test as an agent would in the OS. */
function fakeMedia(on: string[] = []) {
  const matching = new Set(on);
  const listeners = new Map<string, Set<() => void>>();
  const listenersOf = (q: string) => listeners.get(q) ?? listeners.set(q, new Set()).get(q)!;
  const matchMedia = (q: string) =>
    ({
      get matches() {
        return matching.has(q);
      },
      addEventListener: (type: string, l: () => void) => type === 'change' && listenersOf(q).add(l),
      removeEventListener: (type: string, l: () => void) => type === 'change' && listenersOf(q).delete(l),
    }) as unknown as MediaQueryList;
  return {
    media: { matchMedia },
    set(q: string, matches: boolean) {
      if (matches) matching.add(q);
      else matching.delete(q);
      for (const l of listenersOf(q)) l();
    },
    listening: () => [...listeners.values()].reduce((n, ls) => n + ls.size, 0),
  };
}

const memoryStorage = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
};

/** <html>, as far as the theme is concerned. */
const fakeRoot = () => ({ dataset: {} as DOMStringMap }) as HTMLElement;

describe('themeFor', () => {
  it('paints the agent’s own choice whatever the OS says', () => {
    const { media } = fakeMedia([MORE_CONTRAST, FORCED_COLORS, DARK]);
    expect(themeFor('light', media)).toBe('light');
    expect(themeFor('dark', fakeMedia().media)).toBe('dark');
    expect(themeFor('contrast', fakeMedia([DARK]).media)).toBe('contrast');
  });

  it('left to the system, paints more contrast when the OS asks for it or forces its colours, even in dark mode', () => {
    expect(themeFor('system', fakeMedia([MORE_CONTRAST]).media)).toBe('contrast');
    expect(themeFor('system', fakeMedia([FORCED_COLORS]).media)).toBe('contrast');
    expect(themeFor('system', fakeMedia([FORCED_COLORS, DARK]).media)).toBe('contrast');
  });

  it('left to the system, paints dark in the OS’s dark mode and light otherwise', () => {
    expect(themeFor('system', fakeMedia([DARK]).media)).toBe('dark');
    expect(themeFor('system', fakeMedia().media)).toBe('light');
  });
});

describe('followAppearance', () => {
  it('paints the page at once', () => {
    const prefs = createLocalPreferences(memoryStorage());
    prefs.getState().setTextSize('large');
    const root = fakeRoot();
    followAppearance(root, prefs, fakeMedia([DARK]).media);
    expect(root.dataset).toEqual({ theme: 'dark', textSize: 'large' });
  });

  it('repaints when the agent changes the theme or text size', () => {
    const prefs = createLocalPreferences(memoryStorage());
    const root = fakeRoot();
    followAppearance(root, prefs, fakeMedia().media);
    expect(root.dataset).toEqual({ theme: 'light', textSize: 'normal' });
    prefs.getState().setTheme('contrast');
    expect(root.dataset).toEqual({ theme: 'contrast', textSize: 'normal' });
    prefs.getState().setTextSize('larger');
    expect(root.dataset).toEqual({ theme: 'contrast', textSize: 'larger' });
  });

  it('repaints when the OS’s display settings change, for an agent who left the theme to the system', () => {
    const prefs = createLocalPreferences(memoryStorage());
    const os = fakeMedia();
    const root = fakeRoot();
    followAppearance(root, prefs, os.media);
    os.set(DARK, true);
    expect(root.dataset.theme).toBe('dark');
    os.set(MORE_CONTRAST, true);
    expect(root.dataset.theme).toBe('contrast');
    os.set(MORE_CONTRAST, false);
    os.set(FORCED_COLORS, true);
    expect(root.dataset.theme).toBe('contrast');
    os.set(FORCED_COLORS, false);
    os.set(DARK, false);
    expect(root.dataset.theme).toBe('light');
  });

  it('stops following both the agent and the OS once stopped', () => {
    const prefs = createLocalPreferences(memoryStorage());
    const os = fakeMedia();
    const root = fakeRoot();
    const stop = followAppearance(root, prefs, os.media);
    expect(os.listening()).toBe(3);
    stop();
    expect(os.listening()).toBe(0);
    prefs.getState().setTextSize('larger');
    os.set(DARK, true);
    expect(root.dataset).toEqual({ theme: 'light', textSize: 'normal' });
  });
});
