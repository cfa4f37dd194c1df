import { z } from 'zod';

/**
 * Signed release manifests: what IT publishes on the city server's update feed and what every
 * desk checks before it downloads a byte of an update. The signature covers the canonical
 * payload below, never the JSON text as served, so whitespace or key order cannot matter and
 * nothing outside the payload can sneak in.
 */

export const UPDATE_CHANNELS = ['stable', 'pilot'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];
export const RELEASE_PLATFORMS = ['win32', 'linux'] as const;
export const RELEASE_ARCHS = ['x64', 'arm64'] as const;

/** Bumped if the canonical form ever changes; signed as part of the payload. */
const CANONICAL_TAG = 'minwon-release-v1';

const SEMVER = /^\d{1,4}\.\d{1,4}\.\d{1,6}(?:-[0-9A-Za-z.-]{1,40})?$/;
/** A file name on the feed, as electron-updater's metadata gives it: relative, one segment. */
const FILE_URL = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;
/** sha512 in base64, as electron-updater's metadata carries it. */
const SHA512_BASE64 = /^[A-Za-z0-9+/]{86}==$/;

export const releaseFileSchema = z.strictObject({
  url: z.string().regex(FILE_URL, 'a file name on the feed'),
  sha512: z.string().regex(SHA512_BASE64, 'sha512 in base64'),
  size: z.number().int().positive().max(2 ** 40),
});
export type ReleaseFile = z.infer<typeof releaseFileSchema>;

export const releasePayloadSchema = z.strictObject({
  version: z.string().regex(SEMVER, 'a version like 1.2.3'),
  channel: z.enum(UPDATE_CHANNELS),
  platform: z.enum(RELEASE_PLATFORMS),
  arch: z.enum(RELEASE_ARCHS),
  /** The installer first: electron-updater downloads the first file that fits the platform. */
  files: z.array(releaseFileSchema).min(1).max(16),
  /** Share of desks (0–100) offered this release; a desk's stable bucket decides. */
  stagingPercentage: z.number().int().min(0).max(100),
  /** Grows with every manifest IT signs; a desk never accepts one lower than it has seen. */
  serial: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  /** After this a desk refuses the manifest, so a stale one cannot be replayed to freeze desks. */
  expiresAt: z.iso.datetime(),
});
export type ReleasePayload = z.infer<typeof releasePayloadSchema>;

/** A key id: the first 16 hex digits of the sha256 of the raw public key. */
export const KEY_ID = /^[0-9a-f]{16}$/;

export const signedReleaseSchema = z.strictObject({
  payload: releasePayloadSchema,
  signatures: z
    .array(z.strictObject({ keyId: z.string().regex(KEY_ID), signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'an Ed25519 signature in base64') }))
    .min(1)
    .max(8),
});
export type SignedRelease = z.infer<typeof signedReleaseSchema>;

/** The release keys a desk trusts, pinned in its bundle; `threshold` valid signatures from distinct keys are needed. */
export const trustedKeysSchema = z
  .strictObject({
    threshold: z.number().int().min(1).max(8),
    keys: z
      .array(z.strictObject({ keyId: z.string().regex(KEY_ID), publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a raw Ed25519 public key in base64'), note: z.string().max(200) }))
      .min(1)
      .max(8),
  })
  .refine((t) => t.threshold <= t.keys.length, { message: 'threshold is larger than the number of keys' });
export type TrustedKeys = z.infer<typeof trustedKeysSchema>;

/**
 * The exact bytes that are signed: a fixed-order JSON array, so two serialisations of the
 * same manifest sign alike. File order is part of it: re-ordering changes what gets installed.
 */
export function canonicalReleasePayload(p: ReleasePayload): string {
  return JSON.stringify([
    CANONICAL_TAG,
    p.version,
    p.channel,
    p.platform,
    p.arch,
    p.files.map((f) => [f.url, f.sha512, f.size]),
    p.stagingPercentage,
    p.serial,
    p.expiresAt,
  ]);
}

/** The manifest's name on the feed, beside electron-updater's own metadata. */
export function releaseManifestName(platform: string, arch: string): string {
  return `release-${platform}-${arch}.json`;
}

/** Largest manifest a desk reads; anything longer is refused unparsed. */
export const MAX_MANIFEST_BYTES = 64 * 1024;
