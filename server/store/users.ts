import { createHash, randomBytes, randomUUID, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { usernameSchema, type Role } from '../../shared/auth';
import { displayNameSchema } from '../../shared/plain-text';
import { value, type Db } from './sql';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** The department an editor writes for (a directory id); null for everyone else. */
  department: string | null;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  department: string | null;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function hashPassword(password: string): string {
  const salt = randomBytes(16);
  // Stryker disable next-line ObjectLiteral: these are also scrypt's defaults; named, they cannot drift from the stored ones.
  const hash = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** scrypt on libuv's thread pool: a login never stalls the event loop (syncs, health checks). */
const scryptAsync = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scrypt(password, salt, keylen, options, (e, key) => (e ? reject(e) : resolve(key))));

async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

// Checked instead when the name is unknown or disabled, so a refusal costs the same time either
// way and names cannot be told apart by how fast they are refused. No password matches it.
let decoy: string | null = null;
const decoyHash = () => (decoy ??= hashPassword(randomBytes(32).toString('base64')));

const toUser = (row: UserRow): User => ({ id: row.id, username: row.username, displayName: row.display_name, role: row.role, department: row.department });

/**
 * `practiceCaller`: a trainer's practice caller, which may present a citizen's number to the
 * desks as the PBX does (a 'phone' account only: an agent or a staff phone that could would pose
 * as any citizen).
 */
export async function createUser(db: Db, u: { username: string; displayName: string; role: Role; password: string; practiceCaller?: boolean; department?: string }, now: Date): Promise<User> {
  if (u.practiceCaller && u.role !== 'phone') throw new Error('only a phone account can be a practice caller');
  if ((u.role === 'editor') !== (u.department !== undefined)) throw new Error('an editor, and only an editor, writes for a department (--department)');
  if (u.department !== undefined && !(await db.get('SELECT 1 AS known FROM departments WHERE id = ?', [u.department]))) throw new Error(`no department ${u.department} in the directory`);
  const name = usernameSchema.safeParse(u.username);
  if (!name.success) throw new Error(name.error.issues[0]?.message ?? 'invalid username');
  // It becomes the phone's SIP From display name: a CR/LF there would start a header of its own.
  const display = displayNameSchema.safeParse(u.displayName);
  if (!display.success) throw new Error(display.error.issues[0]?.message ?? 'invalid display name');
  const id = randomUUID();
  await db.run('INSERT INTO users(id, username, display_name, role, password_hash, sip_secret, created_at, practice_caller, department) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    id,
    u.username,
    u.displayName,
    u.role,
    hashPassword(u.password),
    randomBytes(18).toString('hex'),
    now.toISOString(),
    u.practiceCaller ? 1 : 0,
    u.department ?? null,
  ]);
  return { id, username: u.username, displayName: u.displayName, role: u.role, department: u.department ?? null };
}

/** A new password; the account's sessions end at once (whoever held the old one is out). */
export async function setPassword(db: Db, username: string, password: string): Promise<boolean> {
  const hash = hashPassword(password);
  return db.write(async (tx) => {
    if ((await tx.run('UPDATE users SET password_hash = ? WHERE username = ?', [hash, username])) === 0) return false;
    await endSessions(tx, username);
    return true;
  });
}

/** Disables an account: it can no longer sign in, and its sessions end at once. */
export async function disableUser(db: Db, username: string): Promise<boolean> {
  return db.write(async (tx) => {
    if ((await tx.run('UPDATE users SET disabled = 1 WHERE username = ?', [username])) === 0) return false;
    await endSessions(tx, username);
    return true;
  });
}

async function endSessions(db: Db, username: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)', [username]);
}

export async function findUser(db: Db, username: string): Promise<User | null> {
  const row = await db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  return row ? toUser(row) : null;
}

/** Gives an account a new SIP secret (a leaked one stops working once provisioned). */
export async function rotateSipSecret(db: Db, username: string): Promise<boolean> {
  return (await db.run('UPDATE users SET sip_secret = ? WHERE username = ?', [randomBytes(18).toString('hex'), username])) > 0;
}

/** The SIP digest secret of an enabled account. */
export async function sipSecret(db: Db, userId: string): Promise<string | null> {
  return (await value<string>(db, 'SELECT sip_secret FROM users WHERE id = ? AND disabled = 0', [userId])) ?? null;
}

export interface SipAccount {
  username: string;
  secret: string;
  /** May present a citizen's number (P-Asserted-Identity) as the PBX trunk does. */
  practiceCaller: boolean;
}

/** Every enabled account with a phone and its SIP secret, for provisioning the SIP server (the web app's editors, reviewers and analysts have no phone). */
export async function sipAccounts(db: Db): Promise<SipAccount[]> {
  const rows = await db.all<{ username: string; secret: string; practice_caller: number }>("SELECT username, sip_secret AS secret, practice_caller FROM users WHERE disabled = 0 AND role IN ('agent', 'lead', 'phone') ORDER BY username");
  return rows.map((r) => ({ username: r.username, secret: r.secret, practiceCaller: r.practice_caller === 1 }));
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.all<UserRow>('SELECT * FROM users WHERE disabled = 0 ORDER BY username')).map(toUser);
}

/** The user when the password is right and the account enabled; null otherwise (the same answer, in the same time, either way). */
export async function authenticate(db: Db, username: string, password: string): Promise<User | null> {
  const row = await db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  const enabled = row && !row.disabled ? row : null;
  const right = await checkPassword(password, enabled ? enabled.password_hash : decoyHash());
  return right && enabled ? toUser(enabled) : null;
}

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Issues a bearer token; only its hash is stored, so a copy of the database grants nothing. */
export async function openSession(db: Db, userId: string, ttlMs: number, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMs);
  await db.write(async (tx) => {
    await tx.run('DELETE FROM sessions WHERE expires_at <= ?', [now.getTime()]);
    await tx.run('INSERT INTO sessions(token_hash, user_id, expires_at) VALUES (?, ?, ?)', [tokenHash(token), userId, expiresAt.getTime()]);
  });
  return { token, expiresAt };
}

export async function sessionUser(db: Db, token: string, now: Date): Promise<User | null> {
  const row = await db.get<UserRow>(
    `SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
    [tokenHash(token), now.getTime()],
  );
  return row ? toUser(row) : null;
}

export async function closeSession(db: Db, token: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash(token)]);
}
