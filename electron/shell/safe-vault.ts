import type { SafeStorage } from 'electron';
import { vaultSchema, type VaultContents } from '../../shared/session';

/** The file operations the vault needs (node:fs in the app, a map in tests). */
export interface VaultFs {
  readFileSync(path: string): Buffer;
  writeFileSync(path: string, data: Buffer, options: { mode: number }): void;
  renameSync(from: string, to: string): void;
  existsSync(path: string): boolean;
}

const EMPTY: VaultContents = { sessions: [] };

/**
 * The desk's cached sessions (password verifiers, SIP secrets) in one file, encrypted by the OS
 * keystore through Electron's safeStorage. Without a real keystore (Linux with no secret service
 * falls back to a fixed key, 'basic_text') nothing is written: the sessions live in memory and
 * the desk needs the city server to sign in after a restart. Never a plain file.
 */
export function createSafeVault(o: {
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & { getSelectedStorageBackend?: () => string };
  file: string;
  fs: VaultFs;
  log: (message: string) => void;
}) {
  const usable = () => o.safeStorage.isEncryptionAvailable() && o.safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  return {
    read(): VaultContents {
      if (!o.fs.existsSync(o.file)) return EMPTY;
      if (!usable()) {
        o.log('session vault: the OS keystore is not available; cached sessions are not read');
        return EMPTY;
      }
      try {
        return vaultSchema.parse(JSON.parse(o.safeStorage.decryptString(o.fs.readFileSync(o.file))));
      } catch (e) {
        // Another user's keystore, a damaged file: start afresh (sign-in needs the city server once).
        o.log(`session vault: unreadable, ignored (${(e as Error).message.slice(0, 200)})`);
        return EMPTY;
      }
    },
    write(contents: VaultContents): boolean {
      if (!usable()) {
        o.log('session vault: the OS keystore is not available; cached sessions kept in memory only');
        return false;
      }
      const tmp = `${o.file}.tmp`;
      o.fs.writeFileSync(tmp, o.safeStorage.encryptString(JSON.stringify(vaultSchema.parse(contents))), { mode: 0o600 });
      o.fs.renameSync(tmp, o.file);
      return true;
    },
  };
}
