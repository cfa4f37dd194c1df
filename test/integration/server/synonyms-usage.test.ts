import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncPage } from '../../../shared/sync';
import { call } from '../../helpers/http';
import type { CityServerProcess } from '../../helpers/processes';
import { serverStores, startDemoCity } from '../../helpers/server-stores';

const stores = serverStores();

describe.each(stores.names)('on $name', ({ name }) => {
  let server: CityServerProcess;
  let agent: string;
  let lead: string;

  beforeAll(async () => void ({ server, agent, lead } = await startDemoCity(stores, name, 'syn')));
  afterAll(() => server.stop());

  async function changesSince(cursor: string | null): Promise<{ changes: SyncPage['changes']; cursor: string }> {
    const p = (await call(server.url, agent, `/api/sync?limit=5000${cursor ? `&since=${cursor}` : ''}`)).body as SyncPage;
    return { changes: p.changes, cursor: p.cursor };
  }

  describe('the synonym table', () => {
    it('is seeded with the demo data and synced to desks', async () => {
      const { changes } = await changesSince(null);
      const synonyms = changes.filter((c) => c.kind === 'synonym');
      expect(synonyms.length).toBeGreaterThan(50);
      expect(synonyms.find((c) => c.key === '등초본')?.data).toMatchObject({ term: '등초본' });
    });

    it('can be edited by team leads only, each change published once', async () => {
      const { cursor } = await changesSince(null);
      const row = { term: '미먼', expansions: ['미세먼지'] };
      expect((await call(server.url, agent, '/api/synonyms/미먼', { method: 'PUT', body: JSON.stringify(row) })).status).toBe(403);
      expect((await call(server.url, lead, `/api/synonyms/${encodeURIComponent('미먼')}`, { method: 'PUT', body: JSON.stringify(row) })).body).toEqual({ changed: true });
      expect((await call(server.url, lead, `/api/synonyms/${encodeURIComponent('미먼')}`, { method: 'PUT', body: JSON.stringify(row) })).body).toEqual({ changed: false });
      expect((await call(server.url, lead, `/api/synonyms/${encodeURIComponent('딱지')}`, { method: 'DELETE' })).status).toBe(200);
      const bad = await call(server.url, lead, `/api/synonyms/x`, { method: 'PUT', body: JSON.stringify({ term: 'x', expansions: [] }) });
      expect(bad.status).toBe(400);
      const delta = await changesSince(cursor);
      expect(delta.changes.map((c) => [c.kind, c.key, c.data === null])).toEqual([
        ['synonym', '미먼', false],
        ['synonym', '딱지', true],
      ]);
    });
  });

  describe('entry usage', () => {
    it('adds desks’ counts to the city total once per batch and publishes the total', async () => {
      const { cursor } = await changesSince(null);
      const batch = { batchKey: randomUUID(), counts: [{ id: 'M-WAT-001', count: 3 }, { id: 'NOT-AN-ENTRY', count: 9 }] };
      expect((await call(server.url, agent, '/api/usage', { method: 'POST', body: JSON.stringify(batch) })).body).toEqual({ replayed: false });
      expect((await call(server.url, agent, '/api/usage', { method: 'POST', body: JSON.stringify(batch) })).body).toEqual({ replayed: true });
      const second = { batchKey: randomUUID(), counts: [{ id: 'M-WAT-001', count: 2 }] };
      await call(server.url, lead, '/api/usage', { method: 'POST', body: JSON.stringify(second) });
      const delta = await changesSince(cursor);
      expect(delta.changes.map((c) => [c.kind, c.data])).toEqual([['usage', { id: 'M-WAT-001', count: 5 }]]);
      for (const bad of [{ batchKey: randomUUID(), counts: [] }, { batchKey: randomUUID(), counts: [{ id: 'M-WAT-001', count: -1 }] }, { counts: [{ id: 'M-WAT-001', count: 1 }] }]) {
        expect((await call(server.url, agent, '/api/usage', { method: 'POST', body: JSON.stringify(bad) })).status).toBe(400);
      }
    });

    it('counts at most 100 uses of an entry per agent and day: one agent cannot put it on every desk’s list', async () => {
      const total = async () => ((await changesSince(null)).changes.find((c) => c.kind === 'usage' && c.key === 'M-TRF-001')?.data as { count: number } | undefined)?.count ?? 0;
      const use = (token: string, count: number) => call(server.url, token, '/api/usage', { method: 'POST', body: JSON.stringify({ batchKey: randomUUID(), counts: [{ id: 'M-TRF-001', count }] }) });
      const before = await total();
      for (let i = 0; i < 10; i++) expect((await use(agent, 100_000)).status).toBe(200);
      expect(await total()).toBe(before + 100);
      await use(lead, 30);
      expect(await total()).toBe(before + 130);
    });
  });

  describe('desk settings', () => {
    it('are seeded, editable by team leads only, validated per key, and synced', async () => {
      const { cursor, changes } = await changesSince(null);
      expect(changes.filter((c) => c.kind === 'setting').map((c) => c.key).sort()).toEqual(['notReadyReasons', 'reservations', 'taxonomy', 'wrapUpSeconds']);
      const put = (token: string, key: string, value: unknown) => call(server.url, token, `/api/settings/${key}`, { method: 'PUT', body: JSON.stringify(value) });
      expect((await put(agent, 'wrapUpSeconds', 45)).status).toBe(403);
      expect((await put(lead, 'wrapUpSeconds', -5)).status).toBe(400);
      expect((await put(lead, 'wrapUpSeconds', 'soon')).status).toBe(400);
      expect((await put(lead, 'unknownSetting', 1)).status).toBe(400);
      expect((await put(lead, 'notReadyReasons', [{ id: 'Bad Id', ko: '가', en: 'a' }])).status).toBe(400);
      expect((await put(lead, 'wrapUpSeconds', 45)).body).toEqual({ changed: true });
      expect((await put(lead, 'wrapUpSeconds', 45)).body).toEqual({ changed: false });
      const delta = await changesSince(cursor);
      expect(delta.changes.map((c) => [c.kind, c.data])).toEqual([['setting', { key: 'wrapUpSeconds', value: 45 }]]);
    });
  });
});
