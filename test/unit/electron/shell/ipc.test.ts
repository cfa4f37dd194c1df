import { describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { IPC_CHANNELS } from '../../../../shared/bridge';
import { coreContract } from '../../../../shared/contract';
import { shellContract } from '../../../../shared/shell-contract';
import { handleContract, sendEvent, untrustedSender } from '../../../../electron/shell/ipc';
import { fakeIpcMain, fakeWebContents, ipcEventFrom } from '../../../helpers/fake-electron';

function served() {
  const ipc = fakeIpcMain();
  const log: string[] = [];
  const openExternal = vi.fn(({ url }: { url: string }) => ({ opened: url.startsWith('https://www.pohang.go.kr/') }));
  const notify = vi.fn(() => ({ shown: true }));
  const updateStatus = vi.fn(() => ({ state: 'bogus' }));
  handleContract(ipc, IPC_CHANNELS.shell.call, shellContract, { openExternal, notify, updateStatus }, (m) => log.push(m));
  const call = (method: unknown, params: unknown, event = ipcEventFrom()) => ipc.invoke(IPC_CHANNELS.shell.call, event, method, params);
  return { call, log, openExternal, notify, updateStatus };
}

describe('main-side IPC', () => {
  it('runs a valid call from the app main frame', async () => {
    const s = served();
    expect(await s.call('openExternal', { url: 'https://www.pohang.go.kr/a' })).toEqual({ ok: true, result: { opened: true } });
    expect(s.openExternal).toHaveBeenCalledOnce();
  });

  it('refuses a foreign origin, a sub-frame, a replaced frame and a gone frame without running anything', async () => {
    const s = served();
    const params = { title: '전화', body: 'x', tag: 'call' };
    for (const event of [
      ipcEventFrom('https://evil.example/'),
      ipcEventFrom('file:///home/agent/x.html'),
      ipcEventFrom('app://desk/index.html', { subFrame: true }),
      ipcEventFrom('app://desk/index.html', { gone: true }),
      ipcEventFrom('app://desk/index.html', { replaced: true }),
    ]) {
      expect(await s.call('notify', params, event)).toEqual({ ok: false, error: { code: 'forbidden', message: 'not allowed from this frame' } });
    }
    expect(s.notify).not.toHaveBeenCalled();
    expect(s.log.filter((l) => l.includes('refused from'))).toEqual([
      'ipc minwon:shell:call refused from a foreign origin (https://evil.example/)',
      'ipc minwon:shell:call refused from a foreign origin (file:///home/agent/x.html)',
      'ipc minwon:shell:call refused from a frame other than the main one (app://desk/index.html)',
      'ipc minwon:shell:call refused from the sending frame is gone',
      'ipc minwon:shell:call refused from a frame other than the main one (app://desk/index.html)',
    ]);
  });

  it('refuses malformed payloads with the reason, before the handler', async () => {
    const s = served();
    const bad = [
      ['notify', { title: '', body: 'x', tag: 'call' }, 'invalid-params'],
      ['notify', { title: 'x', body: 'x', tag: 'call', extra: 1 }, 'invalid-params'],
      ['notify', 'not an object', 'invalid-params'],
      ['openExternal', { url: 'not a url' }, 'invalid-params'],
      ['exec', {}, 'unknown-method'],
      ['__proto__', {}, 'unknown-method'],
      [42, {}, 'bad-message'],
    ] as const;
    for (const [method, params, code] of bad) {
      const reply = await s.call(method, params);
      expect(reply, String(method)).toMatchObject({ ok: false, error: { code } });
    }
    expect(s.notify).not.toHaveBeenCalled();
    expect(s.openExternal).not.toHaveBeenCalled();
  });

  it('checks results too: a handler answering the wrong shape is an error, not data', async () => {
    const s = served();
    expect(await s.call('updateStatus', {})).toMatchObject({ ok: false, error: { code: 'invalid-result' } });
  });

  it('names why a sender is untrusted', () => {
    expect(untrustedSender(ipcEventFrom())).toBeNull();
    expect(untrustedSender(ipcEventFrom('app://desk.evil/index.html'))).toContain('foreign origin');
  });

  it('sends only events that fit the contract', () => {
    const contents = fakeWebContents();
    const log: string[] = [];
    sendEvent(contents as unknown as WebContents, IPC_CHANNELS.core.event, coreContract, 'recordSaved', { id: 'r1', callerE164: null }, (m) => log.push(m));
    sendEvent(contents as unknown as WebContents, IPC_CHANNELS.core.event, coreContract, 'recordSaved', { id: 1 }, (m) => log.push(m));
    sendEvent(contents as unknown as WebContents, IPC_CHANNELS.core.event, coreContract, 'nope', {}, (m) => log.push(m));
    expect(contents.sent).toEqual([[IPC_CHANNELS.core.event, 'recordSaved', { id: 'r1', callerE164: null }]]);
    expect(log).toEqual([expect.stringMatching(/^event recordSaved not sent: .*id/), 'event nope not sent: unknown event']);
    // A window already closed gets nothing (Electron throws on send to destroyed contents).
    contents.destroyed = true;
    sendEvent(contents as unknown as WebContents, IPC_CHANNELS.core.event, coreContract, 'recordSaved', { id: 'r2', callerE164: null }, (m) => log.push(m));
    expect(contents.sent).toHaveLength(1);
  });

  it('logs what it refused and why, with long URLs cut short', async () => {
    const s = served();
    const long = `https://evil.example/${'a'.repeat(300)}`;
    await s.call('notify', {}, ipcEventFrom(long));
    await s.call('notify', {}, ipcEventFrom(long, { subFrame: true }));
    await s.call(42, {});
    await s.call('exec', {});
    expect(s.log).toEqual([
      `ipc minwon:shell:call refused from a foreign origin (${long.slice(0, 200)})`,
      `ipc minwon:shell:call refused from a frame other than the main one (${long.slice(0, 200)})`,
      'ipc minwon:shell:call refused: method is not a string',
      expect.stringMatching(/^ipc minwon:shell:call: .*exec/),
    ]);
    expect(await s.call(42, {})).toEqual({ ok: false, error: { code: 'bad-message', message: 'method must be a string' } });
  });
});
