import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CoreEvent } from '../../../../shared/contract';
import { createCoreClient, type CoreClient } from '../../../../shared/rpc';
import type { DeskSession } from '../../../../electron/core/session/desk-session';
import { openDeskSession } from '../../../../electron/core/session/open-desk-session';
import { memoryVault } from '../../../../electron/core/session/session-vault';
import { startBrowserHost, type BrowserHost } from '../../../../electron/host/browser-host';
import { TEST_CACHE_KEY, testLogger } from '../../../helpers/core';
import { DEFAULT_PHONE } from '../../../../server/main';
import { startCityServerProcess, type CityServerProcess } from '../../../helpers/processes';
import { draft } from '../../../helpers/records';

let server: CityServerProcess;
let core: DeskSession;
let host: BrowserHost;
let wsUrl: string;
let origin: string;
const logger = testLogger();

beforeAll(async () => {
  server = await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-ws-')), { demo: true });
  core = openDeskSession(
    { cacheFile: join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite'), cacheKey: () => TEST_CACHE_KEY, serverUrl: server.url, phone: DEFAULT_PHONE, syncIntervalMs: 3_600_000, pinnedUser: 'agent1' },
    memoryVault(),
    logger,
  );
  await core.open({ username: 'agent1', password: 'agent1' });
  await core.handlers.syncNow({});
  const root = mkdtempSync(join(tmpdir(), 'minwon-static-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, '..', 'secret.txt'), 'do not serve');
  host = await startBrowserHost({ core, staticDir: root, port: 0, logger });
  origin = host.url.replace(/\/$/, '');
  const page = await (await fetch(host.url)).text();
  const token = /name="minwon-core-token" content="([^"]+)"/.exec(page)?.[1];
  wsUrl = `${origin.replace('http', 'ws')}/core?token=${token}`;
});
afterAll(async () => {
  await host.close();
  await core.close();
  await server.stop();
});

/** A connection as a page sends it: from `from` (the host's own origin unless said; null: none). */
function connect(url: string, from: string | null = origin, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...(from === null ? {} : { origin: from }), headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function clientOver(ws: WebSocket): CoreClient {
  return createCoreClient({
    send: (t) => ws.send(t),
    onMessage: (l) => ws.on('message', (d) => l(d.toString())),
    onClose: (l) => ws.on('close', l),
  });
}

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise ..). */
function rawGet(path: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(host.url);
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the browser host', () => {
  it('serves the renderer with a strict CSP and the page’s core token, and nothing outside it', async () => {
    const res = await fetch(host.url);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'; connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toMatch(/<meta name="minwon-core-token" content="[\w-]{20,}" \/>/);
    expect((await fetch(`${host.url}assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect(await rawGet('/../secret.txt')).toBe(404);
    expect(await rawGet('/%2e%2e/secret.txt')).toBe(404);
    expect(await rawGet('/missing.js')).toBe(404);
    expect(await rawGet('/index.html', 'POST')).toBe(405);
  });
});

describe('the core contract over WebSocket', () => {
  it('refuses connections without the token, from a foreign origin or none, or for another host name', async () => {
    const base = wsUrl.split('?')[0] as string;
    await expect(connect(base)).rejects.toThrow(/401/);
    await expect(connect(`${base}?token=wrong`)).rejects.toThrow(/401/);
    await expect(connect(wsUrl, 'http://evil.example')).rejects.toThrow(/401/);
    // A local process with the token but no Origin: not a page this host served.
    await expect(connect(wsUrl, null)).rejects.toThrow(/401/);
    // A page on a rebound name that reached this port.
    await expect(connect(wsUrl, origin, { host: `evil.example:${new URL(origin).port}` })).rejects.toThrow(/401/);
    const ok = await connect(wsUrl);
    ok.close();
    expect(logger.lines.filter((l) => l.includes('refused'))).toHaveLength(5);
  });

  it('serves calls and pushes events to every connected page', async () => {
    const ws = await connect(wsUrl);
    const client = clientOver(ws);
    const events: CoreEvent['name'][] = [];
    client.on('recordSaved', () => events.push('recordSaved'));
    client.on('outbox', () => events.push('outbox'));
    const hits = await client.call('search', { query: '여권 재발급', limit: 3 });
    expect(hits.hits[0]?.title).toMatch(/여권/);
    const record = draft({ callerNumber: '010-3333-4444' });
    expect(await client.call('saveRecord', record)).toEqual({ id: record.id, duplicate: false });
    const history = await client.call('callerHistory', { number: '01033334444' });
    expect(history.items[0]).toMatchObject({ id: record.id, pending: true });
    await expect.poll(() => events).toEqual(expect.arrayContaining(['recordSaved', 'outbox']));
    ws.close();
  });

  it('answers malformed and invalid messages with errors and keeps serving', async () => {
    const ws = await connect(wsUrl);
    const replies: unknown[] = [];
    // Only answers count: events (a sync finishing in the background) may arrive in between.
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString()) as { type: string };
      if (msg.type === 'result') replies.push(msg);
    });
    ws.send('{oops');
    ws.send(JSON.stringify({ type: 'call', id: 7, method: 'saveRecord', params: { ...draft(), outcome: 'lost' } }));
    ws.send(Buffer.from([1, 2, 3]));
    ws.send(JSON.stringify({ type: 'call', id: 8, method: 'search', params: { query: '"NEAR( OR *' } }));
    await expect.poll(() => replies.length).toBe(4);
    expect(replies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'bad-message' }) }),
        expect.objectContaining({ id: 7, ok: false, error: expect.objectContaining({ code: 'invalid-params', message: expect.stringMatching(/outcome/) }) }),
        expect.objectContaining({ id: 8, ok: true }),
      ]),
    );
    ws.close();
  });

  it('closes a connection that sends more than the size limit', async () => {
    const ws = await connect(wsUrl);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('x'.repeat((1 << 20) + 10));
    expect(await closed).toBe(1009);
  });
});
