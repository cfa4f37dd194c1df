import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';
import type { PasswordVerifier } from '../../../shared/session';

const KEY_BYTES = 32;
// scrypt's cost, as the city server's own password hashes: slow enough to make guessing a cached
// verifier expensive, quick enough (~50 ms) for a sign-in or an unlock.
const COST = { N: 16_384, r: 8, p: 1 };

const derive = (password: string, salt: BinaryLike) =>
  new Promise<Buffer>((resolve, reject) => scrypt(password, salt, KEY_BYTES, COST, (err, key) => (err ? reject(err) : resolve(key))));

/** A verifier for `password`: a fresh salt and the scrypt of the password under it. */
export async function makeVerifier(password: string): Promise<PasswordVerifier> {
  const salt = randomBytes(16);
  return { salt: salt.toString('base64'), hash: (await derive(password, salt)).toString('base64') };
}

/** Whether `password` is the one the verifier was made from (constant time). */
export async function checkVerifier(verifier: PasswordVerifier, password: string): Promise<boolean> {
  const expected = Buffer.from(verifier.hash, 'base64');
  const key = await derive(password, Buffer.from(verifier.salt, 'base64'));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
