import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { RELEASE_ARCHS, RELEASE_PLATFORMS, releaseManifestName, releasePayloadSchema, signedReleaseSchema, UPDATE_CHANNELS, type ReleasePayload, type TrustedKeys } from '../../shared/release';
import { describeIssues } from '../../shared/issues';
import { fetchManifest } from '../../electron/core/update/fetch-manifest';
import { generateReleaseKey, signRelease } from '../../electron/core/update/release-signature';
import { sha512OfFile } from '../../electron/core/update/update-flow';
import { parseTrustedKeys, verifyRelease } from '../../electron/core/update/verify-release';
import { int, required, str } from '../args';
import type { Args } from '../main';
import { UsageError } from '../usage';

function oneOf<T extends string>(args: Args, name: string, values: readonly T[], fallback?: T): T {
  const v = str(args, name) ?? fallback;
  if (!v || !(values as readonly string[]).includes(v)) throw new UsageError(`--${name} is one of ${values.join(', ')}`);
  return v as T;
}

function keygen(args: Args): number {
  const out = required(args, 'out');
  mkdirSync(out, { recursive: true });
  const key = generateReleaseKey();
  const file = join(out, `release-${key.keyId}.pem`);
  writeFileSync(file, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
  process.stdout.write(`private key ${file} (keep it offline)\nkey id ${key.keyId}\npublic key ${key.publicKey}\n`);
  const pin = str(args, 'pin');
  if (pin) {
    const trusted: TrustedKeys = existsSync(pin) ? parseTrustedKeys(readFileSync(pin, 'utf8')) : { threshold: 1, keys: [] };
    trusted.keys.push({ keyId: key.keyId, publicKey: key.publicKey, note: str(args, 'note') ?? `added ${new Date().toISOString().slice(0, 10)}` });
    writeFileSync(pin, `${JSON.stringify(trusted, null, 2)}\n`);
    process.stdout.write(`pinned in ${pin} (${trusted.keys.length} key(s), ${trusted.threshold} signature(s) needed)\n`);
  }
  return 0;
}

/** electron-updater's metadata for the same files, for a feed not written by electron-builder. */
function updaterMetadata(p: ReleasePayload, releaseDate: string): string {
  const first = p.files[0] as ReleasePayload['files'][number];
  return [
    `version: ${p.version}`,
    'files:',
    ...p.files.flatMap((f) => [`  - url: ${f.url}`, `    sha512: ${f.sha512}`, `    size: ${f.size}`]),
    `path: ${first.url}`,
    `sha512: ${first.sha512}`,
    `releaseDate: '${releaseDate}'`,
    ...(p.stagingPercentage < 100 ? [`stagingPercentage: ${p.stagingPercentage}`] : []),
    '',
  ].join('\n');
}

async function sign(args: Args): Promise<number> {
  const files = args.positionals.slice(1);
  if (files.length === 0) throw new UsageError('release sign FILE... (the installer first)');
  const keys = (str(args, 'key') ?? '').split(',').filter(Boolean);
  if (keys.length === 0) throw new UsageError('--key PEM[,PEM...] is required');
  const out = required(args, 'out');
  const platform = oneOf(args, 'platform', RELEASE_PLATFORMS);
  const arch = oneOf(args, 'arch', RELEASE_ARCHS, 'x64');
  const manifestFile = join(out, releaseManifestName(platform, arch));
  // The serial only grows: by default one more than the manifest it replaces.
  const previous = existsSync(manifestFile) ? signedReleaseSchema.safeParse(JSON.parse(readFileSync(manifestFile, 'utf8'))) : null;
  const serial = int(args, 'serial', (previous?.success ? previous.data.payload.serial : 0) + 1, 1);
  const now = new Date();
  const payload = releasePayloadSchema.safeParse({
    version: required(args, 'version'),
    channel: oneOf(args, 'channel', UPDATE_CHANNELS, 'stable'),
    platform,
    arch,
    files: await Promise.all(files.map(async (f) => ({ url: basename(f), sha512: await sha512OfFile(f), size: statSync(f).size }))),
    stagingPercentage: int(args, 'staging', 100, 0, 100),
    serial,
    expiresAt: new Date(now.getTime() + int(args, 'expires-days', 30, 1, 365) * 86_400_000).toISOString(),
  });
  if (!payload.success) throw new UsageError(describeIssues(payload.error));
  mkdirSync(out, { recursive: true });
  for (const f of files) if (resolve(f) !== resolve(join(out, basename(f)))) copyFileSync(f, join(out, basename(f)));
  const signed = signRelease(payload.data, keys.map((k) => readFileSync(k, 'utf8')));
  writeFileSync(manifestFile, `${JSON.stringify(signed, null, 2)}\n`);
  process.stdout.write(`signed ${payload.data.version} (${platform}-${arch}, serial ${serial}, expires ${payload.data.expiresAt}) → ${manifestFile}\n`);
  if (args.values['updater-metadata'] === true) {
    const yml = join(out, platform === 'win32' ? 'latest.yml' : 'latest-linux.yml');
    writeFileSync(yml, updaterMetadata(payload.data, now.toISOString()));
    process.stdout.write(`electron-updater metadata → ${yml}\n`);
  }
  return 0;
}

async function verify(args: Args): Promise<number> {
  const feed = required(args, 'feed');
  const platform = oneOf(args, 'platform', RELEASE_PLATFORMS);
  const arch = oneOf(args, 'arch', RELEASE_ARCHS, 'x64');
  const url = new URL(releaseManifestName(platform, arch), feed.endsWith('/') ? feed : `${feed}/`).href;
  const text = await fetchManifest(url, fetch);
  const verdict = verifyRelease(text, {
    trust: parseTrustedKeys(readFileSync(required(args, 'keys'), 'utf8')),
    channel: oneOf(args, 'channel', UPDATE_CHANNELS, 'stable'),
    platform,
    arch,
    now: new Date(),
    highestSerial: int(args, 'serial', 0),
  });
  if (!verdict.ok) {
    process.stdout.write(`REFUSED ${url}: ${verdict.reason}: ${verdict.message}\n`);
    return 1;
  }
  const r = verdict.release;
  process.stdout.write(`valid ${r.version} (${r.channel}, ${r.platform}-${r.arch}, serial ${r.serial}, staging ${r.stagingPercentage}%, expires ${r.expiresAt})\n`);
  return 0;
}

export async function runRelease(args: Args): Promise<number> {
  const [action] = args.positionals;
  if (action === 'keygen') return keygen(args);
  if (action === 'sign') return sign(args);
  if (action === 'verify') return verify(args);
  throw new UsageError('release keygen, release sign FILE..., or release verify');
}
