import { wellFormedStrings } from '../../shared/plain-text';
import { HttpError } from './http-error';

/** Deeper than any body the API takes (a record batch nests four levels). */
export const MAX_JSON_DEPTH = 16;

/**
 * Refuses JSON nested deeper than `max` before it is parsed: a few bytes per level cost the
 * parser (and the schemas after it) far more. One pass over the text, strings skipped.
 */
export function checkJsonDepth(text: string, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) throw new HttpError(400, 'too-deep', `JSON nested deeper than ${max} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** A request body as JSON: depth-checked, then parsed with every string well-formed (see wellFormed); a clear 400 for anything else. */
export function parseJsonBody(text: string): unknown {
  checkJsonDepth(text);
  try {
    return JSON.parse(text, wellFormedStrings) as unknown;
  } catch (e) {
    throw new HttpError(400, 'bad-json', `body is not JSON: ${(e as Error).message}`);
  }
}
