import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCacheDb } from '../../../../../electron/core/cache/cache-db';
import { createOutbox } from '../../../../../electron/core/outbox/outbox';
import { createRecordingOutbox } from '../../../../../electron/core/outbox/recording-outbox';
import { CityApiError } from '../../../../../electron/core/sync/city-api';
import type { DeskRecordingMeta } from '../../../../../shared/recording';
import { testLogger } from '../../../../helpers/core';
import { draft } from '../../../../helpers/records';

const DAY = 86_400_000;
const tick = () => new Promise((r) => setTimeout(r, 0));

function setup(upload: (meta: DeskRecordingMeta, audio: Buffer) => Promise<{ id: string; duplicate: boolean }>) {
  const db = openCacheDb(join(mkdtempSync(join(tmpdir(), 'minwon-recout-')), 'cache.sqlite'));
  let now = new Date('2026-12-07T01:00:00Z');
  const clock = () => now;
  const timers: (() => void)[] = [];
  const logger = testLogger();
  const recordings = createRecordingOutbox(db, { upload, clock, logger, timers: { setTimeout: (fn) => timers.push(fn), clearTimeout: () => {} } });
  const records = createOutbox(db, { phone: { areaCode: '054', region: 'KR' }, clock, agentId: () => 'agent-1' });
  const meta = (recordId: string): DeskRecordingMeta => ({ id: randomUUID(), recordId, callId: `${randomUUID()}@ws`, startedAt: now.toISOString(), endedAt: now.toISOString(), mediaType: 'audio/webm' });
  return { db, logger, timers, recordings, records, meta, later: (ms: number) => (now = new Date(now.getTime() + ms)), rows: () => db.prepare('SELECT record_id, held, last_error FROM recording_outbox ORDER BY created_at').all() as { record_id: string; held: number; last_error: string | null }[] };
}

describe('the desk’s recording outbox', () => {
  it('keeps a recording through an outage and sends it once the city is back; a refused one stays with its reason and blocks nothing', async () => {
    let up = false;
    const sent: string[] = [];
    const s = setup(async (m) => {
      if (!up) throw new CityApiError('network', 'city server unreachable');
      if (m.callId.startsWith('bad')) throw new CityApiError('http', 'recording: invalid: the body is not audio/webm audio', 400);
      sent.push(m.recordId);
      return { id: m.id, duplicate: false };
    });
    const [a, b] = [randomUUID(), randomUUID()];
    s.recordings.save({ ...s.meta(a), callId: 'bad-call@ws' }, Buffer.from('x'));
    s.recordings.save(s.meta(b), Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
    await tick();
    expect(s.recordings.pending()).toBe(2);
    expect(s.timers).toHaveLength(1);
    up = true;
    s.timers.shift()?.();
    await s.recordings.flush();
    expect(sent).toEqual([b]);
    expect(s.rows()).toEqual([{ record_id: a, held: 0, last_error: 'recording: invalid: the body is not audio/webm audio' }]);
    expect(s.recordings.pending()).toBe(0);
    expect(s.logger.lines.some((l) => l.includes('the city refused recording'))).toBe(true);
  });

  it('deletes what it could not deliver within the city’s recording retention, but a reported call’s recording, whichever was saved first', async () => {
    const s = setup(async () => {
      throw new CityApiError('network', 'city server unreachable');
    });
    const plain = draft({ callerNumber: '010-5550-1234' });
    const reportedFirst = draft({ callerNumber: '010-5550-1234', report: 'sexual-harassment' });
    const reportedAfter = draft({ callerNumber: '010-5550-1234', report: 'threat' });
    s.records.save(plain);
    s.records.save(reportedFirst);
    s.recordings.save(s.meta(plain.id), Buffer.from('a'));
    s.recordings.save(s.meta(reportedFirst.id), Buffer.from('b'));
    s.recordings.save(s.meta(reportedAfter.id), Buffer.from('c'));
    s.records.save(reportedAfter);
    s.recordings.hold(reportedAfter.id);
    s.later(59 * DAY);
    expect(s.recordings.purge(60)).toBe(0);
    s.later(2 * DAY);
    expect(s.recordings.purge(60)).toBe(1);
    expect(s.rows().map((r) => r.record_id).sort()).toEqual([reportedFirst.id, reportedAfter.id].sort());
  });
});
