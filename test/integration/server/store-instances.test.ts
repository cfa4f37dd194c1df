import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesAfter, publishChange } from '../../../server/store/change-log';
import { upsertEntries } from '../../../server/store/manual';
import { putSetting } from '../../../server/store/settings';
import { createSmsSender, listSms, queueSms, type CarrierMessage } from '../../../server/store/sms';
import { openPostgresStore } from '../../../server/store/postgres-store';
import type { CityStore } from '../../../server/store/sql';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { DEFAULT_PHONE as PHONE } from '../../../server/main';

// Issue 18: two store instances on one PostgreSQL database stand for two city servers.
//
// The change log: on PostgreSQL a revision is taken when a change is inserted, not when its transaction
// commits. Desks read the log by "revisions after my cursor": a desk that read revision 12 before
// revision 11's transaction committed would move its cursor past 11 and never see it. Writers hold
// their transactions open a while after publishing, as a slow intake would.

const WRITERS = 10;
const PER_WRITER = 1_000;
const DESKS = 5;

let server: TestPostgres;
let instances: CityStore[];

beforeAll(async () => {
  server = await startPostgres();
  const url = await server.database();
  instances = [await openPostgresStore(url, { poolSize: 8 }), await openPostgresStore(url, { poolSize: 8 })];
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.close()));
  await server.stop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the change log on PostgreSQL, with two instances writing at once', () => {
  it('never lets a desk’s cursor pass a change it has not seen', async () => {
    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < PER_WRITER; i++) {
        const db = instances[(w + i) % 2] as CityStore;
        await db.write(async (tx) => {
          await publishChange(tx, 'setting', `w${w}-${i}`, { key: `w${w}-${i}`, value: i });
          // Committed a little later, sometimes: the window in which a later revision could commit first.
          if (i % 7 === 0) await pause(1);
        });
      }
    });
    const desks = Array.from({ length: DESKS }, async (_, d) => {
      const seen: number[] = [];
      let cursor = 0;
      for (;;) {
        const done = !writing;
        const slice = await changesAfter(instances[d % 2] as CityStore, cursor, 200, 1 << 20, 'desk');
        seen.push(...slice.json.map((j) => (JSON.parse(j) as { rev: number }).rev));
        cursor = slice.lastRev;
        // The last pass starts after every writer finished: it must find the rest.
        if (done && !slice.hasMore) return { seen, cursor };
      }
    });
    await Promise.all(writers);
    writing = false;
    const results = await Promise.all(desks);
    const all = (await (instances[0] as CityStore).all<{ rev: number }>('SELECT rev FROM changes ORDER BY rev')).map((r) => r.rev);
    expect(all).toHaveLength(WRITERS * PER_WRITER);
    for (const r of results) {
      // Every change exactly once, in order: none skipped when the cursor moved on.
      expect(r.seen).toEqual(all);
    }
  }, 120_000);
});

describe('texts sent by two instances at once', () => {
  it('hands each text to the carrier once, and a claim left by a stopped instance expires', async () => {
    const [a, b] = instances as [CityStore, CityStore];
    const now = new Date('2026-12-07T03:00:00Z');
    await putSetting(a, { key: 'smsHours', value: { from: '00:00', to: '23:59' } });
    await upsertEntries(a, [{ id: 'M-SMS-1', category: '상수도/누수', title: '누수 안내', body: '계량기를 잠그세요.' }], 'test', now);
    for (let i = 0; i < 120; i++) {
      await queueSms(a, { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, agentId: `agent-${i % 3}`, callerE164: `+8210${String(55550000 + i)}`, smsEntryIds: ['M-SMS-1'] }, now);
    }
    const sent: string[] = [];
    // A carrier that takes its time: both instances' runs overlap.
    const carrier = { send: async (m: CarrierMessage) => (await pause(2), sent.push(m.to), { messageId: m.ref }) };
    const senders = [createSmsSender({ db: a, carrier, clock: () => now, phone: PHONE }), createSmsSender({ db: b, carrier, clock: () => now, phone: PHONE })];
    for (let round = 0; round < 3; round++) await Promise.all(senders.map((s) => s.flush()));
    expect(sent).toHaveLength(120);
    expect(new Set(sent).size).toBe(120);
    expect((await listSms(a, 200)).every((m) => m.status === 'sent')).toBe(true);

    // An instance that claimed a text and stopped before sending it: nobody sends it until the claim expires.
    await queueSms(a, { id: '00000000-0000-4000-8000-999999999999', agentId: 'agent-1', callerE164: '+821099990000', smsEntryIds: ['M-SMS-1'] }, now);
    await a.run("UPDATE sms_outbox SET claimed_by = 'stopped', claimed_at = ? WHERE recipient = '+821099990000'", [now.toISOString()]);
    expect(await senders[1]?.flush()).toBe(0);
    const later = createSmsSender({ db: b, carrier, clock: () => new Date(now.getTime() + 5 * 60_000 + 1), phone: PHONE });
    expect(await later.flush()).toBe(1);
    expect(sent.filter((to) => to === '+821099990000')).toHaveLength(1);
  }, 60_000);
});
