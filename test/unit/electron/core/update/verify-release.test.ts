import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countValidSignatures, generateReleaseKey, keyIdOf, signRelease } from '../../../../../electron/core/update/release-signature';
import { parseTrustedKeys, verifyRelease, type ReleaseExpectations } from '../../../../../electron/core/update/verify-release';
import { lazyReleaseKey, pinKeys, releasePayload } from '../../../../helpers/release';
import { canonicalReleasePayload, MAX_MANIFEST_BYTES, releaseManifestName, signedReleaseSchema, type ReleasePayload } from '../../../../../shared/release';

const NOW = new Date('2026-12-07T02:00:00Z');
const a = lazyReleaseKey();
const b = lazyReleaseKey();
const pin = pinKeys;
const payload = (over: Partial<ReleasePayload> = {}) =>
  releasePayload([{ url: 'MinwonDesk-0.2.0.AppImage', sha512: `${'A'.repeat(86)}==`, size: 1024 }], new Date(NOW.getTime() + 86_400_000), over);
const want = (over: Partial<ReleaseExpectations> = {}): ReleaseExpectations => ({ trust: { threshold: 1, keys: pin(a) }, channel: 'stable', platform: 'linux', arch: 'x64', now: NOW, highestSerial: 0, ...over });
const manifest = (p = payload(), keys = [a]) => JSON.stringify(signRelease(p, keys.map((k) => k.privateKeyPem)));

