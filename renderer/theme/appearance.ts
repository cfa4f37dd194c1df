import type { LocalPreferencesStore, ThemeChoice } from '../core/local-preferences';

export type Theme = Exclude<ThemeChoice, 'system'>;

type Media = Pick<Window, 'matchMedia'>;

const CONTRAST = ['(prefers-contrast: more)', '(forced-colors: active)'];
const DARK = '(prefers-color-scheme: dark)';

/** The theme to paint: the agent's choice, or the OS's when they left it to the system. */
export function themeFor(choice: ThemeChoice, media: Media): Theme {
  if (choice !== 'system') return choice;
  if (CONTRAST.some((q) => media.matchMedia(q).matches)) return 'contrast';
  return media.matchMedia(DARK).matches ? 'dark' : 'light';
}

/**
 * Keeps the page's theme and text size (attributes on <html>, read by renderer/theme/tokens.css)
 * in step with the agent's choices and, for 'system', with the OS's as it changes.
 */
export function followAppearance(root: HTMLElement, prefs: LocalPreferencesStore, media: Media): () => void {
  const apply = () => {
    const { theme, textSize } = prefs.getState();
    root.dataset.theme = themeFor(theme, media);
    root.dataset.textSize = textSize;
  };
  apply();
  const queries = [...CONTRAST, DARK].map((q) => media.matchMedia(q));
  for (const q of queries) q.addEventListener('change', apply);
  const unsubscribe = prefs.subscribe(apply);
  return () => {
    unsubscribe();
    for (const q of queries) q.removeEventListener('change', apply);
  };
}
