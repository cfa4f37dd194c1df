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
