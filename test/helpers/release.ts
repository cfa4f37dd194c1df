import type { ReleasePayload } from '../../shared/release';
import { generateReleaseKey, type ReleaseKeyPair } from '../../electron/core/update/release-signature';

/** A stable linux-x64 release 0.2.0, serial 7, of `files`, expiring at `expiresAt`; fields can be overridden. */
export function releasePayload(files: ReleasePayload['files'], expiresAt: Date, over: Partial<ReleasePayload> = {}): ReleasePayload {
  return { version: '0.2.0', channel: 'stable', platform: 'linux', arch: 'x64', files, stagingPercentage: 100, serial: 7, expiresAt: expiresAt.toISOString(), ...over };
}

/** The pinned-key entries a desk would ship for these keys. */
export const pinKeys = (...keys: ReleaseKeyPair[]) => keys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, note: 'test' }));

/**
 * A release key made on first use, inside a test. A key made while the test file loads would turn
 * a broken key generator into a file that fails to load, which Stryker counts as no failing test.
 */
export function lazyReleaseKey(): ReleaseKeyPair {
  let key: ReleaseKeyPair | undefined;
  const made = () => (key ??= generateReleaseKey());
  return {
    get keyId() { return made().keyId; },
    get publicKey() { return made().publicKey; },
    get privateKeyPem() { return made().privateKeyPem; },
  };
}
