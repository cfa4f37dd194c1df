import type { TFunction } from 'i18next';
import { normalisePhone } from '../../shared/phone';

/**
 * The city's refusal in the agent's language: the desk's errors read `what: code: message`, and
 * a code the desk knows (slot-full, foreign-number…) has its own words; anything else is shown as it came.
 */
export function reasonText(t: TFunction, message: string): string {
  const code = /: ([a-z][a-z-]+): /.exec(message)?.[1];
  return code ? t(`work.errors.${code}`, { defaultValue: message }) : message;
}

/** 010-4444-0001 for +821044440001: numbers as agents read them aloud. */
export function national(e164: string): string {
  const n = normalisePhone(e164, { areaCode: '', region: 'KR' });
  return n.kind === 'e164' ? n.national : e164;
}
