import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentCore } from '../../../../electron/core/agent-core';
import type { CoreEvent } from '../../../../shared/contract';
import { MAX_DRAFTS, type Draft } from '../../../../shared/draft';
import { RpcError } from '../../../../shared/rpc';
import { testCore } from '../../../helpers/core';
import { call, login } from '../../../helpers/http';
import { startCityServerProcess, type CityServerProcess } from '../../../helpers/processes';

// The desk's own state in its core: the consultations not yet filed (kept through a reload, a
// crashed window, a restarted core) and which page holds the agent's desk.

const uuid = (n: number) => `7d1e2c3b-4a5f-4e6d-8c7b-${String(n).padStart(12, '0')}`;
const RRN = '900101-1234567';

// Calls of yesterday: the city refuses records of calls too old (or still to come) for its retention.
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 86_400_000;
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const draft = (n: number, o: Partial<Draft> = {}): Draft => ({
  id: uuid(n),
  status: 'active',
  phase: 'talking',
  callerNumber: '01012345678',
  callerName: '홍길동',
  ivr: 'water',
  startedAt: at(0),
  endedAt: null,
  manualIds: ['water-leak-01'],
  pinned: [],
  notes: `주민번호 ${RRN} 확인, 누수 신고`,
  category: '상수도',
  subcategory: '누수',
  outcome: 'answered',
  department: null,
  transferredTo: null,
  ...o,
});

let dir: string;
let server: CityServerProcess;
let core: AgentCore;
const events: CoreEvent[] = [];
let clock = T0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minwon-desk-core-'));
  server = await startCityServerProcess(join(dir, 'city'), { demo: true });
  core = testCore(join(dir, 'desk.sqlite'), server.url, { clock: () => new Date(clock++) });
  core.subscribe((e) => events.push(e));
  await core.syncNow();
});
afterAll(async () => {
  await core.close();
  await server.stop();
});

const rawDrafts = () => {
  const db = new Database(join(dir, 'desk.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, status, data FROM drafts ORDER BY updated_at').all() as { id: string; status: string; data: string }[];
  } finally {
    db.close();
  }
};

describe('consultations not yet filed', () => {
  it('keeps a draft with its notes masked before they reach the disk', async () => {
    expect(await core.handlers.keepDraft(draft(1))).toEqual({ kept: true });
    const rows = rawDrafts();
    expect(rows.map((r) => r.id)).toEqual([uuid(1)]);
    expect(rows[0]?.data).not.toContain(RRN);
    expect(rows[0]?.data).toContain('******-*******');
    const [back] = (await core.handlers.drafts({})).drafts;
    expect(back).toMatchObject({ id: uuid(1), status: 'active', notes: expect.stringContaining('누수 신고'), manualIds: ['water-leak-01'] });
    expect(back?.notes).not.toContain(RRN);
  });

  it('has one consultation on screen at a time: a new active one sets the others aside', async () => {
    await core.handlers.keepDraft(draft(2, { phase: 'wrap-up', endedAt: at(4) }));
    const list = (await core.handlers.drafts({})).drafts;
    expect(list.map((d) => [d.id, d.status])).toEqual([
      [uuid(2), 'active'],
      [uuid(1), 'kept'],
    ]);
  });

  it('outlives the core: a new one on the same file has them', async () => {
    const again = testCore(join(dir, 'desk.sqlite'), server.url);
    try {
      expect((await again.handlers.drafts({})).drafts.map((d) => d.id)).toEqual([uuid(2), uuid(1)]);
    } finally {
      await again.close();
    }
  });

  it('drops a draft when its record is filed, and on request', async () => {
    const d = draft(2);
    await core.handlers.saveRecord({ id: d.id, callerNumber: d.callerNumber, startedAt: d.startedAt, endedAt: at(4), category: '상수도/누수', outcome: 'answered', manualIds: [], notes: '', department: null, smsEntryIds: [] });
    expect((await core.handlers.drafts({})).drafts.map((x) => x.id)).toEqual([uuid(1)]);
    // An edit still on its way when the record was filed does not bring the draft back.
    await core.handlers.keepDraft(draft(2, { notes: '늦게 온 수정' }));
    expect((await core.handlers.drafts({})).drafts.map((x) => x.id)).toEqual([uuid(1)]);
    expect(await core.handlers.dropDraft({ id: uuid(1) })).toEqual({ dropped: true });
    expect(await core.handlers.dropDraft({ id: uuid(1) })).toEqual({ dropped: false });
    expect((await core.handlers.drafts({})).drafts).toEqual([]);
  });

  it(`keeps at most ${MAX_DRAFTS}, dropping the oldest set aside`, async () => {
    for (let n = 100; n < 100 + MAX_DRAFTS + 5; n++) await core.handlers.keepDraft(draft(n, { status: 'kept', phase: 'wrap-up' }));
    const list = (await core.handlers.drafts({})).drafts;
    expect(list).toHaveLength(MAX_DRAFTS);
    expect(list[0]?.id).toBe(uuid(100 + MAX_DRAFTS + 4));
    expect(list.map((d) => d.id)).not.toContain(uuid(104));
  });

  it('skips a row that no longer reads as a draft rather than fail the list', async () => {
    const db = new Database(join(dir, 'desk.sqlite'));
    db.prepare("INSERT INTO drafts(id, status, data, updated_at) VALUES ('broken', 'kept', '{not json', '2099-01-01T00:00:00.000Z'), ('odd', 'kept', '{\"id\":1}', '2099-01-01T00:00:00.000Z')").run();
    db.close();
    const list = (await core.handlers.drafts({})).drafts;
    expect(list.map((d) => d.id)).not.toContain('broken');
    expect(list).toHaveLength(MAX_DRAFTS);
  });
});

