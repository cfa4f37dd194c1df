import { createHmac, timingSafeEqual } from 'node:crypto';

// Machines outside the city server sign what they send (the PBX's IVR, later the SMS gateway):
// `X-Minwon-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the secret the
// city gave them. The time bounds a replay; what was replayed within it is caught by the
// request's own idempotency key.

export const SIGNATURE_HEADER = 'x-minwon-signature';
const WINDOW_S = 300;

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'bad';

export function signBody(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export function checkSignature(secret: string, header: string | undefined, body: string, now: Date): SignatureCheck {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return 'missing';
  const t = Number(m[1]);
  if (Math.abs(now.getTime() / 1000 - t) > WINDOW_S) return 'stale';
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2] as string, 'hex')) ? 'ok' : 'bad';
}
