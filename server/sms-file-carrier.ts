import { appendFile } from 'node:fs/promises';
import type { SmsCarrier } from './store/sms';

/** Stands in for the carrier's SMS API (outside our system): each message becomes a JSON line in `file`. */
export function fileSmsCarrier(file: string): SmsCarrier {
  return {
    send: (to, text) => appendFile(file, `${JSON.stringify({ to, text, at: new Date().toISOString() })}\n`, 'utf8'),
  };
}
