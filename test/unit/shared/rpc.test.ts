import { describe, expect, it } from 'vitest';
import type { CoreHandlers, SyncStatus } from '../../../shared/contract';
import { createCoreClient, dispatchCall, encodeEvent, RpcError, type MessagePipe } from '../../../shared/rpc';

const status: SyncStatus = { state: 'online', offlineSince: null, lastSyncedAt: null, lastError: null, nextAttemptAt: null };

const handlers = {
  search: ({ query, limit }: { query: string; limit: number }) => ({
    hits: query === 'bad' ? [{ id: 1 }] : [{ id: 'M-1', kind: 'manual', title: `${query}/${limit}`, category: 'c', snippet: '', highlights: [], titleHighlights: [], score: 1 }],
  }),
  getEntry: () => null,
  callerHistory: () => {
    throw new Error('cache unavailable');
  },
  saveRecord: (d: { id: string }) => ({ id: d.id, duplicate: false }),
  directory: () => ({ departments: [] }),
  syncStatus: () => status,
  syncNow: () => ({ pages: 0, upserts: { entry: 0, department: 0, history: 0 }, deletes: { entry: 0, department: 0, history: 0 }, reset: false, cursor: null, uploaded: 0, rejected: 0 }),
  outboxStatus: () => ({ pending: 0, rejected: [] }),
} as unknown as CoreHandlers;

const reply = async (text: string) => JSON.parse(await dispatchCall(handlers, text)) as { ok: boolean; error?: { code: string; message: string }; result?: unknown };

describe('dispatchCall', () => {
  it('validates params and fills defaults', async () => {
    const r = await reply(JSON.stringify({ type: 'call', id: 1, method: 'search', params: { query: '수도' } }));
    expect(r).toMatchObject({ ok: true, result: { hits: [{ title: '수도/10' }] } });
  });
  it.each([
    ['not json', 'bad-message'],
    ['[]', 'bad-message'],
    [JSON.stringify({ type: 'call', id: 2, method: 'dropTables', params: {} }), 'unknown-method'],
    [JSON.stringify({ type: 'call', id: 3, method: 'search', params: { query: 5 } }), 'invalid-params'],
    [JSON.stringify({ type: 'call', id: 4, method: 'search', params: { query: 'x', limit: 10_000 } }), 'invalid-params'],
    [JSON.stringify({ type: 'call', id: 5, method: 'search', params: { query: 'x', extra: true } }), 'invalid-params'],
    [JSON.stringify({ type: 'call', id: 6, method: 'callerHistory', params: { number: '010' } }), 'failed'],
    [JSON.stringify({ type: 'call', id: 7, method: 'search', params: { query: 'bad' } }), 'invalid-result'],
    ['x'.repeat((1 << 20) + 1), 'bad-message'],
  ])('answers %s with %s', async (text, code) => {
    const r = await reply(text);
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe(code);
  });
});

function loopback(): { pipe: MessagePipe; deliver: (t: string) => void; close: () => void; sent: string[] } {
  const sent: string[] = [];
  let onMessage: (t: string) => void = () => {};
  let onClose: () => void = () => {};
  return {
    sent,
    pipe: {
      send: (t) => {
        sent.push(t);
        void dispatchCall(handlers, t).then((r) => onMessage(r));
      },
      onMessage: (l) => (onMessage = l),
      onClose: (l) => (onClose = l),
    },
    deliver: (t) => onMessage(t),
    close: () => onClose(),
  };
}

describe('createCoreClient', () => {
  it('calls through the pipe and returns the validated result', async () => {
    const { pipe } = loopback();
    const client = createCoreClient(pipe);
    await expect(client.call('search', { query: '누수', limit: 3 })).resolves.toMatchObject({ hits: [{ title: '누수/3' }] });
    await expect(client.call('callerHistory', { number: '010' })).rejects.toMatchObject({ code: 'failed' });
  });

  it('delivers valid events and reports malformed ones without throwing', () => {
    const { pipe, deliver } = loopback();
    const bad: string[] = [];
    const client = createCoreClient(pipe, { onBadMessage: (w) => bad.push(w) });
    const seen: SyncStatus[] = [];
    client.on('syncStatus', (s) => seen.push(s));
    deliver(encodeEvent({ name: 'syncStatus', data: status }));
    deliver(JSON.stringify({ type: 'event', name: 'syncStatus', data: { state: 'exploded' } }));
    deliver('{{{');
    deliver(JSON.stringify({ type: 'result', id: 999, ok: true, result: {} }));
    expect(seen).toEqual([status]);
    expect(bad).toHaveLength(3);
  });

  it('fails pending calls when the pipe closes, and later calls at once', async () => {
    const sent: string[] = [];
    let close: () => void = () => {};
    const client = createCoreClient({ send: (t) => sent.push(t), onMessage: () => {}, onClose: (l) => (close = l) });
    const pending = client.call('syncStatus', {});
    close();
    await expect(pending).rejects.toBeInstanceOf(RpcError);
    await expect(client.call('syncStatus', {})).rejects.toMatchObject({ code: 'closed' });
  });

  it('times out a call the core never answers', async () => {
    const client = createCoreClient(
      { send: () => {}, onMessage: () => {}, onClose: () => {} },
      { timeout: { ms: 20, timers: { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) } } },
    );
    await expect(client.call('syncStatus', {})).rejects.toMatchObject({ code: 'timeout' });
  });
});
