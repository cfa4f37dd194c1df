import { verify } from 'node:crypto';
import { GRANT_TOKEN, grantPayloadSchema, type GrantPayload, type GrantRefusal, type MonitorMode } from '../../../shared/monitoring';
import type { CacheDb } from '../cache/cache-db';
import { publicKeyFromRaw } from '../crypto/ed25519-keys';

export type GrantVerdict = { ok: true; grant: GrantPayload } | { ok: false; reason: GrantRefusal; message: string };

export interface GrantExpectations {
  /** The city server's grant key (raw Ed25519, base64), from the desk's login; null before the first. */
  publicKey: string | null;
  /** This desk's agent. */
  agent: string;
  mode: MonitorMode;
  now: Date;
}

/**
 * Decides whether a monitoring call may be answered: the token must be signed by the city
 * server's key, be for this desk's agent, not have expired, allow the mode asked for, and carry
 * a nonce this desk has never accepted. An accepted nonce is recorded at once, in the same
 * transaction as the check, so a replay (even racing the first use) is refused.
 */
export function checkGrant(db: CacheDb, token: string | null, want: GrantExpectations): GrantVerdict {
  const refuse = (reason: GrantRefusal, message: string): GrantVerdict => ({ ok: false, reason, message });
  if (!token) return refuse('missing', 'no grant with the monitoring call');
  if (!GRANT_TOKEN.test(token)) return refuse('malformed', 'grant is not a signed token');
  if (!want.publicKey) return refuse('no-key', 'this desk has no grant key yet (never signed in)');
  const [body, signature] = token.split('.') as [string, string];
  // The body is base64url (GRANT_TOKEN), so its UTF-8 bytes are the ASCII ones the server signed.
  if (!verify(null, Buffer.from(body), publicKeyFromRaw(want.publicKey), Buffer.from(signature, 'base64url'))) return refuse('signature', 'grant signature does not verify');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return refuse('malformed', 'grant payload is not JSON');
  }
  const parsed = grantPayloadSchema.safeParse(raw);
  if (!parsed.success) return refuse('malformed', 'grant payload has the wrong shape');
  const grant = parsed.data;
  if (Date.parse(grant.expiresAt) <= want.now.getTime()) return refuse('expired', `grant expired at ${grant.expiresAt}`);
  if (grant.agent !== want.agent) return refuse('target', `grant is for ${grant.agent}, not ${want.agent}`);
  if (!grant.modes.includes(want.mode)) return refuse('mode', `grant allows ${grant.modes.join(', ')}, not ${want.mode}`);
  const fresh = db.transaction(() => {
    db.prepare('DELETE FROM monitor_nonces WHERE expires_at < ?').run(want.now.toISOString());
    return db.prepare('INSERT OR IGNORE INTO monitor_nonces(nonce, expires_at) VALUES (?, ?)').run(grant.nonce, grant.expiresAt).changes === 1;
  })();
  if (!fresh) return refuse('replay', 'grant was already used');
  return { ok: true, grant };
}
