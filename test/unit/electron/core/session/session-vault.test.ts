import { describe, expect, it } from 'vitest';
import { cachedSessionOf, memoryVault, rememberSession, rememberSip } from '../../../../../electron/core/session/session-vault';
import type { CachedSession } from '../../../../../shared/session';

const session = (username: string, secret: string): CachedSession => ({
  username,
  displayName: `이름 ${username}`,
  role: 'agent',
  verifier: { salt: `${'A'.repeat(22)}==`, hash: `${'B'.repeat(43)}=` },
  sip: { username, domain: 'city.local', password: secret.padEnd(16, '!'), wsUrl: 'wss://sip.city.local' },
  savedAt: '2026-12-01T00:00:00.000Z',
});

describe('the cached sessions of a shared desk', () => {
  it('keeps every agent’s session, replacing only the one remembered again', () => {
    const vault = memoryVault();
    rememberSession(vault, session('agent1', 'first-secret'));
    rememberSession(vault, session('agent2', 'second-secret'));
    rememberSession(vault, session('agent1', 'rotated-secret'));
    expect(vault.read().sessions.map((s) => [s.username, s.sip?.password.slice(0, 6)])).toEqual([
      ['agent2', 'second'],
      ['agent1', 'rotate'],
    ]);
  });

  it('updates the phone account of a cached agent only; an agent it never cached stays uncached', () => {
    const vault = memoryVault({ sessions: [session('agent1', 'first-secret')] });
    rememberSip(vault, 'agent1', { ...(session('agent1', 'x').sip as NonNullable<CachedSession['sip']>), password: 'new-secret-after-a-leak' });
    expect(cachedSessionOf(vault, 'agent1')?.sip?.password).toBe('new-secret-after-a-leak');
    rememberSip(vault, 'agent9', { ...(session('agent9', 'x').sip as NonNullable<CachedSession['sip']>) });
    expect(cachedSessionOf(vault, 'agent9')).toBeNull();
    expect(vault.read().sessions).toHaveLength(1);
  });

  it('refuses to hold what is not a cached session', () => {
    expect(() => memoryVault({ sessions: [{ ...session('agent1', 's'), verifier: { salt: 'x', hash: 'y' } }] })).toThrow();
    const vault = memoryVault();
    expect(() => vault.write({ sessions: [{ ...session('agent1', 's'), role: 'phone' as 'agent' }] })).toThrow();
    expect(vault.read().sessions).toEqual([]);
  });
});
