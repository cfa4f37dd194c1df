import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draft, Flag } from '../../../shared/knowledge';
import type { GapReport } from '../../../server/store/knowledge-gaps';
import type { PortalEntry } from '../../../server/store/entry-upkeep';
import { call, login } from '../../helpers/http';
import type { CityServerProcess } from '../../helpers/processes';
import { draft as recordDraft } from '../../helpers/records';
import { serverStores, startDemoCity } from '../../helpers/server-stores';

// The knowledge portal's API through a real city server process on both stores (issue 21): who
// sees and writes what, a draft from a department to the desks' sync, flags from the desks to the
// department's inbox and back, the searches that found nothing grouped into gaps, reuse counts.

const stores = serverStores();

describe.each(stores.names)('knowledge portal API (city server on $name)', ({ name }) => {
  let server: CityServerProcess;
  let agent: string;
  let lead: string;
  let water: string;
  let traffic: string;
  let reviewer: string;

  beforeAll(async () => {
    const city = await startDemoCity(stores, name, 'knowledge');
    server = city.server;
    agent = city.agent;
    lead = city.lead;
    [water, traffic, reviewer] = await Promise.all([login(server.url, 'water1', 'water1'), login(server.url, 'traffic1', 'traffic1'), login(server.url, 'review1', 'review1')]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const get = (token: string, path: string) => call(server.url, token, path);
  const post = (token: string, path: string, body?: unknown) => call(server.url, token, path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const put = (token: string, path: string, body: unknown) => call(server.url, token, path, { method: 'PUT', body: JSON.stringify(body) });
  const entries = async (token: string, query = '') => ((await get(token, `/api/portal/entries${query}`)).body as { entries: PortalEntry[] }).entries;

  it('lets each role see what it should: editors their department, reviewers and leads all, agents nothing', async () => {
    const mine = await entries(water);
    expect(mine.length).toBeGreaterThan(10);
    expect(new Set(mine.map((e) => e.entry.department))).toEqual(new Set(['water-supply']));
    expect((await get(water, '/api/portal/entries?department=tax')).status).toBe(403);
    expect((await get(water, '/api/portal/entries/M-TAX-001')).body).toMatchObject({ error: 'other-department' });
    expect((await post(water, '/api/portal/drafts', { entryId: 'M-TAX-001' })).body).toMatchObject({ error: 'other-department' });
    expect(new Set((await entries(reviewer)).map((e) => e.entry.department)).size).toBeGreaterThan(5);
    expect((await entries(lead, '?department=tax')).every((e) => e.entry.department === 'tax')).toBe(true);
    expect((await get(agent, '/api/portal/entries')).status).toBe(403);
    expect((await post(lead, '/api/portal/drafts', { entryId: 'M-TAX-001' })).status).toBe(403);
    // The portal's accounts have no desk: the desk's API refuses them.
    expect((await get(water, '/api/queue')).status).toBe(403);
    expect((await get(reviewer, '/api/portal/me')).body).toMatchObject({ user: { username: 'review1', role: 'reviewer', department: null } });
    // The editors an owner is chosen from: an editor is shown their own department's.
    expect(((await get(water, '/api/portal/me')).body as { editors: { username: string }[] }).editors.map((e) => e.username)).toEqual(['water1']);
    expect(((await get(reviewer, '/api/portal/me')).body as { editors: { username: string }[] }).editors.map((e) => e.username)).toEqual(['billing1', 'traffic1', 'water1']);
  });

  it('takes a department’s draft through review to the desks’ sync, and keeps the author from approving it', async () => {
    const [entry] = await entries(water);
    const created = await post(water, '/api/portal/drafts', { entryId: entry?.entry.id });
    expect(created.status).toBe(200);
    const d = (created.body as { draft: Draft }).draft;
    const content = { ...d.content, body: `${d.content.body}\n동파 예방 키트는 급수과에서 무료로 나눠 드립니다.`, sections: { spoken: '급수과에서 무료로 드립니다.', documents: '신분증' } };
    expect((await put(water, `/api/portal/drafts/${d.id}`, { content })).status).toBe(200);
    // Bad input is refused whole, naming the field.
    const bad = await put(water, `/api/portal/drafts/${d.id}`, { content: { ...content, title: 'x'.repeat(201), sections: { sms: '예방 키트 😀' } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/content\.title.*content\.sections\.sms|content\.sections\.sms.*content\.title/s);
    expect((await post(water, `/api/portal/drafts/${d.id}/submit`)).body).toMatchObject({ draft: { state: 'review' } });
    expect((await post(water, `/api/portal/drafts/${d.id}/decision`, { decision: 'approve' })).body).toMatchObject({ error: 'not-reviewer' });
    expect((await post(reviewer, `/api/portal/drafts/${d.id}/decision`, { decision: 'reject' })).status).toBe(400);
    expect((await get(water, '/api/portal/drafts?state=review')).body).toMatchObject({ drafts: [{ id: d.id }] });
    const since = ((await get(agent, '/api/sync?limit=1')).body as { cursor: string }).cursor;
    expect((await post(reviewer, `/api/portal/drafts/${d.id}/decision`, { decision: 'approve' })).body).toMatchObject({ draft: { state: 'published', publishedVersion: (entry?.entry.version ?? 0) + 1 } });
    // The desks receive the new version with its sections on their next sync.
    let cursor = since;
    const seen: unknown[] = [];
    for (let page = 0; page < 50; page++) {
      const body = (await get(agent, `/api/sync?since=${encodeURIComponent(cursor)}`)).body as { changes: { kind: string; key: string; data: unknown }[]; cursor: string; hasMore: boolean };
      seen.push(...body.changes.filter((c) => c.kind === 'entry' && c.key === entry?.entry.id).map((c) => c.data));
      cursor = body.cursor;
      if (!body.hasMore) break;
    }
    expect(seen.at(-1)).toMatchObject({ body: content.body, sections: { spoken: '급수과에서 무료로 드립니다.', documents: '신분증' } });
    const view = (await get(water, `/api/portal/entries/${entry?.entry.id}`)).body as { versions: { version: number; reviewer: string | null }[]; canEdit: boolean };
    expect(view.versions[0]).toMatchObject({ reviewer: 'review1' });
    expect(view.canEdit).toBe(true);

    // A draft the reviewer wrote for a department is never approved by them.
    const own = (await post(reviewer, '/api/portal/drafts', { department: 'traffic-admin', content: { category: '교통/주차', title: '전기차 충전 구역 주차 단속', body: '전기차 충전 구역에 일반 차량이 주차하면 과태료 10만 원입니다.' } })).body as { draft: Draft };
    expect((await post(traffic, `/api/portal/drafts/${own.draft.id}/submit`)).status).toBe(200);
    expect((await post(reviewer, `/api/portal/drafts/${own.draft.id}/decision`, { decision: 'approve' })).body).toMatchObject({ error: 'own-draft' });
  });

  it('warns of similar entries before a new one, naming only the department’s own', async () => {
    const similar = (await post(water, '/api/portal/similar', { title: '수도 계량기 동파 신고', keywords: ['동파'] })).body as { similar: { id: string | null; department: string | null }[] };
    expect(similar.similar.length).toBeGreaterThan(0);
    expect(similar.similar.filter((s) => s.department === 'water-supply').every((s) => s.id !== null)).toBe(true);
    expect(similar.similar.filter((s) => s.department !== 'water-supply').every((s) => s.id === null)).toBe(true);
    expect((await post(water, '/api/portal/similar', { title: '', keywords: [] })).body).toEqual({ similar: [] });
  });

  it('brings a desk’s flag to the owning department once, and its answer back to the agent', async () => {
    const [entry] = await entries(water);
    const flag = { id: randomUUID(), entryId: entry?.entry.id, entryVersion: entry?.entry.version, kind: 'outdated', note: '동파 신고 전화번호가 바뀌었어요', at: new Date().toISOString(), duringCall: true };
    expect((await post(agent, '/api/manual/flags', { flags: [flag] })).body).toEqual({ stored: [flag.id], duplicates: [], refused: [] });
    expect((await post(agent, '/api/manual/flags', { flags: [flag] })).body).toEqual({ stored: [], duplicates: [flag.id], refused: [] });
    expect((await post(agent, '/api/manual/flags', { flags: [{ ...flag, id: 'not-a-uuid' }] })).status).toBe(400);
    expect((await post(agent, '/api/manual/flags', { flags: Array.from({ length: 101 }, () => ({ ...flag, id: randomUUID() })) })).status).toBe(400);
    const inbox = ((await get(water, '/api/portal/flags?state=open')).body as { flags: Flag[] }).flags.filter((f) => f.id === flag.id);
    expect(inbox).toHaveLength(1);
    expect(((await get(traffic, '/api/portal/flags')).body as { flags: Flag[] }).flags.some((f) => f.id === flag.id)).toBe(false);
    expect((await post(traffic, `/api/portal/flags/${flag.id}/reply`, { reply: '아님' })).body).toMatchObject({ error: 'other-department' });
    expect((await post(water, `/api/portal/flags/${flag.id}/reply`, { reply: '번호는 그대로입니다. 안내문을 확인해 주세요.' })).status).toBe(200);
    expect(((await get(agent, '/api/manual/flags/mine')).body as { flags: Flag[] }).flags.find((f) => f.id === flag.id)).toMatchObject({ state: 'answered', reply: '번호는 그대로입니다. 안내문을 확인해 주세요.', closedBy: 'water1' });
  });

  it('groups the desks’ unanswered searches into knowledge gaps, each search once', async () => {
    const wordings = ['전기차 충전소 설치 문의', '전기차 충전소는 어디', '전기차충전소 위치', '아파트 전기차 충전기 설치', '충전소 설치 신청', '드론 비행 허가', '드론 촬영 허가 신청', '드론 날려도 되나요', '공원에서 드론 비행', '드론비행 허가'];
    const misses = wordings.flatMap((query, i) => Array.from({ length: 5 }, () => ({ id: randomUUID(), query, at: new Date().toISOString(), category: i < 5 ? '교통/교통카드' : null })));
    expect((await post(agent, '/api/knowledge/misses', { misses })).body).toEqual({ stored: 50 });
    // The outbox sent the batch again: nothing more.
    expect((await post(agent, '/api/knowledge/misses', { misses })).body).toEqual({ stored: 0 });
    expect((await post(agent, '/api/knowledge/misses', { misses: [{ ...misses[0], query: '' }] })).status).toBe(400);
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const report = (await get(reviewer, `/api/portal/gaps?from=${today}&to=${today}`)).body as GapReport;
    expect(report.searches).toBe(50);
    expect(report.groups.map((g) => g.count)).toEqual([25, 25]);
    expect(report.groups.find((g) => g.terms.includes('전기차'))).toMatchObject({ category: '교통/교통카드', department: 'traffic-admin' });
    // A department sees the gaps of the categories it answers for.
    expect(((await get(traffic, `/api/portal/gaps?from=${today}&to=${today}`)).body as GapReport).groups).toMatchObject([{ category: '교통/교통카드' }]);
    expect(((await get(water, `/api/portal/gaps?from=${today}&to=${today}`)).body as GapReport).groups).toEqual([]);
    expect((await get(reviewer, '/api/portal/gaps?from=2026-12-31&to=2026-12-01')).status).toBe(400);
    expect((await get(agent, `/api/portal/gaps?from=${today}&to=${today}`)).status).toBe(403);
  });

  it('counts how the desks use an entry: opened, linked to records, sent by SMS (its SMS form), flagged', async () => {
    const [entry] = await entries(water);
    const id = entry?.entry.id as string;
    const d = (await post(water, '/api/portal/drafts', { entryId: id })).body as { draft: Draft };
    await put(water, `/api/portal/drafts/${d.draft.id}`, { content: { ...d.draft.content, sections: { ...d.draft.content.sections, sms: '[동파 신고] 급수과 054-270-1234' } } });
    await post(water, `/api/portal/drafts/${d.draft.id}/submit`);
    expect((await post(reviewer, `/api/portal/drafts/${d.draft.id}/decision`, { decision: 'approve' })).status).toBe(200);
    const before = (await entries(water)).find((e) => e.entry.id === id)?.reuse;
    await post(agent, '/api/usage', { batchKey: randomUUID(), counts: [{ id, count: 3 }] });
    await post(agent, '/api/records', { batchKey: randomUUID(), records: [recordDraft({ manualIds: [id], smsEntryIds: [id] }), recordDraft({ manualIds: [id, id] })] });
    const after = (await entries(water)).find((e) => e.entry.id === id)?.reuse;
    expect(after).toMatchObject({ opened: (before?.opened ?? 0) + 3, linked: (before?.linked ?? 0) + 2, sentBySms: (before?.sentBySms ?? 0) + 1 });
    const sms = (await get(lead, '/api/sms?limit=5')).body as { messages: { text: string }[] };
    expect(sms.messages.some((m) => m.text.includes('[동파 신고] 급수과 054-270-1234'))).toBe(true);
  });

  it('serves the portal page under its own policy, and nothing outside its assets', async () => {
    const page = await fetch(`${server.url}/portal/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    expect((await fetch(`${server.url}/portal/assets/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/portal/assets/nothing.js`)).status).toBe(404);
  });
});
