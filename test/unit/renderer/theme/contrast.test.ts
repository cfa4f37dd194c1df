import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../../helpers/processes';

// Every pair of text and ground the desk's screens use, in each theme, read from the token files
// themselves: a token edit that makes a pair unreadable fails here, before any screen shows it.

const krds = readFileSync(`${REPO}node_modules/krds-uiux/resources/css/token/krds_tokens.css`, 'utf8');
const desk = readFileSync(`${REPO}renderer/theme/tokens.css`, 'utf8');
const declarations = (css: string) => Object.fromEntries([...css.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1] as string, (m[2] as string).trim()]));
const primitives = declarations(krds);

/** The `--desk-*` values of one theme block, light being the base the others override. */
function theme(selector: string): Record<string, string> {
  const start = desk.indexOf(selector);
  const block = desk.slice(start, desk.indexOf('}', start));
  return declarations(block);
}
const THEMES: Record<string, Record<string, string>> = {
  light: theme(":root,\nhtml[data-theme='light'] {"),
  dark: theme("html[data-theme='dark'] {"),
  contrast: theme("html[data-theme='contrast'] {"),
};

function hex(value: string, vars: Record<string, string>): string {
  let v = value;
  for (let i = 0; i < 10; i++) {
    const m = /^var\((--[\w-]+)\)$/.exec(v);
    if (!m) break;
    v = vars[m[1] as string] ?? primitives[m[1] as string] ?? '';
  }
  if (!/^#[0-9a-f]{6}$/i.test(v)) throw new Error(`${value} is not a plain colour (${v})`);
  return v;
}

function luminance(color: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (r as number) + 0.7152 * (g as number) + 0.0722 * (b as number);
}
const ratio = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
};

/** [text, ground] as the screens pair them (styles.css, the workspace modules). */
const PAIRS = [
  ['text', 'bg'], ['text', 'surface'], ['text', 'surface-subtle'], ['text', 'surface-raised'], ['text-strong', 'surface'],
  ['text-subtle', 'surface'], ['text-subtle', 'surface-subtle'], ['text-subtle', 'danger-subtle'],
  ['primary-text', 'surface'], ['primary-text', 'primary-subtle'], ['on-primary', 'primary'], ['on-primary', 'primary-hover'],
  ['danger-text', 'surface'], ['danger-text', 'danger-subtle'], ['success-text', 'success-subtle'], ['warning-text', 'warning-subtle'],
  ['text', 'info-subtle'], ['text', 'primary-subtle'], ['on-mark', 'mark'], ['on-warning-strong', 'warning-strong'],
  ['on-bar', 'bar'], ['on-bar-subtle', 'bar'], ['on-bar', 'danger'], ['focus-on-bar', 'bar'],
] as const;

describe('the themes’ colours', () => {
  for (const [name, vars] of Object.entries(THEMES)) {
    it(`keep every text at 4.5:1 or more on its ground (${name})`, () => {
      const all = { ...THEMES.light, ...vars };
      const low = PAIRS.map(([t, g]) => [t, g, ratio(hex(all[`--desk-${t}`] as string, all), hex(all[`--desk-${g}`] as string, all))] as const).filter(([, , r]) => r < 4.5);
      expect(low.map(([t, g, r]) => `${t} on ${g}: ${r.toFixed(2)}`)).toEqual([]);
    });
  }

  it('defines every colour in every theme (none falls back to another theme’s)', () => {
    const names = Object.keys(THEMES.light as Record<string, string>).filter((n) => !/font|space|radius|control|focus-width/.test(n));
    for (const [theme, vars] of Object.entries(THEMES)) expect(names.filter((n) => !(n in vars)), theme).toEqual([]);
  });
});
