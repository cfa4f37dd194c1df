import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMinwon, startCityServerProcess, type CityServerProcess } from '../../helpers/processes';

describe('minwon release', () => {
  let server: CityServerProcess | null = null;
  afterAll(() => server?.stop());

  it('makes a key, signs a release into the feed, and verifies it as a desk would', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-release-'));
    const pins = join(dir, 'trusted-keys.json');
    const keygen = await runMinwon(['release', 'keygen', '--out', join(dir, 'keys'), '--pin', pins]);
    expect(keygen.code).toBe(0);
    const pem = readdirSync(join(dir, 'keys'))[0] as string;
    expect(statSync(join(dir, 'keys', pem)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(pins, 'utf8')).keys).toHaveLength(1);

    const installer = join(dir, 'MinwonDesk-0.3.0.exe');
    writeFileSync(installer, randomBytes(50_000));
    const feed = join(dir, 'city', 'updates', 'stable');
    const sign = ['release', 'sign', installer, '--key', join(dir, 'keys', pem), '--version', '0.3.0', '--platform', 'win32', '--out', feed, '--updater-metadata'];
    expect((await runMinwon(sign)).code).toBe(0);
    expect((await runMinwon(sign)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(feed, 'release-win32-x64.json'), 'utf8')).payload.serial).toBe(2);
    expect(existsSync(join(feed, 'MinwonDesk-0.3.0.exe'))).toBe(true);
    expect(readFileSync(join(feed, 'latest.yml'), 'utf8')).toContain('path: MinwonDesk-0.3.0.exe');

    server = await startCityServerProcess(join(dir, 'city'));
    const verify = (extra: string[] = []) => runMinwon(['release', 'verify', '--feed', `${server?.url}/updates/stable/`, '--keys', pins, '--platform', 'win32', ...extra]);
    const ok = await verify();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^valid 0\.3\.0 \(stable, win32-x64, serial 2/);
    const rollback = await verify(['--serial', '3']);
    expect(rollback.code).toBe(1);
    expect(rollback.stdout).toContain('REFUSED');
    expect(rollback.stdout).toContain('rollback');
    const other = await verify(['--channel', 'pilot']);
    expect(other.code).toBe(1);

    const bad = await runMinwon(['release', 'sign', installer, '--key', join(dir, 'keys', pem), '--version', 'one', '--platform', 'win32', '--out', feed]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('version');
  });
});
