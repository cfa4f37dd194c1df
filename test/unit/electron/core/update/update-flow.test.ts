import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNewer, metadataMismatch } from '../../../../../electron/core/update/update-flow';
import { openUpdateState } from '../../../../../electron/core/update/update-state';
import type { ReleasePayload } from '../../../../../shared/release';

describe('versions', () => {
  it('orders releases and pre-releases', () => {
    expect(isNewer('0.2.0', '0.1.9')).toBe(true);
    expect(isNewer('0.10.0', '0.9.0')).toBe(true);
    expect(isNewer('1.0.0', '1.0.0')).toBe(false);
    expect(isNewer('0.9.9', '1.0.0')).toBe(false);
    expect(isNewer('1.0.0', '1.0.0-pilot.2')).toBe(true);
    expect(isNewer('1.0.0-pilot.10', '1.0.0-pilot.9')).toBe(true);
    expect(isNewer('1.0.0-pilot.1', '1.0.0')).toBe(false);
  });
});

describe('electron-updater metadata against the signed release', () => {
  const release = {
    version: '0.2.0',
    files: [{ url: 'a.exe', sha512: 'x'.repeat(86) + '==', size: 10 }],
    stagingPercentage: 100,
  } as ReleasePayload;
  it('accepts only the very same release', () => {
    expect(metadataMismatch({ version: '0.2.0', files: release.files }, release)).toBeNull();
    expect(metadataMismatch({ version: '0.2.0', files: [{ ...release.files[0]!, size: 11 }] }, release)).toContain('file 1');
    expect(metadataMismatch({ version: '0.2.0', files: [{ ...release.files[0]!, url: 'b.exe' }] }, release)).toContain('file 1');
    expect(metadataMismatch({ version: '0.2.0', files: [...release.files, ...release.files] }, release)).toContain('2 file(s)');
    expect(metadataMismatch({ version: '0.2.0', files: release.files, stagingPercentage: 50 }, release)).toContain('staging');
  });
});

describe('update state', () => {
  it('remembers the highest serial across restarts and keeps a stable staging bucket', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'minwon-ustate-')), 'update-state.json');
    const a = openUpdateState(file, () => {});
    a.remember(4);
    a.remember(2);
    const b = openUpdateState(file, () => {});
    expect(b.highestSerial()).toBe(4);
    expect(b.stagingBucket()).toBe(a.stagingBucket());
    expect(b.stagingBucket()).toBeGreaterThanOrEqual(0);
    expect(b.stagingBucket()).toBeLessThan(100);
  });

  it('starts a new install quietly, with a bucket taken from its staging id', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'minwon-ustate-')), 'update-state.json');
    const log: string[] = [];
    expect(openUpdateState(file, (m) => log.push(m)).highestSerial()).toBe(0);
    expect(log).toEqual([]);
    // The bucket is the first 8 hex digits of the id, modulo 100: 0x1234abcd = 305441741.
    writeFileSync(file, JSON.stringify({ highestSerial: 3, stagingId: '1234abcd-0000-4000-8000-000000000063' }));
    expect(openUpdateState(file, () => {}).stagingBucket()).toBe(41);
  });

  it('starts over, and says so, from a damaged file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'minwon-ustate-')), 'update-state.json');
    writeFileSync(file, '{"highestSerial": -1');
    const log: string[] = [];
    expect(openUpdateState(file, (m) => log.push(m)).highestSerial()).toBe(0);
    expect(log[0]).toContain('unreadable');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ highestSerial: 0 });
  });
});
