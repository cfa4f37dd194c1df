import { z } from 'zod';

// Control and invisible format characters (CR, LF, NUL, bidi overrides, zero-width spaces, the
// line and paragraph separators): none belongs in a name, and in a SIP header a CR/LF starts a
// header of the attacker's choosing.
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const HAS_CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const CONTROL_BUT_NEWLINE = /[\p{Cf}\u2028\u2029]|(?![\n])\p{Cc}/gu;

/** One line of plain text: control and format characters become spaces, runs of spaces one. */
export function plainLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Plain text keeping its line breaks (an SMS): every other control or format character goes. */
export function plainLines(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_BUT_NEWLINE, '');
}

/** A person's or a phone's display name: one line of visible text. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .refine((s) => !HAS_CONTROL.test(s), 'display name: no control or invisible characters');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as every boundary takes it in: a lone surrogate (half a character, no UTF-8 at all) becomes
 * U+FFFD, and the rest is NFC, so the same words are the same bytes when stored, synced or searched.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC');
}

/** A JSON.parse reviver making every string of a message well-formed. */
export const wellFormedStrings = (_key: string, value: unknown): unknown => (typeof value === 'string' ? wellFormed(value) : value);

/** At most `max` UTF-16 units of `text`, never cutting a character (a surrogate pair) in two. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
