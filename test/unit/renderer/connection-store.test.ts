import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/contract';
import { DEFAULT_SETTINGS, type CitySettings } from '../../../shared/settings';
import type { CoreClient } from '../../../shared/rpc';
import type { SessionState } from '../../../shared/session';
import { createConnectionStore } from '../../../renderer/core/connection-store';
import type { CoreConnection } from '../../../renderer/core/connect';

const status: SyncStatus = { state: 'online', offlineSince: null, lastSyncedAt: '2026-11-28T00:00:00.000Z', lastError: null, nextAttemptAt: null };

describe('the page’s link to the core', () => {
  it('retries until the core answers, follows its sync status, and reconnects after a drop', async () => {
    let attempts = 0;
    let drop: () => void = () => {};
    let push: (s: SyncStatus) => void = () => {};
    let pushSettings: (s: CitySettings) => void = () => {};
    const connect = async (): Promise<CoreConnection> => {
      if (++attempts === 1) throw new Error('not yet');
      const client = {
        call: async (method: string) => (method === 'settings' ? DEFAULT_SETTINGS : method === 'session' ? { state: 'signed-in', user: 'agent1', displayName: '상담원 1', offline: false } : status),
        on: (name: string, l: (s: unknown) => void) => {
          if (name === 'syncStatus') push = l;
          if (name === 'settings') pushSettings = l;
          return () => {};
        },
      } as unknown as CoreClient;
      return { client, closed: new Promise<void>((r) => (drop = r)) };
    };
    const sleeps: number[] = [];
    const { store, keepConnected } = createConnectionStore(connect, async (ms) => void sleeps.push(ms), 50);
    void keepConnected();
    await expect.poll(() => store.getState().client).not.toBeNull();
    expect(attempts).toBe(2);
    expect(store.getState().sync).toEqual(status);
    expect(store.getState().settings).toEqual(DEFAULT_SETTINGS);
    push({ ...status, state: 'offline', offlineSince: '2026-11-28T01:00:00.000Z' });
    expect(store.getState().sync?.state).toBe('offline');
    // The city changed a setting: the page has it without reconnecting.
    pushSettings({ ...DEFAULT_SETTINGS, dtmfMethod: 'info' });
    expect(store.getState().settings.dtmfMethod).toBe('info');
    drop();
    await expect.poll(() => attempts).toBe(3);
    await expect.poll(() => store.getState().client).not.toBeNull();
    expect(sleeps).toEqual([50, 50]);
  });

  it('offers the desk’s client only while an agent is signed in, and the link for the sign-in screen always', async () => {
    let pushSession: (s: SessionState) => void = () => {};
    let session: SessionState = { state: 'signed-out', lastUser: null };
    const client = {
      call: async (method: string) => (method === 'settings' ? DEFAULT_SETTINGS : method === 'session' ? session : status),
      on: (name: string, l: (s: unknown) => void) => {
        if (name === 'session') pushSession = l;
        return () => {};
      },
    } as unknown as CoreClient;
    const { store, keepConnected } = createConnectionStore(async () => ({ client, closed: new Promise<void>(() => {}) }), async () => undefined);
    void keepConnected();
    await expect.poll(() => store.getState().session).toEqual(session);
    expect(store.getState().link).toBe(client);
    expect(store.getState().client).toBeNull();
    session = { state: 'signed-in', user: 'agent1', displayName: '상담원 1', offline: true };
    pushSession(session);
    await expect.poll(() => store.getState().client).toBe(client);
    expect(store.getState().sync).toEqual(status);
    // Locked: still the agent's desk underneath (calls and records go on).
    pushSession({ state: 'locked', user: 'agent1', displayName: '상담원 1', reason: 'idle' });
    await expect.poll(() => store.getState().session?.state).toBe('locked');
    expect(store.getState().client).toBe(client);
    pushSession({ state: 'signed-out', lastUser: 'agent1' });
    await expect.poll(() => store.getState().client).toBeNull();
    expect(store.getState().link).toBe(client);
  });
});
