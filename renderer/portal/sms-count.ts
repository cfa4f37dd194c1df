import type { TFunction } from 'i18next';
import { LMS_MAX_BYTES, measureSms, SMS_MAX_BYTES, type SmsKind } from '../../shared/sms/sms-bytes';

/** The 문자 안내 as the carriers count it: its kind, its bytes against that kind's limit, and what a phone cannot show. */
export interface SmsCount {
  kind: SmsKind;
  bytes: number;
  max: number;
  /** Each character no carrier sends, once. */
  unsendable: string[];
}

export function smsCount(text: string): SmsCount {
  const m = measureSms(text);
  return { kind: m.kind, bytes: m.bytes, max: m.kind === 'sms' ? SMS_MAX_BYTES : LMS_MAX_BYTES, unsendable: [...new Set(m.unsendable.map((u) => u.char))] };
}

/** "SMS 34 / 90바이트", "LMS 120 / 2,000바이트", or how far past the LMS it runs. */
export function smsCountLine(t: TFunction, c: SmsCount): string {
  const n = (x: number) => x.toLocaleString('ko-KR');
  return c.kind === 'too-long' ? t('portal.sms.tooLong', { bytes: n(c.bytes), max: n(c.max) }) : t('portal.sms.counter', { kind: c.kind.toUpperCase(), bytes: n(c.bytes), max: n(c.max) });
}
