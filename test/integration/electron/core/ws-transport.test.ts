import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CoreEvent } from '../../../../shared/contract';
import { createCoreClient, type CoreClient } from '../../../../shared/rpc';
import type { AgentCore } from '../../../../electron/core/agent-core';
import { serveOverWebSocket } from '../../../../electron/core/transport/ws-transport';
import { testCore, testLogger } from '../../../helpers/core';
import { startCityServerProcess, type CityServerProcess } from '../../../helpers/processes';
import { draft } from '../../../helpers/records';

let server: CityServerProcess;
let core: AgentCore;
let transport: { url: string; close(): Promise<void> };
const logger = testLogger();

beforeAll(async () => {
  server = await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-ws-')), { demo: true });
  core = testCore(join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite'), server.url);
  await core.syncNow();
  transport = await serveOverWebSocket({ core, port: 0, token: 'test-token-0123456789', allowedOrigins: ['http://localhost:5173'], logger });
});
afterAll(async () => {
  await transport.close();
  await core.close();
  await server.stop();
});

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
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

describe('the core contract over WebSocket', () => {
  it('refuses connections without the token or from a foreign origin', async () => {
    const base = transport.url.split('?')[0] as string;
    await expect(connect(base)).rejects.toThrow(/401/);
    await expect(connect(`${base}?token=wrong`)).rejects.toThrow(/401/);
    await expect(connect(transport.url, 'http://evil.example')).rejects.toThrow(/401/);
    const ok = await connect(transport.url, 'http://localhost:5173');
    ok.close();
    expect(logger.lines.filter((l) => l.includes('refused'))).toHaveLength(3);
  });

  it('serves calls and pushes events to every connected page', async () => {
    const ws = await connect(transport.url);
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
    const ws = await connect(transport.url);
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
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
    const ws = await connect(transport.url);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('x'.repeat((1 << 20) + 10));
    expect(await closed).toBe(1009);
  });
});
