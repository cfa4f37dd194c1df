import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheDb, setMeta, type CacheDb } from '../../../../electron/core/cache/cache-db';
import { createOutbox } from '../../../../electron/core/outbox/outbox';
import { createDailySummary } from '../../../../electron/core/screen-pop/daily-summary';
import { coreContract, dailySummarySchema } from '../../../../shared/contract';
import type { Outcome } from '../../../../shared/record';
import { testCore } from '../../../helpers/core';
import { draft } from '../../../helpers/records';

const open: CacheDb[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'minwon-daily-')), 'cache.sqlite');

/** Writes a synced history row, as the sync does. */
function insertRecord(db: CacheDb, o: { agent?: string; startedAt: string; seconds: number; category?: string; outcome?: Outcome }): void {
  db.prepare(
    `INSERT INTO history(id, caller_e164, agent_id, started_at, ended_at, category, outcome, manual_ids, notes, department)
     VALUES (?, '+821023456789', ?, ?, ?, ?, ?, '[]', '', NULL)`,
  ).run(
    randomUUID(),
    o.agent ?? 'agent-a',
    o.startedAt,
    new Date(Date.parse(o.startedAt) + o.seconds * 1000).toISOString(),
    o.category ?? '상수도/누수',
    o.outcome ?? 'answered',
  );
}

function desk(agentId: string | null = 'agent-a') {
  const db = openCacheDb(tempFile());
  open.push(db);
  if (agentId) setMeta(db, 'agentId', agentId);
  const summary = createDailySummary(db);
  return { db, summary: (day: string) => dailySummarySchema.parse(summary.dailySummary({ day })) };
}

describe('the daily summary', () => {
  it("counts this agent's calls of the Seoul day, synced and not yet uploaded alike", () => {
    const d = desk();
    // 2026-11-20 in Seoul is [2026-11-19T15:00Z, 2026-11-20T15:00Z).
    insertRecord(d.db, { startedAt: '2026-11-19T15:00:00.000Z', seconds: 300 });
    insertRecord(d.db, { startedAt: '2026-11-20T14:59:59.000Z', seconds: 120, outcome: 'callback' });
    insertRecord(d.db, { startedAt: '2026-11-19T14:59:59.999Z', seconds: 999, category: '여권/수수료' });
    insertRecord(d.db, { startedAt: '2026-11-20T15:00:00.000Z', seconds: 999, category: '여권/수수료' });
    insertRecord(d.db, { agent: 'agent-b', startedAt: '2026-11-20T03:00:00.000Z', seconds: 999, category: '여권/수수료' });
    // Saved on this desk with the local offset, still in the outbox.
    const outbox = createOutbox(d.db, { phone: { areaCode: '054' }, clock: () => new Date('2026-11-20T15:00:00Z'), agentId: () => 'agent-a' });
    outbox.save(draft({ startedAt: '2026-11-20T23:30:00+09:00', endedAt: '2026-11-20T23:31:00+09:00', category: '교통/과태료', outcome: 'complaint' }));
    outbox.save(draft({ startedAt: '2026-11-21T00:30:00+09:00', endedAt: '2026-11-21T00:40:00+09:00', category: '여권/수수료' }));

    expect(d.summary('2026-11-20')).toEqual({
      day: '2026-11-20',
      agentId: 'agent-a',
      handled: 3,
      averageHandlingSeconds: 160,
      byCategory: [
        { category: '상수도/누수', count: 2 },
        { category: '교통/과태료', count: 1 },
      ],
      byOutcome: { answered: 1, transferred: 0, callback: 1, complaint: 1 },
    });
    const next = d.summary('2026-11-21');
    expect(next.handled).toBe(2);
    expect(next.byCategory).toEqual([{ category: '여권/수수료', count: 2 }]);
    expect(next.averageHandlingSeconds).toBe((999 + 600) / 2);
  });

  it('lists the ten commonest categories, commonest first', () => {
    const d = desk();
    for (let c = 0; c < 12; c++) {
      for (let i = 0; i <= c; i++) insertRecord(d.db, { startedAt: `2026-11-20T0${i % 9}:00:00.000Z`, seconds: 60, category: `분류/${String(c).padStart(2, '0')}` });
    }
    const s = d.summary('2026-11-20');
    expect(s.handled).toBe(78);
    expect(s.byCategory).toHaveLength(10);
    expect(s.byCategory[0]).toEqual({ category: '분류/11', count: 12 });
    expect(s.byCategory.at(-1)).toEqual({ category: '분류/02', count: 3 });
    expect(s.averageHandlingSeconds).toBe(60);
  });

  it('is empty for a day without calls, and before the desk knows its agent', () => {
    const d = desk();
    insertRecord(d.db, { startedAt: '2026-11-20T03:00:00.000Z', seconds: 60 });
    expect(d.summary('2026-11-22')).toEqual({
      day: '2026-11-22',
      agentId: 'agent-a',
      handled: 0,
      averageHandlingSeconds: null,
      byCategory: [],
      byOutcome: { answered: 0, transferred: 0, callback: 0, complaint: 0 },
    });
    const anonymous = desk(null);
    insertRecord(anonymous.db, { startedAt: '2026-11-20T03:00:00.000Z', seconds: 60 });
    expect(anonymous.summary('2026-11-20')).toMatchObject({ agentId: null, handled: 0, averageHandlingSeconds: null });
  });

  it('takes a calendar day only', () => {
    const params = coreContract.methods.dailySummary.params;
    expect(params.parse({ day: '2026-11-20' })).toEqual({ day: '2026-11-20' });
    for (const day of ['2026-02-30', '20261120', '2026-11-20T00:00:00Z', '', 'today']) expect(params.safeParse({ day }).success, day).toBe(false);
    expect(() => desk().summary('2026-13-01')).toThrow();
  });

  it('is wired into the agent core', async () => {
    const core = testCore(tempFile(), 'http://127.0.0.1:9');
    try {
      setMeta(core.db, 'agentId', 'agent-a');
      insertRecord(core.db, { startedAt: '2026-11-20T03:00:00.000Z', seconds: 90, outcome: 'transferred' });
      const s = dailySummarySchema.parse(await core.handlers.dailySummary({ day: '2026-11-20' }));
      expect(s).toMatchObject({ handled: 1, averageHandlingSeconds: 90, byOutcome: { transferred: 1 } });
    } finally {
      await core.close();
    }
  });
});
