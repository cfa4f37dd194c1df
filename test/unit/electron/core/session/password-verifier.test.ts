import { describe, expect, it } from 'vitest';
import { checkVerifier, makeVerifier } from '../../../../../electron/core/session/password-verifier';
import { passwordVerifierSchema } from '../../../../../shared/session';

describe('the cached password verifier', () => {
  it('accepts the password it was made from and refuses any other', async () => {
    const verifier = await makeVerifier('correct horse 배터리');
    expect(passwordVerifierSchema.safeParse(verifier).success).toBe(true);
    expect(await checkVerifier(verifier, 'correct horse 배터리')).toBe(true);
    expect(await checkVerifier(verifier, 'correct horse 배터리 ')).toBe(false);
    expect(await checkVerifier(verifier, 'Correct horse 배터리')).toBe(false);
    expect(await checkVerifier(verifier, 'x')).toBe(false);
  });

  it('salts every verifier afresh, so the same password never gives the same hash', async () => {
    const a = await makeVerifier('agent2');
    const b = await makeVerifier('agent2');
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await checkVerifier(a, 'agent2')).toBe(true);
    expect(await checkVerifier(b, 'agent2')).toBe(true);
  });

  it('keeps nothing of the password itself', async () => {
    const verifier = await makeVerifier('agent2-secret');
    expect(JSON.stringify(verifier)).not.toContain('agent2-secret');
    expect(JSON.stringify(verifier)).not.toContain(Buffer.from('agent2-secret').toString('base64').slice(0, 12));
  });

  it('refuses the right password against a tampered hash or another salt', async () => {
    const verifier = await makeVerifier('agent2');
    const hash = Buffer.from(verifier.hash, 'base64');
    hash[0] = (hash[0] as number) ^ 1;
    expect(await checkVerifier({ ...verifier, hash: hash.toString('base64') }, 'agent2')).toBe(false);
    const other = await makeVerifier('agent2');
    expect(await checkVerifier({ ...verifier, salt: other.salt }, 'agent2')).toBe(false);
    // A truncated hash (a damaged vault) is a refusal, not a throw from timingSafeEqual.
    expect(await checkVerifier({ ...verifier, hash: hash.subarray(0, 16).toString('base64') }, 'agent2')).toBe(false);
  });
});
