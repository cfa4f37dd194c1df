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

const HEADER = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/;

/** What the header alone says, before the body is read: a large body is not read for a request that cannot be signed. */
export function checkSignatureHeader(header: string | undefined, now: Date): SignatureCheck {
  const m = HEADER.exec(header ?? '');
  if (!m) return 'missing';
  return Math.abs(now.getTime() / 1000 - Number(m[1])) > WINDOW_S ? 'stale' : 'ok';
}

export function checkSignature(secret: string, header: string | undefined, body: string, now: Date): SignatureCheck {
  const fresh = checkSignatureHeader(header, now);
  if (fresh !== 'ok') return fresh;
  const m = HEADER.exec(header as string) as RegExpExecArray;
  const t = Number(m[1]);
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2] as string, 'hex')) ? 'ok' : 'bad';
}
