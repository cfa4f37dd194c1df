import { choseong, isChoseongQuery } from '../../shared/hangul';
import type { PortalEntry } from './schemas';

/**
 * Whether an entry of the table matches what was typed in its filter: every word in its title,
 * category, keywords, id or owner; a word of initial consonants only (ㅅㄷ) against the initials
 * of those, as agents type on the desk.
 */
export function matchesFilter(e: PortalEntry, typed: string): boolean {
  const words = typed.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [e.entry.title, e.entry.category, e.entry.id, e.owner ?? '', ...e.entry.keywords].join('\n').toLowerCase();
  let initials: string | null = null;
  return words.every((w) => {
    if (text.includes(w)) return true;
    if (!isChoseongQuery(w)) return false;
    initials ??= choseong(text);
    return initials.includes(w);
  });
}
