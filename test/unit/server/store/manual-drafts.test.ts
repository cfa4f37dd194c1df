import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../shared/migrations';
import type { Department } from '../../../../shared/directory';
import type { DraftContent } from '../../../../shared/knowledge';
import { replaceDirectory } from '../../../../server/store/directory';
import { portalEntries } from '../../../../server/store/entry-upkeep';
import { getEntry, upsertEntries } from '../../../../server/store/manual';
import { createDraft, decideDraft, editDraft, entryVersions, publishDue, setOwner, submitDraft, verifyEntry, withdrawDraft } from '../../../../server/store/manual-drafts';
import { answerFlag, listFlags, takeFlags } from '../../../../server/store/manual-flags';
import { putSetting } from '../../../../server/store/settings';
import type { CityStore } from '../../../../server/store/sql';
import { SCHEMA } from '../../../../server/store/schema';
import { createUser, type User } from '../../../../server/store/users';
import { storeEngines } from '../../../helpers/store-engines';

// The departments' drafts and their review (issue 21), on both engines: who may write what, the
// reviewer who is never the author, the published entry live while its next draft is reviewed,
// scheduled publication, archive, flags closed by a publication, verification and owners.

const NOW = new Date('2026-12-07T01:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const DAY = 86_400_000;

const department = (id: string, name: string): Department => ({ id, name, duties: [], phone: '054-270-0000', staff: [] });

async function city(db: CityStore) {
  await replaceDirectory(db, [department('water-supply', '급수과'), department('tax', '세정과')]);
  const user = (username: string, role: User['role'], dept?: string) => createUser(db, { username, displayName: username, role, password: 'pw-long-enough', ...(dept ? { department: dept } : {}) }, NOW);
  const water = await user('water1', 'editor', 'water-supply');
  const water2 = await user('water2', 'editor', 'water-supply');
  const taxEditor = await user('tax1', 'editor', 'tax');
  const reviewer = await user('review1', 'reviewer');
  const reviewer2 = await user('review2', 'reviewer');
  await upsertEntries(
    db,
    [
      { id: 'W-1', category: '상수도/누수', title: '누수 신고', body: '누수는 급수과로 신고합니다.', keywords: ['누수'], department: 'water-supply', updatedAt: '2026-01-05T00:00:00Z' },
      { id: 'T-1', category: '지방세/자동차세', title: '자동차세 연납', body: '1월에 연납하면 할인됩니다.', department: 'tax' },
    ],
    'import',
    NOW,
  );
  return { water, water2, taxEditor, reviewer, reviewer2 };
}

const content = (over: Partial<DraftContent> = {}): DraftContent => ({
  kind: 'manual',
  category: '상수도/누수',
  title: '누수 신고',
  body: '누수는 급수과(054-270-1234)로 신고합니다. 야간에는 당직실로 연결합니다.',
  keywords: ['누수', '물샘'],
  sections: { spoken: '급수과로 연결해 드립니다.', sms: '[누수 신고] 급수과 054-270-1234' },
  ...over,
});

const ok = <T>(r: T | string): T => {
  if (typeof r === 'string') throw new Error(`refused: ${r}`);
  return r;
};

describe.each(storeEngines())('manual drafts on $name', ({ open }) => {
  it('goes draft → review → published; the entry stays live as it was until the approval, with every version kept', async () => {
    const db = await open();
    const u = await city(db);
    const draft = ok(await createDraft(db, u.water, { entryId: 'W-1', action: 'publish' }, NOW));
    expect(draft).toMatchObject({ state: 'draft', department: 'water-supply', baseVersion: 1, author: 'water1' });
    expect(draft.content.body).toBe('누수는 급수과로 신고합니다.');
    ok(await editDraft(db, u.water, draft.id, content(), later(1000)));
    ok(await submitDraft(db, u.water, draft.id, later(2000)));
    // In review: the desks still have the published wording, and the draft cannot change under the reviewer.
    expect((await getEntry(db, 'W-1'))?.body).toBe('누수는 급수과로 신고합니다.');
    expect(await editDraft(db, u.water, draft.id, content({ body: '바뀜' }), later(3000))).toBe('not-editable');
    // A second draft of the same entry is refused while this one is open.
    expect(await createDraft(db, u.water2, { entryId: 'W-1', action: 'publish' }, later(3000))).toBe('draft-open');
    const approved = ok(await decideDraft(db, u.reviewer, draft.id, { decision: 'approve', comment: '확인했습니다' }, later(4000)));
    expect(approved).toMatchObject({ state: 'published', publishedVersion: 2, reviewer: 'review1' });
    const live = await getEntry(db, 'W-1');
    expect(live).toMatchObject({ version: 2, body: content().body, sections: content().sections, department: 'water-supply' });
    const versions = await entryVersions(db, 'W-1');
    expect(versions.map((v) => [v.version, v.changedBy, v.reviewer])).toEqual([
      [2, 'water1', 'review1'],
      [1, 'import', null],
    ]);
    expect(versions[1]?.entry?.body).toBe('누수는 급수과로 신고합니다.');
    // A new draft may start now.
    expect(await createDraft(db, u.water2, { entryId: 'W-1', action: 'publish' }, later(5000))).toMatchObject({ state: 'draft', baseVersion: 2 });
  });

  it('never lets the author approve, an editor touch another department, or anyone but a reviewer decide', async () => {
    const db = await open();
    const u = await city(db);
    expect(await createDraft(db, u.water, { entryId: 'T-1', action: 'publish' }, NOW)).toBe('other-department');
    const byReviewer = ok(await createDraft(db, u.reviewer, { action: 'publish', department: 'tax', content: content({ category: '지방세/자동차세', title: '자동차세 분할 납부' }) }, NOW));
    expect(byReviewer.department).toBe('tax');
    expect(await editDraft(db, u.water, byReviewer.id, content(), NOW)).toBe('other-department');
    ok(await submitDraft(db, u.reviewer, byReviewer.id, NOW));
    expect(await decideDraft(db, u.reviewer, byReviewer.id, { decision: 'approve' }, NOW)).toBe('own-draft');
    expect(await decideDraft(db, u.taxEditor, byReviewer.id, { decision: 'approve' }, NOW)).toBe('not-reviewer');
    expect(await decideDraft(db, u.reviewer2, byReviewer.id, { decision: 'approve' }, NOW)).toMatchObject({ state: 'published' });
    expect(await getEntry(db, byReviewer.entryId)).toMatchObject({ title: '자동차세 분할 납부', department: 'tax', version: 1 });
    // A reviewer who edited a department's draft is its co-author: another reviewer approves it.
    const edited = ok(await createDraft(db, u.water, { entryId: 'W-1', action: 'publish' }, NOW));
    expect(ok(await editDraft(db, u.reviewer2, edited.id, content(), NOW)).editors).toEqual(['review2']);
    ok(await editDraft(db, u.water, edited.id, content({ body: '다시 고침' }), NOW));
    ok(await submitDraft(db, u.water, edited.id, NOW));
    expect(await decideDraft(db, u.reviewer2, edited.id, { decision: 'approve' }, NOW)).toBe('own-draft');
    expect(await decideDraft(db, u.reviewer, edited.id, { decision: 'approve' }, NOW)).toMatchObject({ state: 'published', editors: ['review2'] });
    // A new entry is its author's to answer for.
    expect((await portalEntries(db, { department: 'tax' }, NOW)).find((e) => e.entry.id === byReviewer.entryId)?.owner).toBe('review1');
  });

  it('returns a rejected draft with the reviewer’s comment; revised, it goes back to review', async () => {
    const db = await open();
    const u = await city(db);
    const d = ok(await createDraft(db, u.water, { entryId: 'W-1', action: 'publish', content: content() }, NOW));
    ok(await submitDraft(db, u.water, d.id, NOW));
    const rejected = ok(await decideDraft(db, u.reviewer, d.id, { decision: 'reject', comment: '야간 연락처를 적어 주세요' }, later(1000)));
    expect(rejected).toMatchObject({ state: 'rejected', reviewer: 'review1' });
    expect(rejected.comments).toEqual([{ by: 'review1', at: later(1000).toISOString(), text: '야간 연락처를 적어 주세요', kind: 'reject' }]);
    expect(await decideDraft(db, u.reviewer, d.id, { decision: 'approve' }, later(1500))).toBe('not-in-review');
    ok(await editDraft(db, u.water2, d.id, content({ body: '야간에는 054-270-9999' }), later(2000)));
    expect(ok(await submitDraft(db, u.water2, d.id, later(3000))).state).toBe('review');
    expect((await getEntry(db, 'W-1'))?.version).toBe(1);
  });

  it('refuses to approve a draft of an entry that changed meanwhile (stale)', async () => {
    const db = await open();
    const u = await city(db);
    const d = ok(await createDraft(db, u.water, { entryId: 'W-1', action: 'publish', content: content() }, NOW));
    ok(await submitDraft(db, u.water, d.id, NOW));
    // A team lead's urgent fix through the API, while the draft waits.
    await upsertEntries(db, [{ id: 'W-1', category: '상수도/누수', title: '누수 신고', body: '긴급 수정', department: 'water-supply' }], 'lead1', later(1000));
    expect(await decideDraft(db, u.reviewer, d.id, { decision: 'approve' }, later(2000))).toBe('stale');
    expect((await getEntry(db, 'W-1'))?.body).toBe('긴급 수정');
    expect(ok(await withdrawDraft(db, u.water, d.id, later(3000))).state).toBe('withdrawn');
  });

  it('publishes a scheduled draft at its Seoul midnight, not before', async () => {
    const db = await open();
    const u = await city(db);
    const d = ok(await createDraft(db, u.water, { entryId: 'W-1', action: 'publish', content: content({ body: '2027년 1월 1일부터 요금이 바뀝니다.' }) }, NOW));
    ok(await submitDraft(db, u.water, d.id, NOW));
    const scheduled = ok(await decideDraft(db, u.reviewer, d.id, { decision: 'approve', publishOn: '2027-01-01' }, NOW));
    expect(scheduled).toMatchObject({ state: 'scheduled', publishAt: '2026-12-31T15:00:00.000Z' });
    expect(await publishDue(db, new Date('2026-12-31T14:59:59Z'))).toBe(0);
    expect((await getEntry(db, 'W-1'))?.version).toBe(1);
    expect(await publishDue(db, new Date('2026-12-31T15:00:00Z'))).toBe(1);
    expect(await getEntry(db, 'W-1')).toMatchObject({ version: 2, body: '2027년 1월 1일부터 요금이 바뀝니다.' });
    // Once.
    expect(await publishDue(db, new Date('2026-12-31T16:00:00Z'))).toBe(0);
  });

  it('archives an entry through review, and a publication closes the open flags on it as fixed', async () => {
    const db = await open();
    const u = await city(db);
    const flag = { id: randomUUID(), entryId: 'W-1', entryVersion: 1, kind: 'outdated' as const, note: '전화번호가 바뀜', at: NOW.toISOString(), duringCall: true };
    expect(await takeFlags(db, [flag], 'agent1', NOW)).toEqual({ stored: [flag.id], duplicates: [], refused: [] });
    const d = ok(await createDraft(db, u.water, { entryId: 'W-1', action: 'publish', content: content() }, NOW));
    ok(await submitDraft(db, u.water, d.id, NOW));
    ok(await decideDraft(db, u.reviewer, d.id, { decision: 'approve' }, later(1000)));
    expect(await listFlags(db, { agent: 'agent1' })).toMatchObject([{ id: flag.id, state: 'fixed', fixedVersion: 2, closedBy: 'water1', entryTitle: '누수 신고' }]);
    const archive = ok(await createDraft(db, u.water, { entryId: 'W-1', action: 'archive' }, later(2000)));
    ok(await submitDraft(db, u.water, archive.id, later(2000)));
    ok(await decideDraft(db, u.reviewer, archive.id, { decision: 'approve' }, later(3000)));
    expect(await getEntry(db, 'W-1')).toBeNull();
    expect((await entryVersions(db, 'W-1'))[0]).toMatchObject({ version: 3, entry: null, reviewer: 'review1' });
    // A sheet naming the archived id brings it back only for its own department.
    expect(await createDraft(db, u.taxEditor, { entryId: 'W-1', action: 'publish', content: content({ category: '지방세/자동차세' }) }, later(4000), { newWithId: true })).toBe('other-department');
    expect(await createDraft(db, u.water, { entryId: 'W-1', action: 'publish', content: content() }, later(4000))).toBe('no-entry');
    expect(await createDraft(db, u.water, { entryId: 'W-1', action: 'publish', content: content() }, later(4000), { newWithId: true })).toMatchObject({ entryId: 'W-1', baseVersion: null });
  });

  it('keeps each flag once, addressed to the entry’s department; the department answers it, nobody else', async () => {
    const db = await open();
    const u = await city(db);
    const flag = { id: randomUUID(), entryId: 'T-1', entryVersion: 1, kind: 'wrong' as const, note: '할인율이 틀림', at: NOW.toISOString(), duringCall: false };
    await takeFlags(db, [flag], 'agent1', NOW);
    expect(await takeFlags(db, [flag, { ...flag, id: randomUUID(), entryId: 'GONE' }], 'agent1', later(1000))).toMatchObject({ stored: [], duplicates: [flag.id], refused: [{ reason: 'no manual entry GONE' }] });
    expect(await takeFlags(db, [flag], 'agent2', later(1000))).toMatchObject({ refused: [{ id: flag.id }] });
    expect(await listFlags(db, { department: 'tax', states: ['open'] })).toHaveLength(1);
    expect(await listFlags(db, { department: 'water-supply' })).toHaveLength(0);
    expect(await answerFlag(db, u.water, flag.id, '맞습니다', NOW)).toBe('other-department');
    expect(await answerFlag(db, u.taxEditor, flag.id, '할인율은 올해 그대로입니다', later(2000))).toMatchObject({ state: 'answered', reply: '할인율은 올해 그대로입니다', closedBy: 'tax1' });
    expect(await answerFlag(db, u.reviewer, flag.id, '또', later(3000))).toBe('closed');
  });

  it('lists entries past their verification by the category’s interval; verifying resets it; owners are the department’s editors', async () => {
    const db = await open();
    const u = await city(db);
    await putSetting(db, { key: 'knowledge', value: { verifyDays: 400, verifyDaysByCategory: { 상수도: 180 } } });
    // W-1 was last revised 2026-01-05: 180 days for 상수도 have passed; T-1 (today, 400 days) is fine.
    const overdue = await portalEntries(db, { overdueOnly: true }, NOW);
    expect(overdue.map((e) => [e.entry.id, e.verifyBy])).toEqual([['W-1', new Date(Date.parse('2026-01-05T00:00:00Z') + 180 * DAY).toISOString()]]);
    expect(await verifyEntry(db, u.taxEditor, 'W-1', NOW)).toBe('other-department');
    expect(await verifyEntry(db, u.water, 'W-1', NOW)).toBe('verified');
    expect(await portalEntries(db, { overdueOnly: true }, NOW)).toEqual([]);
    expect(await setOwner(db, u.water, 'W-1', 'tax1')).toBe('other-department');
    expect(await setOwner(db, u.water, 'W-1', 'water2')).toBe('set');
    expect((await portalEntries(db, { department: 'water-supply' }, NOW))[0]).toMatchObject({ owner: 'water2', overdue: false, draft: null });
  });
});

describe('the knowledge migration', () => {
  it('counts the links of the records already stored, and verifies entries as of their date', () => {
    const file = new Database(':memory:');
    const step = SCHEMA.findIndex((s) => s.includes('CREATE TABLE manual_drafts'));
    migrate(file, SCHEMA.slice(0, step));
    file.prepare("INSERT INTO manual_entries(id, kind, category, title, body, keywords, department, updated_at, version) VALUES ('W-1', 'manual', '상수도/누수', '누수', '본문', '[]', NULL, '2026-03-01T00:00:00Z', 1)").run();
    const record = (id: string, ids: string[]) =>
      file
        .prepare("INSERT INTO records(id, agent_id, caller_raw, caller_e164, started_at, ended_at, category, outcome, manual_ids, notes, department, received_at, batch_key) VALUES (?, 'a', '', NULL, ?, ?, 'c', 'answered', ?, '', NULL, ?, 'b')")
        .run(id, NOW.toISOString(), NOW.toISOString(), JSON.stringify(ids), NOW.toISOString());
    record('r1', ['W-1', 'X-9']);
    record('r2', ['W-1']);
    record('r3', []);
    file.prepare("INSERT INTO users(id, username, display_name, role, password_hash, created_at) VALUES ('u1', 'agent1', '김상담', 'agent', 'x', ?)").run(NOW.toISOString());
    file.prepare("INSERT INTO sessions(token_hash, user_id, expires_at) VALUES ('t', 'u1', 1)").run();
    migrate(file, SCHEMA);
    expect(file.prepare('SELECT entry_id, count FROM entry_links ORDER BY entry_id').all()).toEqual([
      { entry_id: 'W-1', count: 2 },
      { entry_id: 'X-9', count: 1 },
    ]);
    expect(file.prepare("SELECT verified_at FROM manual_entries WHERE id = 'W-1'").get()).toEqual({ verified_at: '2026-03-01T00:00:00Z' });
    // The accounts survive the rebuild (their sessions do not: everyone signs in again).
    expect(file.prepare('SELECT username, role, department FROM users').all()).toEqual([{ username: 'agent1', role: 'agent', department: null }]);
  });
});
