import { randomBytes, randomUUID, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newGrantPayload, type GrantPayload, type GrantRequest, type MonitorAuditEvent } from '../../shared/monitoring';
import { inWriteTransaction, type Db } from './db';

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
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicKey: Buffer.from(jwk.x as string, 'base64url').toString('base64') };
}

/** A signed token for the grant: base64url(payload) "." base64url(signature of that text). */
export function signGrant(payload: GrantPayload, key: MonitoringKey): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(null, Buffer.from(body, 'ascii'), key.privateKey).toString('base64url')}`;
}

const insertAudit = (db: Db) =>
  db.prepare(`INSERT OR IGNORE INTO monitor_audit(id, at, event, lead, agent, mode, nonce, reason, source, received_at, reported_at)
              VALUES (@id, @at, @event, @lead, @agent, @mode, @nonce, @reason, @source, @receivedAt, @reportedAt)`);

/** What a desk may report: its own monitoring sessions and refusals. Grants are the server's to record. */
const DESK_EVENTS: readonly MonitorAuditEvent['event'][] = ['session-start', 'mode-change', 'session-stop', 'call-refused'];

/** Issues a grant to `lead` for `req.agent`, recording it and its audit line in one transaction. */
export function issueGrant(db: Db, key: MonitoringKey, lead: string, req: GrantRequest, now: Date): { token: string; grant: GrantPayload } {
  const grant = newGrantPayload({ lead, agent: req.agent, modes: req.modes, now, nonce: randomBytes(18).toString('base64url') });
  inWriteTransaction(db, () => {
    db.prepare('INSERT INTO monitor_grants(nonce, lead, agent, modes, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      grant.nonce,
      lead,
      grant.agent,
      JSON.stringify(grant.modes),
      grant.issuedAt,
      grant.expiresAt,
    );
    auditFromServer(db, { event: 'grant-issued', lead, agent: grant.agent, mode: null, nonce: grant.nonce, reason: `modes ${grant.modes.join(',')}` }, now);
  });
  return { token: signGrant(grant, key), grant };
}

/** An audit line the server writes itself. */
export function auditFromServer(db: Db, e: Omit<MonitorAuditEvent, 'id' | 'at'>, now: Date): void {
  insertAudit(db).run({ ...e, id: randomUUID(), at: now.toISOString(), source: 'server', receivedAt: now.toISOString(), reportedAt: null });
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
export function auditFromDesk(db: Db, events: readonly MonitorAuditEvent[], reporter: string, now: Date): number {
  const insert = insertAudit(db);
  const received = now.toISOString();
  return inWriteTransaction(db, () => events.reduce((n, e) => n + insert.run({ ...e, at: received, reportedAt: e.at, source: reporter, receivedAt: received }).changes, 0));
}

export interface AuditRow extends MonitorAuditEvent {
  source: string;
  /** The reporting desk's own time for the line (null for the server's lines). */
  reportedAt: string | null;
}

export function listAudit(db: Db, limit: number): AuditRow[] {
  return db.prepare('SELECT id, at, event, lead, agent, mode, nonce, reason, source, reported_at AS reportedAt FROM monitor_audit ORDER BY at DESC, received_at DESC LIMIT ?').all(limit) as AuditRow[];
}