describe('release verification', () => {
  it('accepts a manifest signed by enough pinned keys, for this desk, not older, not expired', () => {
    expect(verifyRelease(manifest(), want())).toEqual({ ok: true, release: payload() });
    // The serial already accepted is still acceptable: it is the current release.
    expect(verifyRelease(manifest(), want({ highestSerial: 7 }))).toMatchObject({ ok: true });
    expect(verifyRelease(manifest(), want({ highestSerial: 8 }))).toEqual({ ok: false, reason: 'rollback', message: 'serial 7 is lower than 8, already seen' });
  });

  it('refuses at the expiry instant, not a millisecond before', () => {
    const p = payload();
    const at = new Date(p.expiresAt);
    expect(verifyRelease(manifest(p), want({ now: at }))).toEqual({ ok: false, reason: 'expired', message: `manifest expired at ${p.expiresAt}` });
    expect(verifyRelease(manifest(p), want({ now: new Date(at.getTime() - 1) }))).toMatchObject({ ok: true });
  });

  it('says which desk a manifest was for', () => {
    expect(verifyRelease(manifest(payload({ channel: 'pilot' })), want())).toEqual({ ok: false, reason: 'channel', message: 'manifest is for channel pilot, this desk follows stable' });
    expect(verifyRelease(manifest(payload({ arch: 'arm64' })), want())).toEqual({ ok: false, reason: 'platform', message: 'manifest is for linux-arm64, this desk is linux-x64' });
    expect(verifyRelease(manifest(payload({ platform: 'win32' })), want())).toMatchObject({ reason: 'platform' });
  });

  it('counts distinct pinned keys against the threshold', () => {
    const two = { threshold: 2, keys: pin(a, b) };
    expect(verifyRelease(manifest(payload(), [a, b]), want({ trust: two }))).toMatchObject({ ok: true });
    expect(verifyRelease(manifest(payload(), [a, a]), want({ trust: two }))).toEqual({ ok: false, reason: 'signature', message: '1 valid signature(s) from pinned keys, 2 needed' });
    const signed = signRelease(payload(), [a.privateKeyPem, b.privateKeyPem]);
    expect(countValidSignatures(signed, two)).toBe(2);
    expect(countValidSignatures(signed, { threshold: 1, keys: pin(b) })).toBe(1);
    // A pinned entry whose id is not its key's is never counted.
    expect(countValidSignatures(signed, { threshold: 1, keys: [{ ...pin(a)[0]!, publicKey: b.publicKey }] })).toBe(0);
    expect(countValidSignatures({ ...signed, payload: { ...signed.payload, serial: 8 } }, two)).toBe(0);
  });

  it('refuses what cannot be read, before anything else', () => {
    expect(verifyRelease('{', want())).toEqual({ ok: false, reason: 'malformed', message: 'manifest is not JSON' });
    expect(verifyRelease(JSON.stringify({ payload: payload(), signatures: [] }), want())).toMatchObject({ ok: false, reason: 'malformed', message: expect.stringMatching(/^manifest: /) });
    const atLimit = manifest().padEnd(MAX_MANIFEST_BYTES, ' ');
    expect(verifyRelease(atLimit, want())).toMatchObject({ ok: true });
    // Bytes, not characters: one Korean character more is three bytes over.
    expect(verifyRelease(`${atLimit.slice(0, -1)}가`, want())).toEqual({ ok: false, reason: 'malformed', message: `manifest larger than ${MAX_MANIFEST_BYTES} bytes` });
  });

  it('bounds every field of the payload', () => {
    const refused = (over: Partial<ReleasePayload>) => !signedReleaseSchema.safeParse(signRelease(payload(over), [a.privateKeyPem])).success;
    expect(refused({})).toBe(false);
    for (const version of ['1.2', '1.2.3.4', 'v1.2.3', '1.2.3-', '12345.0.0', '1.2.3-a b', ' 1.2.3']) expect(refused({ version }), version).toBe(true);
    for (const version of ['1.2.3-pilot.1', '1234.5678.123456']) expect(refused({ version }), version).toBe(false);
    for (const url of ['../x', '/abs', '.hidden', 'a/b', 'a'.repeat(201), '']) expect(refused({ files: [{ ...payload().files[0]!, url }] }), url).toBe(true);
    expect(refused({ files: [{ ...payload().files[0]!, url: 'a'.repeat(200) }] })).toBe(false);
    for (const sha512 of ['A'.repeat(88), `${'A'.repeat(85)}==`, `${'A'.repeat(86)}=`, `${'-'.repeat(86)}==`, `x${'A'.repeat(86)}==`, `${'A'.repeat(86)}==x`]) expect(refused({ files: [{ ...payload().files[0]!, sha512 }] }), sha512).toBe(true);
    for (const size of [0, 1.5, 2 ** 40 + 1]) expect(refused({ files: [{ ...payload().files[0]!, size }] }), String(size)).toBe(true);
    expect(refused({ files: [] })).toBe(true);
    expect(refused({ files: Array.from({ length: 17 }, () => payload().files[0]!) })).toBe(true);
    for (const stagingPercentage of [-1, 101, 50.5]) expect(refused({ stagingPercentage }), String(stagingPercentage)).toBe(true);
    for (const serial of [0, -1, 1.5]) expect(refused({ serial }), String(serial)).toBe(true);
    expect(refused({ expiresAt: 'tomorrow' })).toBe(true);
  });

  it('signs a canonical form that covers every field, in file order', () => {
    const p = payload({ files: [...payload().files, { url: 'b.blockmap', sha512: `${'B'.repeat(86)}==`, size: 2 }] });
    const base = canonicalReleasePayload(p);
    expect(JSON.parse(base)).toEqual(['minwon-release-v1', '0.2.0', 'stable', 'linux', 'x64', [['MinwonDesk-0.2.0.AppImage', `${'A'.repeat(86)}==`, 1024], ['b.blockmap', `${'B'.repeat(86)}==`, 2]], 100, 7, p.expiresAt]);
    expect(canonicalReleasePayload({ ...p, files: [...p.files].reverse() })).not.toBe(base);
    expect(releaseManifestName('win32', 'arm64')).toBe('release-win32-arm64.json');
  });

  it('reads the pinned key list, and refuses an unusable one', () => {
    const good = { threshold: 1, keys: pin(a) };
    expect(parseTrustedKeys(JSON.stringify(good))).toEqual(good);
    expect(() => parseTrustedKeys('nope')).toThrow('pinned release keys: not JSON');
    expect(() => parseTrustedKeys(JSON.stringify({ threshold: 2, keys: pin(a) }))).toThrow(/threshold is larger than the number of keys/);
    expect(() => parseTrustedKeys(JSON.stringify({ threshold: 0, keys: pin(a) }))).toThrow(/^pinned release keys: /);
    expect(() => parseTrustedKeys(JSON.stringify({ threshold: 1, keys: [{ ...pin(a)[0]!, keyId: 'ABCDEF0123456789' }] }))).toThrow();
  });

  it('makes Ed25519 keys named by the sha256 of the raw public key, and signs with nothing else', () => {
    const k = generateReleaseKey();
    const raw = Buffer.from(k.publicKey, 'base64');
    expect(raw).toHaveLength(32);
    expect(k.keyId).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
    expect(keyIdOf(raw)).toBe(k.keyId);
    expect(k.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => signRelease(payload(), [rsa])).toThrow('release keys are Ed25519');
  });

  it('never counts a signature under a pinned id that belongs to another key', () => {
    // b signs, the signature is labelled with a's id, and the pinned list pairs a's id with b's key.
    const signed = signRelease(payload(), [b.privateKeyPem]);
    const relabelled = { ...signed, signatures: [{ ...signed.signatures[0]!, keyId: a.keyId }] };
    expect(countValidSignatures(relabelled, { threshold: 1, keys: [{ keyId: a.keyId, publicKey: b.publicKey, note: 'mispaired' }] })).toBe(0);
    expect(countValidSignatures(signed, { threshold: 1, keys: pin(b) })).toBe(1);
  });
});

