import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { SessionVault } from '../session/session-vault';
import type { CacheKey } from './cache-db';

const KEY_BYTES = 32;

const parse = (text: string, where: string): CacheKey => {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${where} does not hold a ${KEY_BYTES}-byte cache key (base64)`);
  return key;
};

/** The key file beside a cache, by default (`<cache>.key`). */
export const defaultKeyFile = (cacheFile: string) => `${cacheFile}.key`;

/**
 * The browser host's and the CLI's cache key: read from `file`, or made and written there (mode
 * 600, only this account can read it) the first time. A key file others can read is refused.
 */
export function keyFromFile(file: string): CacheKey {
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) throw new Error(`${file} can be read by other accounts (mode ${mode.toString(8)}): chmod 600 it`);
    return parse(readFileSync(file, 'utf8'), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(KEY_BYTES);
  // 'wx': never over a key another process made meanwhile.
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

/** The desktop app's cache key: kept in its session vault, which the OS keystore encrypts. */
export function keyFromVault(vault: SessionVault): CacheKey {
  const stored = vault.read().cacheKey;
  if (stored) return parse(stored, 'the session vault');
  const key = randomBytes(KEY_BYTES);
  vault.write({ ...vault.read(), cacheKey: key.toString('base64') });
  return key;
}
