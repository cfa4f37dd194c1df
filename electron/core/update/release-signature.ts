import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { publicKeyFromRaw, rawPublicKey } from '../crypto/ed25519-keys';
import { canonicalReleasePayload, type ReleasePayload, type SignedRelease, type TrustedKeys } from '../../../shared/release';

/** The id of a release key: the first 16 hex digits of the sha256 of its raw 32 bytes. */
export function keyIdOf(rawPublicKey: Buffer): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

export interface ReleaseKeyPair {
  keyId: string;
  /** Raw public key, base64: what desks pin. */
  publicKey: string;
  /** PKCS#8 PEM: what IT keeps offline. */
  privateKeyPem: string;
}

export function generateReleaseKey(): ReleaseKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return { keyId: keyIdOf(raw), publicKey: raw.toString('base64'), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/** Signs the payload's canonical form with each PEM key. */
export function signRelease(payload: ReleasePayload, privateKeyPems: readonly string[]): SignedRelease {
  const message = Buffer.from(canonicalReleasePayload(payload));
  const signatures = privateKeyPems.map((pem) => {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('release keys are Ed25519');
    return { keyId: keyIdOf(rawPublicKey(createPublicKey(key))), signature: sign(null, message, key).toString('base64') };
  });
  return { payload, signatures };
}

/**
 * How many distinct trusted keys signed this payload validly. Signatures by unknown keys are
 * ignored (a release may be signed by a newer key too, during a rotation), never counted.
 */
export function countValidSignatures(release: SignedRelease, trust: TrustedKeys): number {
  const message = Buffer.from(canonicalReleasePayload(release.payload));
  const valid = new Set<string>();
  for (const s of release.signatures) {
    const key = trust.keys.find((k) => k.keyId === s.keyId);
    if (!key || valid.has(key.keyId)) continue;
    // The pinned id must be the key's own: a list that pairs an id with another key is refused.
    if (keyIdOf(Buffer.from(key.publicKey, 'base64')) !== key.keyId) continue;
    if (verify(null, message, publicKeyFromRaw(key.publicKey), Buffer.from(s.signature, 'base64'))) valid.add(key.keyId);
  }
  return valid.size;
}
