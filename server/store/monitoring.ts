import { randomBytes, randomUUID, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newGrantPayload, type GrantPayload, type GrantRequest, type MonitorAuditEvent } from '../../shared/monitoring';
import { value, type Db } from './sql';

/** The server's grant-signing key, made on first start and kept beside the store (mode 600). */
export interface MonitoringKey {
  privateKey: KeyObject;
  /** Raw Ed25519 public key, base64: what desks verify grants with (given at login). */
  publicKey: string;
}

export function openMonitoringKey(dataDir: string): MonitoringKey {
  const file = join(dataDir, 'monitoring-key.pem');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    privateKey = generateKeyPairSync('ed25519').privateKey;
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  }
  return monitoringKeyOf(privateKey);
}

/**
 * The grant-signing key of instances that share one database: the first to start stores one, and
 * every instance uses the stored one, so a grant signed by any is good on every desk.
 */
export async function sharedMonitoringKey(db: Db): Promise<MonitoringKey> {
  const fresh = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  await db.run("INSERT INTO meta(key, value) VALUES ('monitoringKey', ?) ON CONFLICT DO NOTHING", [fresh]);
  return monitoringKeyOf(createPrivateKey((await value<string>(db, "SELECT value FROM meta WHERE key = 'monitoringKey'")) as string));
}

function monitoringKeyOf(privateKey: KeyObject): MonitoringKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicKey: Buffer.from(jwk.x as string, 'base64url').toString('base64') };
}

/** A signed token for the grant: base64url(payload) "." base64url(signature of that text). */
export function signGrant(payload: GrantPayload, key: MonitoringKey): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(null, Buffer.from(body, 'ascii'), key.privateKey).toString('base64url')}`;
}

const INSERT_AUDIT = `INSERT INTO monitor_audit(id, at, event, lead, agent, mode, nonce, reason, source, received_at, reported_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;

type AuditLine = MonitorAuditEvent & { source: string; receivedAt: string; reportedAt: string | null };
const insertAudit = (db: Db, e: AuditLine) =>
  db.run(INSERT_AUDIT, [e.id, e.at, e.event, e.lead, e.agent, e.mode, e.nonce, e.reason, e.source, e.receivedAt, e.reportedAt]);

/** What a desk may report: its own monitoring sessions and refusals. Grants are the server's to record. */
const DESK_EVENTS: readonly MonitorAuditEvent['event'][] = ['session-start', 'mode-change', 'session-stop', 'call-refused'];

/** Issues a grant to `lead` for `req.agent`, recording it and its audit line in one transaction. */
export async function issueGrant(db: Db, key: MonitoringKey, lead: string, req: GrantRequest, now: Date): Promise<{ token: string; grant: GrantPayload }> {
  const grant = newGrantPayload({ lead, agent: req.agent, modes: req.modes, now, nonce: randomBytes(18).toString('base64url') });
  await db.write(async (tx) => {
    await tx.run('INSERT INTO monitor_grants(nonce, lead, agent, modes, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
      grant.nonce,
      lead,
      grant.agent,
      JSON.stringify(grant.modes),
      grant.issuedAt,
      grant.expiresAt,
    ]);
    await auditFromServer(tx, { event: 'grant-issued', lead, agent: grant.agent, mode: null, nonce: grant.nonce, reason: `modes ${grant.modes.join(',')}` }, now);
  });
  return { token: signGrant(grant, key), grant };
}

/** An audit line the server writes itself. */
export async function auditFromServer(db: Db, e: Omit<MonitorAuditEvent, 'id' | 'at'>, now: Date): Promise<void> {
  await insertAudit(db, { ...e, id: randomUUID(), at: now.toISOString(), source: 'server', receivedAt: now.toISOString(), reportedAt: null });
}

/** Why a desk's audit line is not taken, or null when it is. */
export function deskAuditRefusal(e: MonitorAuditEvent, reporter: string): string | null {
  if (!DESK_EVENTS.includes(e.event)) return `a desk does not report ${e.event}`;
  if (e.agent !== reporter && e.lead !== reporter) return 'a desk reports only sessions it took part in';
  return null;
}

/**
 * Audit lines a desk reports, each stored once by its id however often it is sent: timed by the
 * server (the desk's own time kept beside it), about the reporter's own sessions only (the
 * caller checks `deskAuditRefusal` first). Returns how many were new.
 */
export async function auditFromDesk(db: Db, events: readonly MonitorAuditEvent[], reporter: string, now: Date): Promise<number> {
  const received = now.toISOString();
  return db.write(async (tx) => {
    let added = 0;
    for (const e of events) added += await insertAudit(tx, { ...e, at: received, reportedAt: e.at, source: reporter, receivedAt: received });
    return added;
  });
}

export interface AuditRow extends MonitorAuditEvent {
  source: string;
  /** The reporting desk's own time for the line (null for the server's lines). */
  reportedAt: string | null;
}

export async function listAudit(db: Db, limit: number): Promise<AuditRow[]> {
  return db.all<AuditRow>('SELECT id, at, event, lead, agent, mode, nonce, reason, source, reported_at AS "reportedAt" FROM monitor_audit ORDER BY at DESC, received_at DESC LIMIT ?', [limit]);
}
