import { describe, expect, it } from 'vitest';
import { createSafeVault, type VaultFs } from '../../../../electron/shell/safe-vault';
import type { VaultContents } from '../../../../shared/session';

const SIP_SECRET = 'sip-secret-ab12cd34ef56';
const FILE = '/userData/sessions.vault';

const contents: VaultContents = {
  sessions: [
    {
      username: 'agent2',
      displayName: '이상담',
      role: 'agent',
      verifier: { salt: `${'s'.repeat(22)}==`, hash: `${'h'.repeat(43)}=` },
      sip: { username: 'agent2', domain: 'minwon.city.local', password: SIP_SECRET, wsUrl: 'wss://sip.city.local:8443' },
      savedAt: '2026-12-01T00:00:00.000Z',
    },
  ],
};

/** A keystore stand-in: "encrypts" by reversing the base64 of the text, so nothing readable reaches the file. */
function fakeSafeStorage(backend = 'gnome_libsecret') {
  const s = {
    available: true,
    backend,
    isEncryptionAvailable: () => s.available,
    encryptString: (text: string) => Buffer.from(Buffer.from(text, 'utf8').toString('base64').split('').reverse().join(''), 'latin1'),
    decryptString: (data: Buffer) => Buffer.from(data.toString('latin1').split('').reverse().join(''), 'base64').toString('utf8'),
    getSelectedStorageBackend: () => s.backend,
  };
  return s;
}

/** Files in a map; every write and rename is noted, with its mode. */
function memoryFs() {
  const files = new Map<string, Buffer>();
  const ops: string[] = [];
  const fs: VaultFs = {
    readFileSync: (path) => {
      const data = files.get(path);
      if (!data) throw new Error(`ENOENT: ${path}`);
      return data;
    },
    writeFileSync: (path, data, { mode }) => {
      ops.push(`write ${path} ${mode.toString(8)}`);
      files.set(path, Buffer.from(data));
    },
    renameSync: (from, to) => {
      ops.push(`rename ${from} ${to}`);
      const data = files.get(from);
      if (!data) throw new Error(`ENOENT: ${from}`);
      files.set(to, data);
      files.delete(from);
    },
    existsSync: (path) => files.has(path),
  };
  return { fs, files, ops };
}

function vault(o: { backend?: string } = {}) {
  const safeStorage = fakeSafeStorage(o.backend);
  const mem = memoryFs();
  const log: string[] = [];
  const v = createSafeVault({ safeStorage, file: FILE, fs: mem.fs, log: (m) => log.push(m) });
  return { v, safeStorage, log, ...mem };
}

describe('the safeStorage-encrypted session vault', () => {
  it('reads back what it wrote', () => {
    const { v } = vault();
    expect(v.read()).toEqual({ sessions: [] });
    expect(v.write(contents)).toBe(true);
    expect(v.read()).toEqual(contents);
    expect(v.write({ sessions: [] })).toBe(true);
    expect(v.read()).toEqual({ sessions: [] });
  });

  it('never puts the SIP secret, or any readable part of the sessions, in the file', () => {
    const { v, files } = vault();
    v.write(contents);
    const onDisk = files.get(FILE) as Buffer;
    expect(onDisk.includes(SIP_SECRET)).toBe(false);
    expect(onDisk.includes('agent2')).toBe(false);
    expect(onDisk.includes(Buffer.from('이상담'))).toBe(false);
  });

  it('writes a temporary file readable by the user only, then renames it over the vault', () => {
    const { v, ops, files } = vault();
    v.write(contents);
    v.write(contents);
    expect(ops).toEqual([`write ${FILE}.tmp 600`, `rename ${FILE}.tmp ${FILE}`, `write ${FILE}.tmp 600`, `rename ${FILE}.tmp ${FILE}`]);
    expect([...files.keys()]).toEqual([FILE]);
  });

  it('refuses to write contents that are not a vault', () => {
    const { v, files } = vault();
    expect(() => v.write({ sessions: [{ ...contents.sessions[0], role: 'phone' }] } as unknown as VaultContents)).toThrow();
    expect(files.size).toBe(0);
  });

  it('writes nothing, and reads nothing, without an OS keystore', () => {
    const { v, safeStorage, files, log } = vault();
    v.write(contents);
    const before = files.get(FILE);
    safeStorage.available = false;
    expect(v.write({ sessions: [] })).toBe(false);
    expect(files.get(FILE)).toBe(before);
    expect(v.read()).toEqual({ sessions: [] });
    expect(log.filter((l) => l.includes('not available'))).toHaveLength(2);
    // The keystore back: the file was kept as it was.
    safeStorage.available = true;
    expect(v.read()).toEqual(contents);
  });

  it('treats the fixed-key "basic_text" backend as no keystore at all', () => {
    const { v, safeStorage, files } = vault({ backend: 'basic_text' });
    expect(v.write(contents)).toBe(false);
    expect(files.size).toBe(0);
    safeStorage.backend = 'kwallet5';
    v.write(contents);
    safeStorage.backend = 'basic_text';
    expect(v.read()).toEqual({ sessions: [] });
  });

  it('works where safeStorage cannot name its backend (Windows, macOS)', () => {
    const { isEncryptionAvailable, encryptString, decryptString } = fakeSafeStorage();
    const { fs } = memoryFs();
    const v = createSafeVault({ safeStorage: { isEncryptionAvailable, encryptString, decryptString }, file: FILE, fs, log: () => {} });
    expect(v.write(contents)).toBe(true);
    expect(v.read()).toEqual(contents);
  });

  it('reads a damaged file as empty, and says so', () => {
    const { v, files, log } = vault();
    v.write(contents);
    const damaged = Buffer.from(files.get(FILE) as Buffer);
    files.set(FILE, damaged.subarray(0, damaged.length - 7));
    expect(v.read()).toEqual({ sessions: [] });
    expect(log.some((l) => l.includes('unreadable'))).toBe(true);

    // Decrypts, but is not a vault (another version's format).
    files.set(FILE, fakeSafeStorage().encryptString(JSON.stringify({ sessions: [{ username: 'agent2' }] })));
    expect(v.read()).toEqual({ sessions: [] });
    expect(log.filter((l) => l.includes('unreadable'))).toHaveLength(2);
  });

  it('reads as empty when the keystore cannot decrypt (another OS user)', () => {
    const { v, safeStorage, log } = vault();
    v.write(contents);
    safeStorage.decryptString = () => {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    };
    expect(v.read()).toEqual({ sessions: [] });
    expect(log.some((l) => l.includes('unreadable') && l.includes('decrypting'))).toBe(true);
  });
});
