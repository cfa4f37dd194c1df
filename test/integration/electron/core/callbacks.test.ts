import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Callback } from '../../../../shared/callback';
import { testCore, testLogger } from '../../../helpers/core';
import { startFaultProxy, type Fault, type FaultProxy } from '../../../helpers/fault-proxy';
import { call, login, openAroundTheClock } from '../../../helpers/http';
import { startCityServerProcess, type CityServerProcess } from '../../../helpers/processes';
import { waitFor } from '../../../helpers/wait';

// Issue 19: what the agent says of a callback attempt is one click, even with the city server out
// of reach: the desk keeps it (its outbox) and delivers it once; the wrap-up record names the
// callback, so the lead reads the outcome and the consultation as one.

let server: CityServerProcess;
let proxy: FaultProxy;
let lead: string;
let agent: string;
let fault: (path: string) => Fault = () => 'pass';

beforeAll(async () => {
  server = await startCityServerProcess(mkdtempSync(join(tmpdir(), 'minwon-core-callbacks-')), { demo: true });
  [lead, agent] = await Promise.all([login(server.url, 'lead1', 'lead1'), login(server.url, 'agent1', 'agent1')]);
  await openAroundTheClock(server.url, lead);
  proxy = await startFaultProxy(() => server.url, (req) => fault((req.url ?? '').split('?')[0] as string));
});
afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

const done = async () => ((await call(server.url, lead, '/api/callbacks?state=done')).body as { callbacks: Callback[] }).callbacks;
const open = async () => ((await call(server.url, lead, '/api/callbacks?state=open')).body as { callbacks: Callback[] }).callbacks;

/** A callback agent1 keeps, offered to agent1 (who turns ready), accepted through `core`: the attempt. */
async function acceptedThrough(core: ReturnType<typeof testCore>, number: string) {
  const asked = await call(server.url, agent, '/api/callbacks', { method: 'POST', body: JSON.stringify({ number, keep: true }) });
  expect(asked.status).toBe(200);
  await call(server.url, agent, '/api/presence', { method: 'PUT', body: JSON.stringify({ state: 'ready', reason: null }) });
  const offer = (await core.handlers.myCallbacks({})).callbacks.find((c) => c.state === 'offered');
  expect(offer?.number).toBe(`+82${number.slice(1).replaceAll('-', '')}`);
  const { attemptId } = await core.handlers.acceptCallback({ id: (offer as Callback).id });
  return { id: (offer as Callback).id, attemptId };
}

describe('callback outcomes from the desk', () => {
  it('keeps the outcome through an outage, delivers it once when the answer is lost, and links the wrap-up record', async () => {
    const logger = testLogger();
    const core = testCore(join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite'), proxy.url, { timeoutMs: 2_000, logger });
    try {
      const { id, attemptId } = await acceptedThrough(core, '010-4444-0101');

      // The city out of reach: the click is kept, and the desk no longer shows the attempt as unsettled.
      fault = (path) => (path === '/api/callbacks/outcomes' ? 'cut' : 'pass');
      expect(await core.handlers.callbackOutcome({ id, attemptId, outcome: 'reached' })).toEqual({ pending: 1 });
      await waitFor(async () => logger.lines.join('\n'), (l) => l.includes('callback outcomes: 1 line(s) not delivered'), 5_000);
      expect((await open()).find((c) => c.id === id)).toMatchObject({ state: 'dialling', openAttempt: { id: attemptId } });
      expect((await core.handlers.myCallbacks({})).callbacks.map((c) => c.id)).not.toContain(id);

      // Back, but the answer to the first delivery is lost: the city settled it, the desk sends it again.
      let forwarded = 0;
      fault = (path) => (path === '/api/callbacks/outcomes' && forwarded++ === 0 ? 'cut-after-forward' : 'pass');
      const outboxed = async () => core.db.prepare('SELECT COUNT(*) FROM callback_outcome_outbox').pluck().get();
      await waitFor(outboxed, (n) => n === 0, 20_000);
      expect(forwarded).toBe(2);
      expect((await done()).find((c) => c.id === id)).toMatchObject({ state: 'completed', attempts: 1, lastOutcome: 'reached', openAttempt: null });
      expect(logger.lines.filter((l) => l.includes('refused'))).toEqual([]);

      // The wrap-up names the callback: the lead reads its record beside the outcome.
      const record = { id: randomUUID(), callerNumber: '010-4444-0101', startedAt: new Date(Date.now() - 60_000).toISOString(), endedAt: new Date().toISOString(), category: '상수도/요금', outcome: 'answered' as const, manualIds: [], notes: '콜백으로 안내', department: null, smsEntryIds: [], callbackId: id };
      await core.handlers.saveRecord(record);
      await core.syncNow();
      expect((await done()).find((c) => c.id === id)?.recordId).toBe(record.id);
    } finally {
      fault = () => 'pass';
      await core.close();
    }
  }, 60_000);

  it('drops a record’s link to a callback its agent never dialled, and keeps the record', async () => {
    const core = testCore(join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite'), proxy.url, { user: 'agent2' });
    try {
      const asked = await call(server.url, agent, '/api/callbacks', { method: 'POST', body: JSON.stringify({ number: '010-4444-0102' }) });
      const id = (asked.body as { callback: Callback }).callback.id;
      const record = { id: randomUUID(), callerNumber: '010-4444-0102', startedAt: new Date(Date.now() - 60_000).toISOString(), endedAt: new Date().toISOString(), category: '상수도/요금', outcome: 'answered' as const, manualIds: [], notes: '', department: null, smsEntryIds: [], callbackId: id };
      await core.handlers.saveRecord(record);
      const report = await core.syncNow();
      expect(report).toMatchObject({ uploaded: 1 });
      expect((await open()).find((c) => c.id === id)?.recordId).toBeNull();
    } finally {
      await core.close();
    }
  });
});
