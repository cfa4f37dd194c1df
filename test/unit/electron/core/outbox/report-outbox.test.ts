import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccessEvent } from '../../../../../shared/access-log';
import { openCacheDb } from '../../../../../electron/core/cache/cache-db';
import { createReportOutbox } from '../../../../../electron/core/outbox/report-outbox';
import { testLogger } from '../../../../helpers/core';

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup(upload: (events: AccessEvent[]) => Promise<{ refused: { index: number; reason: string }[] }>, more: { batch?: number; delivered?: (events: AccessEvent[]) => void } = {}) {
  const db = openCacheDb(join(mkdtempSync(join(tmpdir(), 'minwon-report-')), 'cache.sqlite'));
  const logger = testLogger();
  const timers: { fn: () => void; ms: number }[] = [];
  let n = 0;
  const outbox = createReportOutbox<AccessEvent>(db, {
    table: 'access_outbox',
    what: 'access log',
    upload,
    clock: () => new Date('2026-12-07T01:00:00Z'),
    newId: () => `00000000-0000-4000-8000-00000000000${n++}`,
    timers: { setTimeout: (fn, ms) => timers.push({ fn, ms }), clearTimeout: () => {} },
    logger,
    ...more,
  });
  return { db, logger, timers, outbox, pending: () => db.prepare('SELECT COUNT(*) FROM access_outbox').pluck().get() as number };
}

describe('the report outbox', () => {
  it('keeps each line until the city has it, and sends it once it can', async () => {
    let up = false;
    const sent: string[] = [];
    const s = setup(async (events) => {
      if (!up) throw new Error('city unreachable');
      sent.push(...events.map((e) => e.subject));
      return { refused: [] };
    });
    s.outbox.record({ subject: '+821011112222', purpose: 'screen-pop' });
    await tick();
    expect(s.pending()).toBe(1);
    expect(s.timers.map((t) => t.ms)).toEqual([5_000]);
    up = true;
    s.timers[0]?.fn();
    await s.outbox.flush();
    expect(sent).toEqual(['+821011112222']);
    expect(s.pending()).toBe(0);
  });

  it('drops a line the city refuses, saying why', async () => {
    const s = setup(async () => ({ refused: [{ index: 0, reason: 'not yours' }] }));
    s.outbox.record({ subject: '+821011112222', purpose: 'screen-pop' });
    await s.outbox.flush();
    expect(s.pending()).toBe(0);
    expect(s.logger.lines).toContain('warn access log: the city refused a line (not yours)');
  });

  it('touches nothing once closed, even when an upload answers afterwards: the line goes again next time', async () => {
    let answer: (v: { refused: [] }) => void = () => {};
    const s = setup(() => new Promise((resolve) => (answer = resolve)));
    s.outbox.record({ subject: '+821011112222', purpose: 'caller-history' });
    const running = s.outbox.flush();
    s.outbox.close();
    s.db.close();
    answer({ refused: [] });
    await expect(running).resolves.toBeUndefined();
    expect(s.logger.lines).toEqual([]);
  });

  it('sends at most a batch at a time, and says which lines the city answered for', async () => {
    const batches: number[] = [];
    const delivered: string[][] = [];
    let up = false;
    const s = setup(
      async (events) => {
        if (!up) throw new Error('city unreachable');
        batches.push(events.length);
        return { refused: [] };
      },
      { batch: 2, delivered: (events) => delivered.push(events.map((e) => e.subject)) },
    );
    for (const subject of ['+821011110001', '+821011110002', '+821011110003']) s.outbox.record({ subject, purpose: 'screen-pop' });
    await s.outbox.flush();
    expect(delivered).toEqual([]);
    up = true;
    await s.outbox.flush();
    expect(batches).toEqual([2, 1]);
    expect(delivered).toEqual([['+821011110001', '+821011110002'], ['+821011110003']]);
    expect(s.pending()).toBe(0);
  });
});
