import { describe, expect, it, vi } from 'vitest';
import type { ContractBridge, DeskBridge } from '../../../../shared/bridge';
import { DESK_BRIDGE_KEY } from '../../../../shared/bridge';
import { deskBridge, desktopClients, desktopPhoneHooks } from '../../../../renderer/core/desk-shell';
import { connectToCore } from '../../../../renderer/core/connect';

function fakeBridge(answer: (method: string, params: unknown) => unknown) {
  let emit: (name: string, data: unknown) => void = () => {};
  const calls: [string, unknown][] = [];
  const bridge: ContractBridge = {
    call: async (method, params) => {
      calls.push([method, params]);
      return { ok: true, result: answer(method, params) };
    },
    subscribe: (l) => ((emit = l), () => {}),
  };
  return { bridge, calls, emit: (name: string, data: unknown) => emit(name, data) };
}

describe('the page in the desktop app', () => {
  it('finds the preload’s bridge only where the desktop app put it', () => {
    expect(deskBridge({} as Window)).toBeNull();
    const bridge = { core: {}, shell: {} } as DeskBridge;
    expect(deskBridge({ [DESK_BRIDGE_KEY]: bridge } as unknown as Window)).toBe(bridge);
  });

  it('reaches the core through the bridge, with a link that does not close', async () => {
    const core = fakeBridge(() => ({ state: 'online', offlineSince: null, lastSyncedAt: null, lastError: null, nextAttemptAt: null }));
    const shell = fakeBridge(() => ({}));
    const { core: client } = desktopClients({ core: core.bridge, shell: shell.bridge }, () => {});
    const connection = await connectToCore({} as Document, client);
    expect(connection.client).toBe(client);
    expect(await connection.client.call('syncStatus', {})).toMatchObject({ state: 'online' });
    expect(core.calls).toEqual([['syncStatus', {}]]);
    const closed = vi.fn();
    void connection.closed.then(closed);
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).not.toHaveBeenCalled();
  });

  it('rings through the shell’s notifications and re-registers when the OS says so', async () => {
    const shell = fakeBridge((method) => (method === 'notify' ? { shown: true } : { dismissed: true }));
    const { shell: client } = desktopClients({ core: fakeBridge(() => ({})).bridge, shell: shell.bridge }, () => {});
    const hooks = desktopPhoneHooks(client);
    const dismiss = hooks.notify({ title: '전화가 왔습니다', body: '010-2345-6789' });
    dismiss();
    await new Promise((r) => setTimeout(r, 0));
    expect(shell.calls).toEqual([
      ['notify', { title: '전화가 왔습니다', body: '010-2345-6789', tag: 'call' }],
      ['dismiss', { tag: 'call' }],
    ]);
    const reRegister = vi.fn();
    hooks.onSystemWake(reRegister);
    for (const kind of ['resume', 'unlock', 'offline', 'online', 'reboot']) shell.emit('system', { kind });
    expect(reRegister).toHaveBeenCalledTimes(3);
  });
});
