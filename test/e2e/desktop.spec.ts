import { expect, test, type Frame, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IPC_CHANNELS } from '../../shared/bridge';
import { coreContract, type CoreHandlers } from '../../shared/contract';
import type { Presence } from '../../shared/presence';
import { shellContract, type UpdateStatus } from '../../shared/shell-contract';
import { createAppProtocolHandler } from '../../electron/shell/app-protocol';
import type { CoreSupervisor } from '../../electron/shell/core-supervisor';
import { handleContract, sendEvent } from '../../electron/shell/ipc';
import { createShellHandlers } from '../../electron/shell/shell-handlers';
import { fakeIpcMain } from '../helpers/fake-electron';
import { REPO, startCityServerProcess, type CityServerProcess } from '../helpers/processes';
import { superviseCoreChildren } from '../helpers/supervised-core';

// The desktop app's architecture in real Chromium, minus Electron itself (not installable here):
// the renderer served by the shell's app:// handler, the real preload bridge in the page, the
// shell's IPC guards and handlers in this process as main, and the core in a supervised child
// process synced from a real city server. Only Electron's own objects are stand-ins.

let city: CityServerProcess;
let core: CoreSupervisor;
let site: Server;
let origin: string;
let preloadScript: string;
let page: Page | null = null;
const refused: string[] = [];
const installs: number[] = [];
let presence: Presence | null = null;
let update: UpdateStatus;
const ipc = fakeIpcMain();

/** The IPC event Electron would give main for a call from `frame`: its URLs as app://desk for the app's pages. */
function ipcEventFor(frame: Frame, page: Page) {
  const url = (f: Frame) => (f.url().startsWith(origin) ? `app://desk${f.url().slice(origin.length)}` : f.url());
  const mainFrame = { url: url(page.mainFrame()), parent: null };
  const senderFrame = frame === page.mainFrame() ? mainFrame : { url: url(frame), parent: mainFrame };
  return { senderFrame, sender: { mainFrame } };
}

