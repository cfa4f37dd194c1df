import { clip, wellFormed } from '../../shared/plain-text';

/** The SIP header a transfer's note rides in (URI-encoded: any language, one line). */
export const HANDOFF_HEADER = 'X-Minwon-Handoff';
export const MAX_HANDOFF = 500;

/** The header line for a consultation's INVITE. */
export const handoffHeader = (note: string) => `${HANDOFF_HEADER}: ${encodeURIComponent(wellFormed(clip(note, MAX_HANDOFF)))}`;

/** The note from a header value; null when absent or not decodable (shown as text, never markup). */
export function readHandoff(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    return clip(decodeURIComponent(raw.trim()), MAX_HANDOFF) || null;
  } catch {
    return null;
  }
}
