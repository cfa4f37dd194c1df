import type { SipAccount } from '../../../shared/auth';
import { vaultSchema, type CachedSession, type VaultContents } from '../../../shared/session';

/**
 * Where a desk keeps its cached sessions: the desktop app's is encrypted by the OS keystore
 * (electron/shell/safe-vault.ts), the browser host's lives in memory only.
 */
export interface SessionVault {
  read(): VaultContents;
  write(contents: VaultContents): void;
}

export function memoryVault(initial: VaultContents = { sessions: [] }): SessionVault {
  let contents = vaultSchema.parse(initial);
  return {
    read: () => contents,
    write: (next) => void (contents = vaultSchema.parse(next)),
  };
}

export const cachedSessionOf = (vault: SessionVault, username: string): CachedSession | null => vault.read().sessions.find((s) => s.username === username) ?? null;

/** Keeps (or replaces) one agent's cached session. */
export function rememberSession(vault: SessionVault, session: CachedSession): void {
  vault.write({ ...vault.read(), sessions: [...vault.read().sessions.filter((s) => s.username !== session.username), session] });
}

/** The phone's account of one agent's cached session changed (a new secret after a leak). */
export function rememberSip(vault: SessionVault, username: string, sip: SipAccount): void {
  const cached = cachedSessionOf(vault, username);
  if (cached) rememberSession(vault, { ...cached, sip });
}
