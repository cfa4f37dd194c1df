import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCacheDb, setMeta } from '../../../../../electron/core/cache/cache-db';
import { defaultKeyFile, keyFromFile, keyFromVault } from '../../../../../electron/core/cache/cache-key';
import { makeVerifier } from '../../../../../electron/core/session/password-verifier';
import { memoryVault, rememberSession } from '../../../../../electron/core/session/session-vault';

const dir = () => mkdtempSync(join(tmpdir(), 'minwon-cipher-'));
const NOTE = '민원인 주민번호 확인 요청 secret-note-4711';
const fileBytes = (file: string) => Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));

function writeNote(file: string, key: Buffer | null): void {
  const db = openCacheDb(file, key);
  db.prepare(
    "INSERT INTO history(id, caller_e164, agent_id, started_at, ended_at, category, outcome, manual_ids, notes, department, pending) VALUES ('h1', '+821012345678', 'a', '2026-12-01T00:00:00Z', '2026-12-01T00:01:00Z', 'c', 'answered', '[]', ?, NULL, 0)",
  ).run(NOTE);
  db.close();
}

describe('the desk cache at rest', () => {
  it('is encrypted with its key: no SQLite header, no caller or note in the file, and whole again with the key', () => {
    const file = join(dir(), 'cache.sqlite');
    const key = randomBytes(32);
    writeNote(file, key);
    const bytes = fileBytes(file);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(bytes.includes(Buffer.from('secret-note-4711'))).toBe(false);
    expect(bytes.includes(Buffer.from('+821012345678'))).toBe(false);
    const db = openCacheDb(file, key);
    expect(db.prepare("SELECT notes FROM history WHERE id = 'h1'").pluck().get()).toBe(NOTE);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('refuses another key, and no key, with a message that says what to do', () => {
    const file = join(dir(), 'cache.sqlite');
    writeNote(file, randomBytes(32));
    expect(() => openCacheDb(file, randomBytes(32))).toThrow(/cannot be read with this desk's cache key.*move it aside/);
    expect(() => openCacheDb(file, null)).toThrow(/cannot be read with this desk's cache key/);
  });

  it('encrypts a cache kept in clear in place, keeping everything in it', () => {
    const file = join(dir(), 'cache.sqlite');
    writeNote(file, null);
    const plain = openCacheDb(file, null);
    setMeta(plain, 'cursor', 'epoch:42');
    plain.close();
    expect(fileBytes(file).includes(Buffer.from('secret-note-4711'))).toBe(true);
    const key = randomBytes(32);
    const db = openCacheDb(file, key);
    expect(db.prepare("SELECT notes FROM history WHERE id = 'h1'").pluck().get()).toBe(NOTE);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'cursor'").pluck().get()).toBe('epoch:42');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(fileBytes(file).includes(Buffer.from('secret-note-4711'))).toBe(false);
  });
});

describe('where the key is kept', () => {
  it('the browser host and the CLI: a file beside the cache, made with mode 600, the same key after', () => {
    const file = defaultKeyFile(join(dir(), 'cache.sqlite'));
    expect(file.endsWith('cache.sqlite.key')).toBe(true);
    const key = keyFromFile(file);
    expect(key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(keyFromFile(file).equals(key)).toBe(true);
  });

  it('refuses a key file other accounts can read, or one that holds no key', () => {
    const d = dir();
    const open = join(d, 'open.key');
    keyFromFile(open);
    chmodSync(open, 0o644);
    expect(() => keyFromFile(open)).toThrow(/can be read by other accounts.*chmod 600/);
    const bad = join(d, 'bad.key');
    writeFileSync(bad, 'not a key\n', { mode: 0o600 });
    expect(() => keyFromFile(bad)).toThrow(/does not hold a 32-byte cache key/);
  });

  it('the desktop app: in its session vault (encrypted by the OS keystore), the same key after', async () => {
    const vault = memoryVault();
    const key = keyFromVault(vault);
    expect(vault.read().cacheKey).toBe(key.toString('base64'));
    expect(keyFromVault(vault).equals(key)).toBe(true);
    expect(vault.read().sessions).toEqual([]);
    // Remembering a session keeps the key (losing it would leave the cache unreadable).
    rememberSession(vault, { username: 'agent1', displayName: '김상담', role: 'agent', verifier: await makeVerifier('pw'), sip: null, savedAt: new Date().toISOString() });
    expect(keyFromVault(vault).equals(key)).toBe(true);
  });
});
