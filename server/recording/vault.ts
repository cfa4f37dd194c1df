import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Recordings are personal data of the most sensitive kind (a citizen's voice): every file is
// sealed with AES-256-GCM under the city's recording key, kept apart from the database, so a
// copied disk or backup of the recordings folder plays nothing.

const MAGIC = Buffer.from('MWR1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 8;

export interface RecordingVault {
  /** Seals `audio` into the vault under `name`; the file appears whole or not at all. */
  put(name: string, audio: Buffer): void;
  /** The audio of `name`; throws if missing, or sealed under another key, or tampered with. */
  get(name: string): Buffer;
  remove(name: string): void;
  has(name: string): boolean;
}

/** The key from MINWON_RECORDING_KEY (base64, 32 bytes: one key for every instance of a PostgreSQL city), else DATA/recording.key, made on first use. */
export function recordingKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const given = env.MINWON_RECORDING_KEY;
  if (given) {
    const key = Buffer.from(given, 'base64');
    if (key.length !== 32) throw new Error('MINWON_RECORDING_KEY must be 32 bytes in base64 (openssl rand -base64 32)');
    return key;
  }
  const file = join(dataDir, 'recording.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key in base64`);
  return key;
}

export function openRecordingVault(dir: string, key: Buffer): RecordingVault {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyId = createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);
  const path = (name: string) => {
    if (!/^[A-Za-z0-9-]{1,80}$/.test(name)) throw new Error(`not a recording file name: ${name}`);
    return join(dir, `${name}.mwr`);
  };
  return {
    put(name, audio) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      // The header is authenticated too: a file moved under another key id fails to open.
      cipher.setAAD(Buffer.concat([MAGIC, keyId]));
      const sealed = Buffer.concat([cipher.update(audio), cipher.final()]);
      const file = path(name);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.concat([MAGIC, keyId, iv, cipher.getAuthTag(), sealed]), { mode: 0o600 });
      renameSync(tmp, file);
    },
    get(name) {
      const data = readFileSync(path(name));
      const head = MAGIC.length + KEY_ID_BYTES;
      if (data.length < head + IV_BYTES + TAG_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`recording ${name} is not a sealed recording`);
      if (!data.subarray(MAGIC.length, head).equals(keyId)) throw new Error(`recording ${name} was sealed under another key`);
      const iv = data.subarray(head, head + IV_BYTES);
      const tag = data.subarray(head + IV_BYTES, head + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(data.subarray(0, head));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data.subarray(head + IV_BYTES + TAG_BYTES)), decipher.final()]);
    },
    remove(name) {
      rmSync(path(name), { force: true });
    },
    has(name) {
      return existsSync(path(name));
    },
  };
}
