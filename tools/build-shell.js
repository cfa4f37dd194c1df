// Bundles the Electron side into dist/app: the main process, the window's preload (a sandboxed
// preload cannot require project files, so it must be one file) and the core's utility process.
// Only `electron` (the runtime's own) and better-sqlite3 (a native module) stay outside.
import { build } from 'esbuild';

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3'],
};

await Promise.all([
  build({ ...common, entryPoints: { main: 'electron/shell/main.ts', core: 'electron/shell/core-process.ts' }, outdir: 'dist/app', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { preload: 'electron/shell/preload.ts' }, outdir: 'dist/app', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
]);
