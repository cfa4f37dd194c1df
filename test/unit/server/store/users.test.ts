import { scryptSync } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { value, type Db } from '../../../../server/store/sql';
import {
  authenticate,
  closeSession,
  createUser,
  findUser,
  listUsers,
  openSession,
  rotateSipSecret,
  sessionUser,
  setPassword,
  sipAccounts,
  sipSecret,
} from '../../../../server/store/users';
import { replaceDirectory } from '../../../../server/store/directory';
import { storeEngines } from '../../../helpers/store-engines';

const NOW = new Date('2026-12-07T02:00:00Z');
let db: Db;
const hashOf = async (username: string) => (await value<string>(db, 'SELECT password_hash FROM users WHERE username = ?', [username])) as string;
const secretOf = async (username: string) => (await value<string>(db, 'SELECT sip_secret FROM users WHERE username = ?', [username])) as string;

describe.each(storeEngines())('on $name', ({ open }) => {
  beforeEach(async () => {
    db = await open();
  });

  describe('accounts', () => {
    it('stores a salted scrypt hash, never the password, and checks it', async () => {
      const kim = await createUser(db, { username: 'kim', displayName: '김상담', role: 'agent', password: '비밀-1234' }, NOW);
      expect(kim).toEqual({ id: expect.any(String), username: 'kim', displayName: '김상담', role: 'agent', department: null });
      expect(await hashOf('kim')).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
      await createUser(db, { username: 'lee', displayName: '이상담', role: 'agent', password: '비밀-1234' }, NOW);
      expect(await hashOf('lee')).not.toBe((await hashOf('kim')));
      expect(await authenticate(db, 'kim', '비밀-1234')).toEqual(kim);
      expect(await authenticate(db, 'kim', '비밀-1235')).toBeNull();
      expect(await authenticate(db, 'nobody', '비밀-1234')).toBeNull();
      expect(await findUser(db, 'kim')).toEqual(kim);
      expect(await findUser(db, 'nobody')).toBeNull();
    });

    it('gives an editor, and only an editor, a department of the directory, and the portal’s accounts no phone', async () => {
      await replaceDirectory(db, [{ id: 'water-supply', name: '급수과', duties: [], phone: '', staff: [] }]);
      const editor = await createUser(db, { username: 'water1', displayName: '최급수', role: 'editor', password: 'pw', department: 'water-supply' }, NOW);
      expect(editor).toMatchObject({ role: 'editor', department: 'water-supply' });
      expect(await authenticate(db, 'water1', 'pw')).toEqual(editor);
      await expect(createUser(db, { username: 'water2', displayName: '급', role: 'editor', password: 'pw' }, NOW)).rejects.toThrow(/only an editor, writes for a department/);
      await expect(createUser(db, { username: 'agent9', displayName: '상', role: 'agent', password: 'pw', department: 'water-supply' }, NOW)).rejects.toThrow(/only an editor/);
      await expect(createUser(db, { username: 'tax1', displayName: '세', role: 'editor', password: 'pw', department: 'tax' }, NOW)).rejects.toThrow('no department tax in the directory');
      await createUser(db, { username: 'review1', displayName: '검', role: 'reviewer', password: 'pw' }, NOW);
      await createUser(db, { username: 'kim', displayName: '김', role: 'agent', password: 'pw' }, NOW);
      expect((await sipAccounts(db)).map((a) => a.username)).toEqual(['kim']);
    });

    it('refuses a stored hash it does not understand rather than throwing', async () => {
      await createUser(db, { username: 'kim', displayName: '김', role: 'agent', password: 'pw' }, NOW);
      const [, n, r, p, salt, hash] = (await hashOf('kim')).split('$');
      for (const stored of [`bcrypt$${n}$${r}$${p}$${salt}$${hash}`, `scrypt$${n}$${r}$${p}$$${hash}`, `scrypt$${n}$${r}$${p}$${salt}$`, `scrypt$${n}$${r}$${p}$${salt}`, '']) {
        await db.run("UPDATE users SET password_hash = ? WHERE username = 'kim'", [stored]);
        expect(await authenticate(db, 'kim', 'pw'), stored).toBeNull();
      }
    });

    it('checks a hash with the parameters it was made with', async () => {
      await createUser(db, { username: 'kim', displayName: '김', role: 'agent', password: 'x' }, NOW);
      const salt = Buffer.from('0123456789abcdef');
      const light = scryptSync('pw', salt, 32, { N: 1024, r: 4, p: 2 }).toString('base64');
      await db.run("UPDATE users SET password_hash = ? WHERE username = 'kim'", [`scrypt$1024$4$2$${salt.toString('base64')}$${light}`]);
      expect(await authenticate(db, 'kim', 'pw')).not.toBeNull();
    });

    it('refuses a display name that is not one visible line (it becomes the SIP From header)', async () => {
      for (const displayName of ['김상담\r\nX-Injected: 1', '', '가'.repeat(61), '\u202E관리자']) {
        await expect(createUser(db, { username: 'kim', displayName, role: 'agent', password: 'pw' }, NOW), JSON.stringify(displayName)).rejects.toThrow(/display name|at most|at least|too/i);
      }
      expect(await findUser(db, 'kim')).toBeNull();
    });

    it('refuses a malformed username with the reason', async () => {
      await expect(createUser(db, { username: 'Kim Lee', displayName: '김', role: 'agent', password: 'pw' }, NOW)).rejects.toThrow(/^(?!invalid username$).+/);
      expect(await findUser(db, 'Kim Lee')).toBeNull();
    });

    it('changes a password and a SIP secret of an existing account only, and says whether it did', async () => {
      await createUser(db, { username: 'kim', displayName: '김', role: 'agent', password: 'old' }, NOW);
      const secret = await secretOf('kim');
      expect(secret).toMatch(/^[0-9a-f]{36}$/);
      expect(await setPassword(db, 'kim', 'new')).toBe(true);
      expect(await authenticate(db, 'kim', 'old')).toBeNull();
      expect(await authenticate(db, 'kim', 'new')).not.toBeNull();
      expect(await setPassword(db, 'nobody', 'new')).toBe(false);
      expect(await rotateSipSecret(db, 'kim')).toBe(true);
      expect(await secretOf('kim')).toMatch(/^[0-9a-f]{36}$/);
      expect(await secretOf('kim')).not.toBe(secret);
      expect(await rotateSipSecret(db, 'nobody')).toBe(false);
    });

    it('lets only a phone account be a practice caller (one that may present a citizen’s number)', async () => {
      for (const role of ['agent', 'lead'] as const) {
        await expect(createUser(db, { username: `x${role}`, displayName: 'x', role, password: 'pw', practiceCaller: true }, NOW)).rejects.toThrow(/only a phone account/);
      }
      expect(await listUsers(db)).toEqual([]);
    });

    it('leaves disabled accounts out of sign-in, SIP and the lists', async () => {
      const kim = await createUser(db, { username: 'kim', displayName: '김', role: 'agent', password: 'pw' }, NOW);
      const lee = await createUser(db, { username: 'lee', displayName: '이', role: 'lead', password: 'pw' }, NOW);
      await createUser(db, { username: 'ahn', displayName: '안', role: 'phone', password: 'pw', practiceCaller: true }, NOW);
      expect((await listUsers(db)).map((u) => u.username)).toEqual(['ahn', 'kim', 'lee']);
      expect(await sipAccounts(db)).toEqual([
        { username: 'ahn', secret: (await secretOf('ahn')), practiceCaller: true },
        { username: 'kim', secret: (await secretOf('kim')), practiceCaller: false },
        { username: 'lee', secret: (await secretOf('lee')), practiceCaller: false },
      ]);
      expect(await sipSecret(db, kim.id)).toBe((await secretOf('kim')));
      await db.run("UPDATE users SET disabled = 1 WHERE username = 'kim'");
      expect(await authenticate(db, 'kim', 'pw')).toBeNull();
      expect(await sipSecret(db, kim.id)).toBeNull();
      expect(await sipSecret(db, 'no-such-id')).toBeNull();
      expect(await listUsers(db)).toEqual([expect.objectContaining({ username: 'ahn' }), lee]);
      expect((await sipAccounts(db)).map((a) => a.username)).toEqual(['ahn', 'lee']);
    });
  });

  describe('sessions', () => {
    it('lasts its time to the millisecond, stores only a hash of the token, and sweeps expired ones', async () => {
      const kim = await createUser(db, { username: 'kim', displayName: '김', role: 'agent', password: 'pw' }, NOW);
      const s = await openSession(db, kim.id, 60_000, NOW);
      expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(s.expiresAt).toEqual(new Date(NOW.getTime() + 60_000));
      expect((await db.all<{ token_hash: string }>('SELECT token_hash FROM sessions')).map((r) => r.token_hash)).not.toContain(s.token);
      expect(await sessionUser(db, s.token, new Date(NOW.getTime() + 59_999))).toEqual(kim);
      expect(await sessionUser(db, s.token, new Date(NOW.getTime() + 60_000))).toBeNull();
      expect(await sessionUser(db, 'x'.repeat(43), NOW)).toBeNull();
      // Opening a session at the expiry of another sweeps the expired one.
      const later = await openSession(db, kim.id, 60_000, new Date(NOW.getTime() + 60_000));
      expect(await value(db, 'SELECT COUNT(*) AS n FROM sessions')).toBe(1);
      await closeSession(db, later.token);
      expect(await sessionUser(db, later.token, NOW)).toBeNull();
      expect(await value(db, 'SELECT COUNT(*) AS n FROM sessions')).toBe(0);
    });

    it('keeps a live session through another one opening', async () => {
      const kim = await createUser(db, { username: 'kim', displayName: '김', role: 'agent', password: 'pw' }, NOW);
      const first = await openSession(db, kim.id, 60_000, NOW);
      await openSession(db, kim.id, 60_000, new Date(NOW.getTime() + 59_999));
      expect(await sessionUser(db, first.token, new Date(NOW.getTime() + 59_999))).toEqual(kim);
    });
  });
});