const toPage = (channel: string, contract: typeof coreContract | typeof shellContract, name: string, data: unknown) =>
  sendEvent(
    { isDestroyed: () => false, send: (...args: unknown[]) => void page?.evaluate((a) => (window as never as { __minwonIpcEmit(...x: unknown[]): void }).__minwonIpcEmit(...a), args).catch(() => {}) } as never,
    channel,
    contract,
    name,
    data,
    (m) => refused.push(m),
  );

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-desktop-'));
  city = await startCityServerProcess(join(dir, 'city'), { demo: true });
  core = superviseCoreChildren({ serverUrl: city.url, cacheFile: join(dir, 'desk.sqlite'), onEvent: (e) => toPage(IPC_CHANNELS.core.event, coreContract, e.name, e.data) }).supervisor;
  update = { state: 'idle', channel: 'stable', currentVersion: '0.1.0', version: null, message: null, at: new Date().toISOString() };

  const coreHandlers: CoreHandlers = {
    ...(core.handlers as unknown as CoreHandlers),
    setPresence: async (p) => {
      presence = p;
      return (await core.handlers.setPresence(p)) as { reported: boolean };
    },
  };
  const log = (m: string) => refused.push(m);
  handleContract(ipc, IPC_CHANNELS.core.call, coreContract, coreHandlers, log);
  handleContract(
    ipc,
    IPC_CHANNELS.shell.call,
    shellContract,
    createShellHandlers({
      notice: () => ({ show: () => {}, close: () => {}, on: () => {} }),
      showWindow: () => {},
      links: { externalOrigins: [], openExternal: async () => {}, log },
      updates: { status: () => update, install: () => (installs.push(Date.now()), update.state === 'ready') },
      presence: () => presence,
    }),
    log,
  );

  const handler = createAppProtocolHandler({ root: join(REPO, 'dist/renderer'), connectSrc: ['ws://127.0.0.1:8088', city.url], log });
  site = createServer((req, res) => {
    void handler(new Request(`app://desk${req.url ?? '/'}`, { method: req.method })).then(async (r) => {
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const address = site.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const bundle = await build({ entryPoints: [join(REPO, 'test/e2e/desktop/preload-in-page.ts')], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
  preloadScript = bundle.outputFiles[0]?.text ?? '';
});

test.afterAll(async () => {
  core.stop();
  await new Promise((r) => site.close(r));
  await city.stop();
});

async function openDesk(p: Page): Promise<void> {
  page = p;
  await p.exposeBinding('__minwonInvoke', (source, channel: string, ...args: unknown[]) =>
    ipc.invoke(channel, ipcEventFor(source.frame, source.page) as never, ...args),
  );
  await p.addInitScript({ content: preloadScript });
  await p.goto(`${origin}/index.html`);
}

test('runs the desk over the preload bridge: no WebSocket, the core in its own process', async ({ page: p }) => {
  const sockets: string[] = [];
  p.on('websocket', (ws) => sockets.push(ws.url()));
  await openDesk(p);
  await expect(p.getByRole('status').filter({ hasText: '동기화됨' })).toBeVisible();
  const box = p.getByRole('searchbox', { name: '표준상담 DB 검색' });
  await box.pressSequentially('여권 재발급');
  await expect(p.getByRole('listbox', { name: '검색 결과' }).getByRole('option').first()).toContainText('여권');
  // The only socket the page may open is the phone's, to the SIP server; the core is reached through the bridge.
  expect(sockets.every((u) => u.startsWith('ws://127.0.0.1:8088'))).toBe(true);
  await p.getByRole('button', { name: '상담 대기', exact: true }).click();
  await expect.poll(() => presence?.state).toBe('ready');
});

test('tells the agent of a verified update and restarts into it only outside a call', async ({ page: p }) => {
  await openDesk(p);
  await expect(p.getByRole('status').filter({ hasText: '동기화됨' })).toBeVisible();
  update = { ...update, state: 'ready', version: '0.2.0', at: new Date().toISOString() };
  toPage(IPC_CHANNELS.shell.event, shellContract, 'update', update);
  await expect(p.getByText('새 버전 0.2.0이(가) 준비되었습니다.')).toBeVisible();
  presence = { state: 'on-call', reason: null };
  await p.getByRole('button', { name: '다시 시작하여 업데이트' }).click();
  await expect(p.getByText('통화 중에는 업데이트할 수 없습니다.')).toBeVisible();
  expect(installs).toHaveLength(0);
  presence = { state: 'ready', reason: null };
  await p.getByRole('button', { name: '다시 시작하여 업데이트' }).click();
  await expect.poll(() => installs.length).toBe(1);

  update = { ...update, state: 'refused', version: null, message: 'signature: 0 valid signature(s) from pinned keys, 1 needed' };
  toPage(IPC_CHANNELS.shell.event, shellContract, 'update', update);
  await expect(p.getByRole('alert').filter({ hasText: '검증을 통과하지 못해' })).toContainText('signature');
});

test('refuses the bridge to a sub-frame and to another origin', async ({ page: p }) => {
  await openDesk(p);
  await expect(p.getByRole('status').filter({ hasText: '동기화됨' })).toBeVisible();
  // A frame inside the desk (same origin, injected as an attacker would) gets the preload too, but main refuses it.
  await p.evaluate(() => {
    const frame = document.createElement('iframe');
    frame.srcdoc = '<p>injected</p>';
    frame.title = 'injected';
    document.body.append(frame);
  });
  await expect(p.frameLocator('iframe[title="injected"]').getByText('injected')).toBeVisible();
  const sub = p.frames().find((f) => f !== p.mainFrame()) as Frame;
  const fromSub = await sub.evaluate(() => (window as never as { minwonDesk: { core: { call(m: string, p: unknown): Promise<unknown> } } }).minwonDesk.core.call('outboxStatus', {}));
  expect(fromSub).toEqual({ ok: false, error: { code: 'forbidden', message: 'not allowed from this frame' } });
  expect(refused.some((m) => m.includes('refused from a frame other than the main one'))).toBe(true);

  // Another origin (the city server's own pages, say) with the same bridge is refused too.
  await p.goto(`${city.url}/api/health`);
  const fromOther = await p.evaluate(() => (window as never as { minwonDesk: { core: { call(m: string, p: unknown): Promise<unknown> } } }).minwonDesk.core.call('outboxStatus', {}));
  expect(fromOther).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(refused.some((m) => m.includes('a foreign origin'))).toBe(true);
});
