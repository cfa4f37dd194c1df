import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseManifestName, type ReleasePayload, type SignedRelease, type TrustedKeys } from '../../../../../shared/release';
import { updateStatusSchema, type UpdateStatus } from '../../../../../shared/shell-contract';
import { fetchManifest } from '../../../../../electron/core/update/fetch-manifest';
import { generateReleaseKey, signRelease, type ReleaseKeyPair } from '../../../../../electron/core/update/release-signature';
import { createUpdateFlow, type UpdateMode, type UpdaterInfo, type UpdaterPort } from '../../../../../electron/core/update/update-flow';
import { openUpdateState, type UpdateState } from '../../../../../electron/core/update/update-state';
import { pinKeys, releasePayload } from '../../../../helpers/release';
import { startCityServerProcess, type CityServerProcess } from '../../../../helpers/processes';

const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('base64');
const pin = pinKeys;

describe('signed updates from the city server’s feed', () => {
  let server: CityServerProcess;
  let feedDir: string;
  let feedUrl: string;
  let work: string;
  const oldKey = generateReleaseKey();
  const newKey = generateReleaseKey();
  const stranger = generateReleaseKey();
  const installer = randomBytes(256 * 1024);
  const blockmap = randomBytes(2 * 1024);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'minwon-update-'));
    server = await startCityServerProcess(join(work, 'city'));
    feedDir = join(work, 'city', 'updates', 'stable');
    mkdirSync(feedDir, { recursive: true });
    feedUrl = `${server.url}/updates/stable/`;
    writeFileSync(join(feedDir, 'MinwonDesk-0.2.0.AppImage'), installer);
    writeFileSync(join(feedDir, 'MinwonDesk-0.2.0.AppImage.blockmap'), blockmap);
  });
  afterAll(() => server.stop());

  const files = [
    { url: 'MinwonDesk-0.2.0.AppImage', sha512: sha512(installer), size: installer.length },
    { url: 'MinwonDesk-0.2.0.AppImage.blockmap', sha512: sha512(blockmap), size: blockmap.length },
  ];
  const payload = (over: Partial<ReleasePayload> = {}) => releasePayload(files, new Date(Date.now() + 7 * 86_400_000), over);

  /** Puts a manifest (signed, then maybe altered as an attacker would) and electron-updater's metadata on the feed. */
  function publish(p: ReleasePayload, signers: ReleaseKeyPair[], alter?: (signed: SignedRelease) => unknown, metadata: UpdaterInfo = { version: p.version, files: p.files, stagingPercentage: p.stagingPercentage }) {
    const signed = signRelease(p, signers.map((k) => k.privateKeyPem));
    const served = alter ? alter(structuredClone(signed)) : signed;
    writeFileSync(join(feedDir, releaseManifestName('linux', 'x64')), typeof served === 'string' ? served : JSON.stringify(served));
    const yml = [`version: ${metadata.version}`, 'files:', ...metadata.files.flatMap((f) => [`  - url: ${f.url}`, `    sha512: ${f.sha512}`, `    size: ${f.size}`])];
    if (metadata.stagingPercentage !== undefined && metadata.stagingPercentage < 100) yml.push(`stagingPercentage: ${metadata.stagingPercentage}`);
    writeFileSync(join(feedDir, 'latest-linux.yml'), `${yml.join('\n')}\n`);
  }

  /** electron-updater's part, done for real over HTTP: read latest-linux.yml, download the files. */
  function updaterOverHttp(): UpdaterPort & { downloads: number; installs: number } {
    const port = {
      downloads: 0,
      installs: 0,
      async check() {
        const res = await fetch(new URL('latest-linux.yml', feedUrl));
        return res.ok ? (parse(await res.text()) as UpdaterInfo) : null;
      },
      async download() {
        port.downloads += 1;
        const info = (await port.check()) as UpdaterInfo;
        const dir = mkdtempSync(join(work, 'download-'));
        return Promise.all(
          info.files.map(async (f) => {
            const path = join(dir, f.url);
            writeFileSync(path, Buffer.from(await (await fetch(new URL(f.url, feedUrl))).arrayBuffer()));
            return path;
          }),
        );
      },
      install() {
        port.installs += 1;
      },
    };
    return port;
  }

  async function check(trust: TrustedKeys, o: { mode?: UpdateMode; highestSerial?: number; currentVersion?: string; state?: UpdateState } = {}) {
    const updater = updaterOverHttp();
    const statuses: UpdateStatus[] = [];
    const errors: string[] = [];
    const state = o.state ?? openUpdateState(join(mkdtempSync(join(work, 'state-')), 'update-state.json'), () => {});
    if (o.highestSerial) state.remember(o.highestSerial);
    const flow = createUpdateFlow({
      mode: o.mode ?? 'auto',
      channel: 'stable',
      platform: 'linux',
      arch: 'x64',
      currentVersion: o.currentVersion ?? '0.1.0',
      trust,
      readManifest: () => fetchManifest(new URL(releaseManifestName('linux', 'x64'), feedUrl).href, fetch),
      updater,
      state,
      clock: () => new Date(),
      logger: { info: () => {}, warn: (m) => errors.push(m), error: (m) => errors.push(m) },
      onStatus: (s) => statuses.push(updateStatusSchema.parse(s)),
    });
    const status = await flow.check();
    return { status, updater, statuses, errors, flow, state };
  }

  const trustOld: TrustedKeys = { threshold: 1, keys: pin(oldKey) };

  it('downloads and offers a valid release, verified end to end', async () => {
    publish(payload(), [oldKey]);
    const r = await check(trustOld);
    expect(r.status).toMatchObject({ state: 'ready', version: '0.2.0', message: null });
    expect(r.statuses.map((s) => s.state)).toEqual(['checking', 'downloading', 'ready']);
    expect(r.updater.downloads).toBe(1);
    expect(r.flow.install()).toBe(true);
    expect(r.updater.installs).toBe(1);
    expect(r.state.highestSerial()).toBe(7);
  });

  it('accepts the release it accepted on every later check, a higher serial after it, and no lower one', async () => {
    publish(payload(), [oldKey]);
    const first = await check(trustOld);
    expect(first.status.state).toBe('ready');
    // The same desk, the same state: a check an hour later sees the release it already accepted.
    const again = await check(trustOld, { state: first.state });
    expect(again.status).toMatchObject({ state: 'ready', version: '0.2.0', message: null });
    publish(payload({ serial: 8 }), [oldKey]);
    expect((await check(trustOld, { state: first.state })).status.state).toBe('ready');
    expect(first.state.highestSerial()).toBe(8);
    publish(payload({ serial: 7 }), [oldKey]);
    expect((await check(trustOld, { state: first.state })).status).toMatchObject({ state: 'refused', message: 'rollback: serial 7 is lower than 8, already seen' });
  });

  const refusals: [string, () => void, TrustedKeys, { highestSerial?: number }, string][] = [
    ['a tampered file hash', () => publish(payload(), [oldKey], (s) => ((s.payload.files[0] as { sha512: string }).sha512 = sha512(Buffer.from('evil')), s)), trustOld, {}, 'signature'],
    ['a tampered version', () => publish(payload(), [oldKey], (s) => ((s.payload.version = '9.9.9'), s)), trustOld, {}, 'signature'],
    ['re-ordered files', () => publish(payload(), [oldKey], (s) => (s.payload.files.reverse(), s)), trustOld, {}, 'signature'],
    ['a wider staging share', () => publish(payload({ stagingPercentage: 10 }), [oldKey], (s) => ((s.payload.stagingPercentage = 100), s)), trustOld, {}, 'signature'],
    ['another channel', () => publish(payload({ channel: 'pilot' }), [oldKey]), trustOld, {}, 'channel'],
    ['another platform', () => publish(payload({ platform: 'win32' }), [oldKey]), trustOld, {}, 'platform'],
    ['another architecture', () => publish(payload({ arch: 'arm64' }), [oldKey]), trustOld, {}, 'platform'],
    ['a lower serial (rollback)', () => publish(payload({ serial: 5 }), [oldKey]), trustOld, { highestSerial: 6 }, 'rollback'],
    ['an expired manifest (freeze)', () => publish(payload({ expiresAt: new Date(Date.now() - 1000).toISOString() }), [oldKey]), trustOld, {}, 'expired'],
    ['an unknown key', () => publish(payload(), [stranger]), trustOld, {}, 'signature'],
    ['a signature copied under a trusted key’s id', () => publish(payload(), [stranger], (s) => ((s.signatures[0] as { keyId: string }).keyId = oldKey.keyId, s)), trustOld, {}, 'signature'],
    [
      'a pinned list pairing a key id with another key',
      () => publish(payload(), [stranger], (s) => ((s.signatures[0] as { keyId: string }).keyId = oldKey.keyId, s)),
      { threshold: 1, keys: [{ keyId: oldKey.keyId, publicKey: stranger.publicKey, note: 'mispaired' }] },
      {},
      'signature',
    ],
    ['one key signing twice when two keys are needed', () => publish(payload(), [oldKey, oldKey]), { threshold: 2, keys: pin(oldKey, newKey) }, {}, 'signature'],
    ['a truncated manifest', () => publish(payload(), [oldKey], (s) => JSON.stringify(s).slice(0, 200)), trustOld, {}, 'malformed'],
    ['a garbage manifest', () => publish(payload(), [oldKey], () => randomBytes(600).toString('latin1')), trustOld, {}, 'malformed'],
    ['an oversized manifest', () => publish(payload(), [oldKey], (s) => ({ ...s, padding: 'x'.repeat(200_000) })), trustOld, {}, 'malformed'],
    ['an extra field', () => publish(payload(), [oldKey], (s) => ({ ...s, payload: { ...s.payload, installArgs: '/S /D=C:\\evil' } })), trustOld, {}, 'malformed'],
    ['no signatures', () => publish(payload(), [oldKey], (s) => ({ ...s, signatures: [] })), trustOld, {}, 'malformed'],
  ];
  it.each(refusals)('refuses %s before any download', async (_name, setUp, trust, o, reason) => {
    setUp();
    const r = await check(trust, o);
    expect(r.status.state).toBe('refused');
    expect(r.status.message).toMatch(new RegExp(`^${reason}: `));
    expect(r.updater.downloads).toBe(0);
    expect(r.flow.install()).toBe(false);
    expect(r.errors.some((e) => e.startsWith('update refused'))).toBe(true);
    if (reason !== 'rollback') expect(r.state.highestSerial()).toBe(0);
  });

  it('accepts a key rotation: old + new signatures, k-of-n', async () => {
    publish(payload(), [oldKey, newKey]);
    expect((await check(trustOld)).status.state).toBe('ready');
    expect((await check({ threshold: 2, keys: pin(oldKey, newKey) })).status.state).toBe('ready');
    publish(payload(), [newKey]);
    expect((await check(trustOld)).status).toMatchObject({ state: 'refused', message: expect.stringMatching(/^signature/) });
    expect((await check({ threshold: 1, keys: pin(oldKey, newKey) })).status.state).toBe('ready');
    expect((await check({ threshold: 2, keys: pin(oldKey, newKey) })).status.state).toBe('refused');
  });

  it('refuses when electron-updater’s metadata is not the signed release', async () => {
    const other = randomBytes(1024);
    publish(payload(), [oldKey], undefined, { version: '0.2.0', files: [{ url: 'MinwonDesk-0.2.0.AppImage', sha512: sha512(other), size: other.length }, files[1] as UpdaterInfo['files'][number]] });
    const r = await check(trustOld);
    expect(r.status).toMatchObject({ state: 'refused', message: expect.stringContaining('feed metadata does not match') });
    expect(r.updater.downloads).toBe(0);
    publish(payload(), [oldKey], undefined, { version: '0.2.1', files });
    expect((await check(trustOld)).status.message).toContain('version 0.2.1');
  });

  it('refuses an installer swapped on the feed after signing, once downloaded, and never installs it', async () => {
    publish(payload(), [oldKey]);
    writeFileSync(join(feedDir, 'MinwonDesk-0.2.0.AppImage'), randomBytes(installer.length));
    try {
      const r = await check(trustOld);
      expect(r.updater.downloads).toBe(1);
      expect(r.status).toMatchObject({ state: 'refused', message: expect.stringContaining('does not hash') });
      expect(r.flow.install()).toBe(false);
      expect(r.updater.installs).toBe(0);
    } finally {
      writeFileSync(join(feedDir, 'MinwonDesk-0.2.0.AppImage'), installer);
    }
  });

  it('in managed mode only tells the agent, and staged or current releases are left alone', async () => {
    publish(payload(), [oldKey]);
    const managed = await check(trustOld, { mode: 'notify' });
    expect(managed.status).toMatchObject({ state: 'available', version: '0.2.0' });
    expect(managed.updater.downloads).toBe(0);
    const off = await check(trustOld, { mode: 'off' });
    expect(off.status.state).toBe('disabled');
    expect(off.state.highestSerial()).toBe(0);
    expect((await check(trustOld, { currentVersion: '0.2.0' })).status.state).toBe('up-to-date');
    publish(payload({ stagingPercentage: 0 }), [oldKey]);
    const staged = await check(trustOld);
    expect(staged.status.state).toBe('staged');
    expect(staged.updater.downloads).toBe(0);
  });

  it('reports a feed without this desk’s manifest as an error, not a refusal', async () => {
    const updater = updaterOverHttp();
    const flow = createUpdateFlow({
      mode: 'auto',
      channel: 'stable',
      platform: 'linux',
      arch: 'x64',
      currentVersion: '0.1.0',
      trust: trustOld,
      readManifest: () => fetchManifest(`${server.url}/updates/stable/${releaseManifestName('win32', 'x64')}`, fetch),
      updater,
      state: openUpdateState(join(mkdtempSync(join(work, 'state-')), 'update-state.json'), () => {}),
      clock: () => new Date(),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      onStatus: () => {},
    });
    expect(await flow.check()).toMatchObject({ state: 'error', message: expect.stringContaining('404') });
    expect(updater.downloads).toBe(0);
  });
});
