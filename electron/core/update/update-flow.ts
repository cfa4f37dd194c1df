import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ReleasePayload, TrustedKeys, UpdateChannel } from '../../../shared/release';
import type { UpdateStatus } from '../../../shared/shell-contract';
import type { Logger } from '../sync/sync-engine';
import type { UpdateState } from './update-state';
import { verifyRelease } from './verify-release';

/** electron-updater's view of the feed's metadata (its UpdateInfo, as far as it is compared). */
export interface UpdaterInfo {
  version: string;
  files: readonly { url: string; sha512: string; size?: number }[];
  stagingPercentage?: number;
}

/** electron-updater, with automatic download and install off: the flow decides both. */
export interface UpdaterPort {
  /** Reads the feed's metadata; null when electron-updater saw nothing. */
  check(): Promise<UpdaterInfo | null>;
  /** Downloads what the last check found; resolves with the downloaded files' paths. */
  download(): Promise<readonly string[]>;
  /** Quits and installs the downloaded update. */
  install(): void;
}

export type UpdateMode = 'auto' | 'notify' | 'off';

export interface UpdateFlowOptions {
  mode: UpdateMode;
  channel: UpdateChannel;
  platform: string;
  arch: string;
  currentVersion: string;
  trust: TrustedKeys;
  /** Reads the signed manifest's text from the feed. */
  readManifest: () => Promise<string>;
  updater: UpdaterPort;
  state: UpdateState;
  clock: () => Date;
  logger: Logger;
  onStatus: (status: UpdateStatus) => void;
  sha512OfFile?: (path: string) => Promise<string>;
}

/** a < b for versions like 1.2.3 and 1.2.3-pilot.1 (a pre-release sorts before its release). */
export function isNewer(candidate: string, current: string): boolean {
  const split = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { nums: core.split('.').map(Number), pre };
  };
  const a = split(candidate);
  const b = split(current);
  for (let i = 0; i < 3; i++) {
    const d = (a.nums[i] ?? 0) - (b.nums[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  if (a.pre === b.pre) return false;
  if (a.pre === undefined) return true;
  if (b.pre === undefined) return false;
  return a.pre.localeCompare(b.pre, 'en', { numeric: true }) > 0;
}

/** Why electron-updater's metadata differs from the verified manifest, or null when it is the same release. */
export function metadataMismatch(info: UpdaterInfo, release: ReleasePayload): string | null {
  if (info.version !== release.version) return `version ${info.version} ≠ ${release.version}`;
  if (info.files.length !== release.files.length) return `${info.files.length} file(s) ≠ ${release.files.length}`;
  for (const [i, f] of release.files.entries()) {
    const g = info.files[i];
    if (!g || g.url !== f.url || g.sha512 !== f.sha512 || g.size !== f.size) return `file ${i + 1} (${g?.url ?? '?'}) differs from ${f.url}`;
  }
  if ((info.stagingPercentage ?? 100) !== release.stagingPercentage) return `staging ${info.stagingPercentage ?? 100}% ≠ ${release.stagingPercentage}%`;
  return null;
}

export function sha512OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('base64')));
  });
}

/**
 * The desk's update check, failing closed at every step: the signed manifest must verify
 * against the pinned keys (channel, platform, serial, expiry), electron-updater's metadata must
 * be that very release, and the downloaded installer must hash to the manifest's value before
 * the desk offers to install it. Any failure is reported to the agent and the log, and stops.
 */
export function createUpdateFlow(o: UpdateFlowOptions) {
  const hashFile = o.sha512OfFile ?? sha512OfFile;
  let status: UpdateStatus = make(o.mode === 'off' ? 'disabled' : 'idle', null, null);
  let running: Promise<UpdateStatus> | null = null;

  function make(state: UpdateStatus['state'], version: string | null, message: string | null): UpdateStatus {
    return { state, channel: o.channel, currentVersion: o.currentVersion, version, message: message?.slice(0, 500) ?? null, at: o.clock().toISOString() };
  }
  function set(state: UpdateStatus['state'], version: string | null = null, message: string | null = null): UpdateStatus {
    status = make(state, version, message);
    if (state === 'refused') o.logger.error(`update refused${version ? ` (${version})` : ''}: ${message}`);
    else if (state === 'error') o.logger.warn(`update check failed: ${message}`);
    else o.logger.info(`update ${state}${version ? ` ${version}` : ''}`);
    o.onStatus(status);
    return status;
  }

  async function run(): Promise<UpdateStatus> {
    if (o.mode === 'off') return set('disabled');
    set('checking');
    let text: string;
    try {
      text = await o.readManifest();
    } catch (e) {
      return set('error', null, (e as Error).message);
    }
    const verdict = verifyRelease(text, {
      trust: o.trust,
      channel: o.channel,
      platform: o.platform,
      arch: o.arch,
      now: o.clock(),
      highestSerial: o.state.highestSerial(),
    });
    if (!verdict.ok) return set('refused', null, `${verdict.reason}: ${verdict.message}`);
    const release = verdict.release;
    o.state.remember(release.serial);
    if (!isNewer(release.version, o.currentVersion)) return set('up-to-date', release.version);
    if (o.state.stagingBucket() >= release.stagingPercentage) return set('staged', release.version);
    let info: UpdaterInfo | null;
    try {
      info = await o.updater.check();
    } catch (e) {
      return set('error', release.version, (e as Error).message);
    }
    const mismatch = info ? metadataMismatch(info, release) : 'the feed has no update metadata for it';
    if (mismatch) return set('refused', release.version, `feed metadata does not match the signed manifest: ${mismatch}`);
    if (o.mode === 'notify') return set('available', release.version);
    set('downloading', release.version);
    let paths: readonly string[];
    try {
      paths = await o.updater.download();
    } catch (e) {
      return set('error', release.version, (e as Error).message);
    }
    const installer = release.files[0] as ReleasePayload['files'][number];
    const hashes = await Promise.all(paths.map((p) => hashFile(p).catch(() => '')));
    if (!hashes.includes(installer.sha512)) return set('refused', release.version, `downloaded file does not hash to ${installer.url}'s signed sha512`);
    return set('ready', release.version);
  }

  return {
    status: () => status,
    /** Checks now; a check already running is joined, not repeated. */
    check(): Promise<UpdateStatus> {
      running ??= run().finally(() => (running = null));
      return running;
    },
    /** Installs a verified download; false when there is none. */
    install(): boolean {
      if (status.state !== 'ready') return false;
      o.updater.install();
      return true;
    },
  };
}
export type UpdateFlow = ReturnType<typeof createUpdateFlow>;