describe('the manifest’s own fields', () => {
  const signed = () => signRelease(payload(), [a.privateKeyPem]);
  const message = (value: unknown) => signedReleaseSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

  it('says what a field should have been', () => {
    expect(message({ ...signed(), payload: { ...payload(), version: 'one' } })).toEqual(['payload.version: a version like 1.2.3']);
    expect(message({ ...signed(), payload: { ...payload(), files: [{ ...payload().files[0]!, url: '../x' }] } })).toEqual(['payload.files.0.url: a file name on the feed']);
    expect(message({ ...signed(), payload: { ...payload(), files: [{ ...payload().files[0]!, sha512: 'x' }] } })).toEqual(['payload.files.0.sha512: sha512 in base64']);
    const s = signed();
    expect(message({ ...s, signatures: [{ ...s.signatures[0]!, signature: 'x' }] })).toEqual(['signatures.0.signature: an Ed25519 signature in base64']);
  });

  it('takes key ids and signatures whole, nothing before or after', () => {
    const s = signed();
    const sig = s.signatures[0]!;
    for (const bad of [{ ...sig, keyId: `x${sig.keyId}` }, { ...sig, keyId: `${sig.keyId}x` }, { ...sig, signature: `x${sig.signature}` }, { ...sig, signature: `${sig.signature}x` }]) {
      expect(signedReleaseSchema.safeParse({ ...s, signatures: [bad] }).success).toBe(false);
    }
    expect(signedReleaseSchema.safeParse({ ...s, signatures: Array.from({ length: 9 }, () => sig) }).success).toBe(false);
    expect(signedReleaseSchema.safeParse({ ...s, signatures: Array.from({ length: 8 }, () => sig) }).success).toBe(true);
  });

  it('pins 1 to 8 whole raw keys', () => {
    const key = pin(a)[0]!;
    const keys = (list: unknown[]) => () => parseTrustedKeys(JSON.stringify({ threshold: 1, keys: list }));
    expect(keys(Array.from({ length: 8 }, () => key))).not.toThrow();
    expect(keys(Array.from({ length: 9 }, () => key))).toThrow();
    expect(keys([])).toThrow();
    for (const publicKey of [`x${key.publicKey}`, `${key.publicKey}x`, key.publicKey.slice(1)]) expect(keys([{ ...key, publicKey }])).toThrow(/a raw Ed25519 public key in base64/);
  });
});
