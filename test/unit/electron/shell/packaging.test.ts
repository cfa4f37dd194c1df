import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FUSES } from '../../../../electron/shell/fuses';

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  win: { target: { target: string }[]; signtoolOptions: { publisherName: unknown } };
  nsis: Record<string, unknown>;
  linux: { target: { target: string }[] };
  publish: { provider: string; url: string };
  files: string[];
};

describe('packaging', () => {
  it('flips every fuse as electron/shell/fuses.ts says', () => {
    expect(config.electronFuses).toEqual(FUSES);
    expect(FUSES).toMatchObject({ runAsNode: false, enableCookieEncryption: true, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true });
  });

  it('builds per-machine NSIS, deb and AppImage, publishing to the city feed', () => {
    expect(config.asar).toBe(true);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(Array.isArray(config.win.signtoolOptions.publisherName)).toBe(true);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false });
    expect(config.linux.target.map((t) => t.target)).toEqual(['deb', 'AppImage']);
    expect(config.publish).toMatchObject({ provider: 'generic' });
    expect(config.publish.url).toMatch(/\/updates\/stable\/$/);
    expect(config.files).toContain('resources/update/trusted-keys.json');
  });

  it('bundles a preload that needs nothing but electron (a sandboxed preload can require nothing else)', async () => {
    const out = await build({ entryPoints: ['electron/shell/preload.ts'], bundle: true, platform: 'node', format: 'cjs', write: false, external: ['electron'], logLevel: 'silent' });
    const code = out.outputFiles[0]?.text ?? '';
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).toContain('exposeInMainWorld');
    expect(code.length).toBeLessThan(20_000);
  });
});