describe('one agent, one desk', () => {
  const PAGE_A = '11111111-1111-4111-8111-111111111111';
  const PAGE_B = '22222222-2222-4222-8222-222222222222';
  const presenceOnCity = async () => {
    const lead = await login(server.url, 'lead1', 'lead1');
    const agents = ((await call(server.url, lead, '/api/presence')).body as { agents: { username: string; state: string }[] }).agents;
    return agents.find((a) => a.username === 'agent1')?.state;
  };

  it('lets only the page holding the desk speak for the agent, and says who holds it', async () => {
    events.length = 0;
    expect(await core.handlers.claimDesk({ pageId: PAGE_A })).toEqual({ granted: true });
    expect(await core.handlers.setPresence({ pageId: PAGE_A, state: 'ready', reason: null, version: 10 })).toEqual({ reported: true });
    expect(await presenceOnCity()).toBe('ready');
    // A second tab of the same desk, idle holder: it takes over, and the first is told.
    expect(await core.handlers.claimDesk({ pageId: PAGE_B })).toEqual({ granted: true });
    expect(events.filter((e) => e.name === 'deskHolder')).toEqual([
      { name: 'deskHolder', data: { pageId: PAGE_A } },
      { name: 'deskHolder', data: { pageId: PAGE_B } },
    ]);
    // The first tab's word no longer counts.
    await expect(async () => core.handlers.setPresence({ pageId: PAGE_A, state: 'not-ready', reason: 'meal', version: 11 })).rejects.toThrow(RpcError);
    expect(await presenceOnCity()).toBe('ready');
    expect(await core.handlers.renewDesk({ pageId: PAGE_A, busy: false })).toEqual({ held: false });
    expect(await core.handlers.renewDesk({ pageId: PAGE_B, busy: true })).toEqual({ held: true });
    expect(await core.handlers.claimDesk({ pageId: PAGE_A })).toEqual({ granted: false, reason: 'busy' });
    expect(await core.handlers.releaseDesk({ pageId: PAGE_B })).toEqual({ released: true });
    expect(await core.handlers.claimDesk({ pageId: PAGE_A })).toEqual({ granted: true });
  });
});
