import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** What a caller number turned out to be after normalisation. */
export type CallerNumber =
  | { kind: 'e164'; e164: string; national: string }
  | { kind: 'short'; code: string }
  | { kind: 'withheld' }
  | { kind: 'invalid'; raw: string };

export interface PhoneContext {
  /** The city's area code with its trunk prefix, e.g. "054". */
  areaCode: string;
  /** ISO region the city is in. */
  region?: 'KR';
}

// Values PBXs and carriers put in From/PAI when the caller hides the number
// ("P" private and "O" out-of-area are the Korean carriers' codes).
const WITHHELD = new Set(['', 'anonymous', 'unavailable', 'unknown', 'restricted', 'private', 'withheld', 'p', 'o']);

// Emergency and public service short codes that are complete numbers by themselves.
const SHORT_CODE = /^1\d{2}$/;

/** Strips a SIP/tel URI down to its user part and removes visual separators. */
function bareDigits(raw: string): string {
  let s = raw.trim();
  const uri = /^(?:sips?|tel):([^@;]*)/i.exec(s);
  if (uri) s = uri[1] ?? '';
  return s.replace(/[\s\-().]/g, '');
}

/**
 * Normalises a caller number to E.164. A local number without area code (270-8282)
 * gets the city's area code first: libphonenumber would otherwise read it as Seoul (02).
 */
export function normalisePhone(raw: string, ctx: PhoneContext): CallerNumber {
  const s = bareDigits(raw);
  if (WITHHELD.has(s.toLowerCase())) return { kind: 'withheld' };
  if (SHORT_CODE.test(s)) return { kind: 'short', code: s };
  if (!/^\+?\d{3,16}$/.test(s)) return { kind: 'invalid', raw };
  const local = /^[2-9]\d{6,7}$/.test(s) ? ctx.areaCode + s : s;
  const parsed = parsePhoneNumberFromString(local, ctx.region ?? 'KR');
  if (!parsed || !parsed.isValid()) return { kind: 'invalid', raw };
  return { kind: 'e164', e164: parsed.number, national: parsed.formatNational() };
}

/** E.164 for storage, or null when the number cannot identify a caller. */
export function callerKey(raw: string, ctx: PhoneContext): string | null {
  const n = normalisePhone(raw, ctx);
  return n.kind === 'e164' ? n.e164 : null;
}
