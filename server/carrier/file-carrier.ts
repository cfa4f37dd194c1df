import { appendFile } from 'node:fs/promises';
import type { SmsCarrier } from '../store/sms';

/**
 * For a city server with no carrier configured (development): each message becomes a JSON line
 * in `file`, its reference its id. No receipts come back.
 */
export function fileSmsCarrier(file: string): SmsCarrier {
  return {
    async send(m) {
      await appendFile(file, `${JSON.stringify({ ...m, at: new Date().toISOString() })}\n`, 'utf8');
      return { messageId: m.ref };
    },
  };
}
