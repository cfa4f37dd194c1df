import { describeIssues } from '../../../shared/issues';
import { MAX_MANIFEST_BYTES, signedReleaseSchema, trustedKeysSchema, type ReleasePayload, type TrustedKeys } from '../../../shared/release';
import { countValidSignatures } from './release-signature';

export const REFUSALS = ['malformed', 'signature', 'channel', 'platform', 'rollback', 'expired'] as const;
export type ReleaseRefusal = (typeof REFUSALS)[number];

export interface ReleaseExpectations {
  trust: TrustedKeys;
  channel: string;
  platform: string;
  arch: string;
  now: Date;
  /** The highest serial this desk has accepted so far (0 before the first). */
  highestSerial: number;
}

export type ReleaseVerdict = { ok: true; release: ReleasePayload } | { ok: false; reason: ReleaseRefusal; message: string };

/**
 * Decides whether a manifest from the feed may be acted on. Fails closed: anything not proven
 * good (unparseable, unsigned, signed by too few pinned keys, for another desk, older than
 * what was seen, expired) is refused with the reason, and nothing of it is used.
 */
export function verifyRelease(text: string, want: ReleaseExpectations): ReleaseVerdict {
  const refuse = (reason: ReleaseRefusal, message: string): ReleaseVerdict => ({ ok: false, reason, message });
  if (Buffer.byteLength(text) > MAX_MANIFEST_BYTES) return refuse('malformed', `manifest larger than ${MAX_MANIFEST_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return refuse('malformed', 'manifest is not JSON');
  }
  const parsed = signedReleaseSchema.safeParse(raw);
  if (!parsed.success) return refuse('malformed', `manifest: ${describeIssues(parsed.error, '(manifest)', 3)}`);
  const signed = parsed.data;
  const valid = countValidSignatures(signed, want.trust);
  if (valid < want.trust.threshold) {
    return refuse('signature', `${valid} valid signature(s) from pinned keys, ${want.trust.threshold} needed`);
  }
  const p = signed.payload;
  if (p.channel !== want.channel) return refuse('channel', `manifest is for channel ${p.channel}, this desk follows ${want.channel}`);
  if (p.platform !== want.platform || p.arch !== want.arch) {
    return refuse('platform', `manifest is for ${p.platform}-${p.arch}, this desk is ${want.platform}-${want.arch}`);
  }
  if (p.serial < want.highestSerial) return refuse('rollback', `serial ${p.serial} is lower than ${want.highestSerial}, already seen`);
  if (Date.parse(p.expiresAt) <= want.now.getTime()) return refuse('expired', `manifest expired at ${p.expiresAt}`);
  return { ok: true, release: p };
}

/** The pinned key list as shipped in the bundle; an unusable list is an error (updates stay off). */
export function parseTrustedKeys(text: string): TrustedKeys {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('pinned release keys: not JSON');
  }
  const parsed = trustedKeysSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`pinned release keys: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
