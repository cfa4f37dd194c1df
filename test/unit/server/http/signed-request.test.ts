import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSignature, signBody } from '../../../../server/http/signed-request';

const SECRET = 'pbx-secret-0123456789';
const AT = new Date('2026-12-07T03:00:00Z');
const BODY = '{"number":"010-1234-5678","idempotencyKey":"ivr-0001"}';

describe('signed requests', () => {
  it('takes what the secret signed over these bytes, within five minutes either way', () => {
    const header = signBody(SECRET, BODY, AT);
    const t = AT.getTime() / 1000;
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex')}`);
    expect(checkSignature(SECRET, header, BODY, AT)).toBe('ok');
    expect(checkSignature(SECRET, header, BODY, new Date(AT.getTime() + 300_000))).toBe('ok');
    expect(checkSignature(SECRET, header, BODY, new Date(AT.getTime() - 300_000))).toBe('ok');
    expect(checkSignature(SECRET, header, BODY, new Date(AT.getTime() + 301_000))).toBe('stale');
    expect(checkSignature(SECRET, header, BODY, new Date(AT.getTime() - 301_000))).toBe('stale');
  });

  it('refuses another secret, other bytes, and headers that are not signatures', () => {
    const header = signBody(SECRET, BODY, AT);
    expect(checkSignature('another-secret-0123', header, BODY, AT)).toBe('bad');
    expect(checkSignature(SECRET, header, `${BODY} `, AT)).toBe('bad');
    expect(checkSignature(SECRET, header.replace(/t=\d+/, `t=${AT.getTime() / 1000 + 1}`), BODY, AT)).toBe('bad');
    for (const bad of [undefined, '', 'v1=abc', `t=${AT.getTime() / 1000}`, `${header}0`, `x${header}`, header.replace('v1=', 'v2='), header.toUpperCase()]) {
      expect(checkSignature(SECRET, bad, BODY, AT), String(bad)).toBe('missing');
    }
  });
});
