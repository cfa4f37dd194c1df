import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flag } from '../../../../shared/knowledge';
import { startCityServer, type RunningCityServer } from '../../../../server/main';
import { testCore, testLogger } from '../../../helpers/core';
import { startFaultProxy, type Fault, type FaultProxy } from '../../../helpers/fault-proxy';
import { call, login } from '../../../helpers/http';
import { waitFor } from '../../../helpers/wait';

// Issue 21 from the desk: a flag on a manual entry and a search that found nothing are one action
// for the agent, even with the city server out of reach. The desk keeps them (its outbox) and
// delivers each once — also when the city stored one and its answer was lost on the way back —
// and the flag's department answers it in its inbox, which the agent's desk then shows.

const ENTRY = 'M-WAT-018'; // 옥내·옥외 누수 판단: water-supply's, whose editor is water1
let city: RunningCityServer;
let proxy: FaultProxy;
let fault: (path: string) => Fault = () => 'pass';

beforeAll(async () => {
  city = await startCityServer({ dataDir: mkdtempSync(join(tmpdir(), 'minwon-knowledge-city-')), port: 0, demo: true, logger: testLogger() });
  proxy = await startFaultProxy(() => city.url, (req) => fault((req.url ?? '').split('?')[0] as string));
});
afterAll(async () => {
  await proxy?.close();
  await city?.close();
});

/** water-supply's inbox of flags, as its editor reads it in the portal. */
async function inbox(): Promise<Flag[]> {
  const r = await call(city.url, await login(city.url, 'water1', 'water1'), '/api/portal/flags');
  expect(r.status).toBe(200);
  return (r.body as { flags: Flag[] }).flags;
}

/** Until the city's answer to the second try: the first is cut after the city has it. */
function loseFirstAnswer(path: string): () => number {
  let forwarded = 0;
  fault = (p) => (p === path && forwarded++ === 0 ? 'cut-after-forward' : 'pass');
  return () => forwarded;
}

describe('flags and search misses from the desk', () => {
  it('keeps a flag raised offline, delivers it once when the first answer is lost, and shows the department’s reply', async () => {
    const logger = testLogger();
    const core = testCore(join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite'), proxy.url, { timeoutMs: 2_000, logger });
    try {
      await core.syncNow();
      const entry = await core.handlers.getEntry({ id: ENTRY });
      expect(entry?.department).toBe('water-supply');

      // The city out of reach: the flag is kept on the desk and shown as waiting to be sent.
      fault = (path) => (path === '/api/manual/flags' ? 'cut' : 'pass');
      const raised = await core.handlers.flagEntry({ entryId: ENTRY, entryVersion: entry?.version as number, kind: 'outdated', note: '감면 기준이 바뀜, 민원인 900101-1234567', duringCall: true });
      expect(raised.pending).toBe(1);
      await waitFor(async () => logger.lines.join('\n'), (l) => l.includes('manual flags: 1 line(s) not delivered'), 5_000);
      expect((await core.handlers.myFlags({})).flags).toMatchObject([{ id: raised.id, entryId: ENTRY, entryTitle: entry?.title, kind: 'outdated', state: 'pending', notice: false }]);
      expect((await inbox()).filter((f) => f.id === raised.id)).toEqual([]);

      // Back, but the answer to the first delivery is lost: the city stored it, the desk sends it again.
      const forwarded = loseFirstAnswer('/api/manual/flags');
      await waitFor(async () => core.db.prepare('SELECT COUNT(*) FROM manual_flag_outbox').pluck().get(), (n) => n === 0, 20_000);
      expect(forwarded()).toBe(2);
      const received = (await inbox()).filter((f) => f.id === raised.id);
      expect(received).toHaveLength(1);
      // The caller's resident number stayed on the desk.
      expect(received[0]).toMatchObject({ entryId: ENTRY, kind: 'outdated', state: 'open', agent: 'agent1' });
      expect(received[0]?.note).toMatch(/^감면 기준이 바뀜, 민원인 /);
      expect(received[0]?.note).not.toContain('1234567');
      await waitFor(async () => core.handlers.myFlags({}), (m) => m.flags[0]?.state === 'open');

      // The department answers in its inbox; the desk hears of it with its next sync, as a notice once.
      const reply = await call(city.url, await login(city.url, 'water1', 'water1'), `/api/portal/flags/${raised.id}/reply`, { method: 'POST', body: JSON.stringify({ reply: '12월 고시로 반영 예정입니다' }) });
      expect(reply.status).toBe(200);
      await core.syncNow();
      const mine = await waitFor(async () => core.handlers.myFlags({}), (m) => m.flags[0]?.state === 'answered');
      expect(mine.flags[0]).toMatchObject({ id: raised.id, reply: '12월 고시로 반영 예정입니다', notice: true });
      expect(core.handlers.seenFlagNotices({ ids: [raised.id] })).toEqual({ seen: 1 });
      expect((await core.handlers.myFlags({})).flags[0]?.notice).toBe(false);
      expect(logger.lines.filter((l) => l.includes('refused'))).toEqual([]);
    } finally {
      fault = () => 'pass';
      await core.close();
    }
  }, 60_000);

  it('keeps a search miss reported offline and delivers it once; a search for someone’s number never leaves the desk', async () => {
    const logger = testLogger();
    const core = testCore(join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite'), proxy.url, { timeoutMs: 2_000, logger });
    const query = '공영주차장 정기권 환불';
    const stored = async () => (await city.db.all<{ id: string; category: string | null; agent: string }>('SELECT id, category, agent FROM search_misses WHERE query = ?', [query]));
    try {
      fault = (path) => (path === '/api/knowledge/misses' ? 'cut' : 'pass');
      expect(await core.handlers.reportSearchMiss({ query, category: '교통/주차' })).toEqual({ reported: true });
      expect(await core.handlers.reportSearchMiss({ query: '010-2345-6789', category: null })).toEqual({ reported: false });
      expect(await core.handlers.reportSearchMiss({ query: '900101-1234567 등본', category: null })).toEqual({ reported: false });
      await waitFor(async () => logger.lines.join('\n'), (l) => l.includes('search misses: 1 line(s) not delivered'), 5_000);
      expect(await stored()).toEqual([]);

      const forwarded = loseFirstAnswer('/api/knowledge/misses');
      await waitFor(async () => core.db.prepare('SELECT COUNT(*) FROM search_miss_outbox').pluck().get(), (n) => n === 0, 20_000);
      expect(forwarded()).toBe(2);
      expect(await stored()).toEqual([expect.objectContaining({ category: '교통/주차', agent: 'agent1' })]);
      expect(await city.db.all('SELECT id FROM search_misses WHERE query LIKE ? OR query LIKE ?', ['%2345%', '%1234567%'])).toEqual([]);
    } finally {
      fault = () => 'pass';
      await core.close();
    }
  }, 60_000);
});
