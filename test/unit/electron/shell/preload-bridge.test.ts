import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DESK_BRIDGE_KEY, IPC_CHANNELS, type DeskBridge } from '../../../../shared/bridge';
import { clientOverBridge } from '../../../../shared/bridge-client';
import { RpcError } from '../../../../shared/rpc';
import { shellContract } from '../../../../shared/shell-contract';
import { exposeDeskBridge } from '../../../../electron/shell/preload-bridge';

function preload(reply: (channel: string, ...args: unknown[]) => unknown = () => ({ ok: true, result: { shown: true } })) {
  const exposed: Record<string, unknown> = {};
  const ipc = Object.assign(new EventEmitter(), {
    invoked: [] as unknown[][],
    async invoke(channel: string, ...args: unknown[]) {
      this.invoked.push([channel, ...args]);
      return reply(channel, ...args);
    },
  });
  exposeDeskBridge({ exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) }, ipc as never);
  return { exposed, ipc, bridge: exposed[DESK_BRIDGE_KEY] as DeskBridge };
}

describe('preload bridge', () => {
  it('exposes the two contracts and nothing else', () => {
    const { exposed, bridge } = preload();
    expect(Object.keys(exposed)).toEqual([DESK_BRIDGE_KEY]);
    expect(Object.keys(bridge).sort()).toEqual(['core', 'shell']);
    expect(Object.keys(bridge.core).sort()).toEqual(['call', 'subscribe']);
  });

  it('sends the method name and params only, on the contract’s channel', async () => {
    const { ipc, bridge } = preload();
    await bridge.shell.call('notify', { title: 't', body: 'b', tag: 'call' });
    await bridge.core.call('syncStatus', {});
    expect(ipc.invoked).toEqual([
      [IPC_CHANNELS.shell.call, 'notify', { title: 't', body: 'b', tag: 'call' }],
      [IPC_CHANNELS.core.call, 'syncStatus', {}],
    ]);
  });

  it('passes events as name and data, never the IPC event object, and unsubscribes', () => {
    const { ipc, bridge } = preload();
    const got: unknown[][] = [];
    const off = bridge.shell.subscribe((...args) => got.push(args));
    ipc.emit(IPC_CHANNELS.shell.event, { sender: 'secret ipc event', ports: [] }, 'system', { kind: 'resume' });
    off();
    ipc.emit(IPC_CHANNELS.shell.event, {}, 'system', { kind: 'online' });
    expect(got).toEqual([['system', { kind: 'resume' }]]);
    expect(ipc.listenerCount(IPC_CHANNELS.shell.event)).toBe(0);
  });
});

describe('the page’s client over the bridge', () => {
  it('validates results and turns refusals into RpcErrors', async () => {
    const replies: unknown[] = [
      { ok: true, result: { shown: true } },
      { ok: true, result: { shown: 'yes' } },
      { ok: false, error: { code: 'forbidden', message: 'not allowed from this frame' } },
      { ok: false, error: { code: 'made-up', message: 'x' } },
      'garbage',
    ];
    const { bridge } = preload(() => replies.shift());
    const shell = clientOverBridge(shellContract, bridge.shell);
    const params = { title: 't', body: 'b', tag: 'call' };
    await expect(shell.call('notify', params)).resolves.toEqual({ shown: true });
    await expect(shell.call('notify', params)).rejects.toMatchObject({ code: 'invalid-result' });
    const refused = await shell.call('notify', params).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RpcError);
    expect(refused).toMatchObject({ code: 'forbidden' });
    await expect(shell.call('notify', params)).rejects.toMatchObject({ code: 'bad-message' });
    await expect(shell.call('notify', params)).rejects.toMatchObject({ code: 'bad-message' });
  });

  it('delivers only events that fit the contract', () => {
    const { ipc, bridge } = preload();
    const bad: string[] = [];
    const shell = clientOverBridge(shellContract, bridge.shell, (why) => bad.push(why));
    const kinds: string[] = [];
    shell.on('system', ({ kind }) => kinds.push(kind));
    ipc.emit(IPC_CHANNELS.shell.event, {}, 'system', { kind: 'resume' });
    ipc.emit(IPC_CHANNELS.shell.event, {}, 'system', { kind: 'reboot' });
    ipc.emit(IPC_CHANNELS.shell.event, {}, 'toString', {});
    expect(kinds).toEqual(['resume']);
    expect(bad).toHaveLength(2);
  });
});
