import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CacheDb } from '../../../../../electron/core/cache/cache-db';
import { checkGrant } from '../../../../../electron/core/monitoring/grant-check';
import { openMonitoringKey, signGrant, type MonitoringKey } from '../../../../../server/store/monitoring';
import { newGrantPayload, type GrantPayload, type MonitorMode } from '../../../../../shared/monitoring';
import { tempCacheDb } from '../../../../helpers/temp-db';

const NOW = new Date('2026-12-07T02:00:00Z');
const key = openMonitoringKey(mkdtempSync(join(tmpdir(), 'minwon-grant-')));
const forger: MonitoringKey = { privateKey: generateKeyPairSync('ed25519').privateKey, publicKey: '' };

let db: CacheDb;
let nonce = 0;
beforeEach(() => {
  db = tempCacheDb('grant');
});

function grant(over: Partial<GrantPayload> = {}, modes: MonitorMode[] = ['listen', 'whisper']): GrantPayload {
  return { ...newGrantPayload({ lead: 'lead1', agent: 'agent1', modes, now: NOW, nonce: `nonce-${++nonce}-abcdefghijklmnop` }), ...over };
}
const check = (token: string | null, o: { mode?: MonitorMode; now?: Date; publicKey?: string | null; agent?: string } = {}) =>
  checkGrant(db, token, { publicKey: o.publicKey === undefined ? key.publicKey : o.publicKey, agent: o.agent ?? 'agent1', mode: o.mode ?? 'listen', now: o.now ?? NOW });
const nonces = () => db.prepare('SELECT nonce FROM monitor_nonces ORDER BY nonce').pluck().all();

describe('a monitoring grant on the desk', () => {
  it('admits a valid grant once, for each mode it names', () => {
    const g = grant();
    const token = signGrant(g, key);
    expect(check(token, { mode: 'whisper' })).toEqual({ ok: true, grant: g });
    expect(check(token, { mode: 'whisper' })).toEqual({ ok: false, reason: 'replay', message: 'grant was already used' });
    expect(check(signGrant(grant(), key), { mode: 'barge' })).toEqual({ ok: false, reason: 'mode', message: 'grant allows listen, whisper, not barge' });
  });

  it('refuses what is missing, malformed, forged or altered', () => {
    const token = signGrant(grant(), key);
    const [body, signature] = token.split('.') as [string, string];
    expect(check(null)).toEqual({ ok: false, reason: 'missing', message: 'no grant with the monitoring call' });
    expect(check('')).toMatchObject({ ok: false, reason: 'missing' });
    expect(check('not a token')).toEqual({ ok: false, reason: 'malformed', message: 'grant is not a signed token' });
    expect(check(`${token}x`)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(check(signGrant(grant(), forger))).toEqual({ ok: false, reason: 'signature', message: 'grant signature does not verify' });
    const altered = Buffer.from(JSON.stringify({ ...grant(), modes: ['barge'] })).toString('base64url');
    expect(check(`${altered}.${signature}`, { mode: 'barge' })).toMatchObject({ ok: false, reason: 'signature' });
    expect(check(`${body}.${signature}`, { publicKey: null })).toEqual({ ok: false, reason: 'no-key', message: 'this desk has no grant key yet (never signed in)' });
    // Signed by the city's key, but not a grant: the desk checks the payload all the same.
    expect(check(signRaw('{"typ": "minwon-monitor-grant"'))).toEqual({ ok: false, reason: 'malformed', message: 'grant payload is not JSON' });
    expect(check(signRaw(JSON.stringify({ ...grant(), extra: 1 })))).toEqual({ ok: false, reason: 'malformed', message: 'grant payload has the wrong shape' });
  });

  it('refuses a grant for another agent, and one at or after its expiry', () => {
    expect(check(signGrant(grant({ agent: 'agent2' }), key))).toEqual({ ok: false, reason: 'target', message: 'grant is for agent2, not agent1' });
    const g = grant();
    const expiry = Date.parse(g.expiresAt);
    expect(check(signGrant(g, key), { now: new Date(expiry) })).toEqual({ ok: false, reason: 'expired', message: `grant expired at ${g.expiresAt}` });
    expect(check(signGrant(g, key), { now: new Date(expiry - 1) })).toMatchObject({ ok: true });
  });

  it('forgets nonces once their grants have expired, and only then', () => {
    const short = grant();
    const later = grant({ expiresAt: new Date(Date.parse(short.expiresAt) + 60_000).toISOString() });
    expect(check(signGrant(short, key))).toMatchObject({ ok: true });
    expect(check(signGrant(later, key))).toMatchObject({ ok: true });
    // At the short grant's expiry its nonce is still kept; a millisecond later it goes.
    expect(check(signGrant(grant({ expiresAt: later.expiresAt }), key), { now: new Date(short.expiresAt) })).toMatchObject({ ok: true });
    expect(nonces()).toHaveLength(3);
    expect(check(signGrant(grant({ expiresAt: later.expiresAt }), key), { now: new Date(Date.parse(short.expiresAt) + 1) })).toMatchObject({ ok: true });
    expect(nonces()).not.toContain(short.nonce);
    expect(nonces()).toContain(later.nonce);
  });
});

/** A token whose payload text is given as is, signed by the server's key. */
function signRaw(text: string): string {
  const body = Buffer.from(text.padEnd(40, ' '), 'utf8').toString('base64url');
  return `${body}.${sign(null, Buffer.from(body, 'ascii'), key.privateKey).toString('base64url')}`;
}
