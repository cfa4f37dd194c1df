import type { Configuration } from 'electron-builder';

type FuseOptionsV1 = NonNullable<Configuration['electronFuses']>;

/**
 * Electron's fuses, flipped in the binary at packaging time (electron-builder.yml's
 * `electronFuses`, which a test holds equal to this). `Required` makes the compiler name any
 * fuse a newer Electron adds, so none is left at its default by forgetting it.
 */
export const FUSES: Required<FuseOptionsV1> = {
  // ELECTRON_RUN_AS_NODE would turn the signed desk binary into a plain Node interpreter.
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  // Only the signed app.asar may run, and its contents must match the hash built into the binary.
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  // The desk never serves pages from file://.
  grantFileProtocolExtraPrivileges: false,
  // Only matters for macOS, which the city does not deploy to.
  resetAdHocDarwinSignature: false,
};
