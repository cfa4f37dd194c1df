import { describe, expect, it } from 'vitest';
import type { OpeningHours } from '../../../../shared/callback';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import type { TextPolicy } from '../../../../shared/text-inquiry';
import type { ReadyAgent } from '../../../../server/store/callbacks';
import type { CityStore } from '../../../../server/store/sql';
import { closeThread, getThread, offerThreads, takeInbound, takeReply, takeThread } from '../../../../server/store/text-threads';
import { storeEngines } from '../../../helpers/store-engines';

// A Monday, 10:00 Korea time: open.
const NOW = new Date('2026-12-07T01:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const policy: TextPolicy = { ...DEFAULT_SETTINGS.texts, firstResponseMinutes: 30, reopenHours: 24, maxThreadsPerAgent: 2 };
const hours: OpeningHours = DEFAULT_SETTINGS.openingHours;
const ready = (...agents: [string, number][]): ReadyAgent[] => agents.map(([id, ms]) => ({ id, since: at(ms) }));
let n = 0;

const text = (db: CityStore, number: string, when = NOW) =>
  takeInbound(db, { carrierId: `msg-${++n}`, number, body: '문의', kind: 'sms', receivedAt: when, media: [] }, { now: when, policy, hours });
const offer = (db: CityStore, agents: ReadyAgent[], o: { when?: Date; callsWaiting?: number; busy?: string[] } = {}) =>
  offerThreads(db, { ready: agents, busy: new Set(o.busy ?? []), callsWaiting: o.callsWaiting ?? 0, now: o.when ?? NOW, offerSeconds: 20, maxPerAgent: policy.maxThreadsPerAgent });

describe.each(storeEngines())('text threads on $name', ({ open }) => {
  it('counts the first answer from opening when a text comes at night, and keeps it when the citizen writes again', async () => {
    const db = await open();
    // Sunday 23:00 Korea time: the center opens Monday 09:00.
    const night = new Date('2026-12-06T14:00:00Z');
    const first = await text(db, '+821011110001', night);
    expect((await getThread(db, first.threadId))?.firstResponseDue).toBe('2026-12-07T00:30:00.000Z');
    await text(db, '+821011110001', at(-10 * MIN));
    expect((await getThread(db, first.threadId))?.firstResponseDue).toBe('2026-12-07T00:30:00.000Z');
  });

  it('reopens a thread closed within the city’s hours, and opens a new one after', async () => {
    const db = await open();
    const first = await text(db, '+821011110002');
    expect(await takeThread(db, first.threadId, 'a1', NOW)).toMatchObject({ assignedTo: 'a1' });
    expect(await closeThread(db, first.threadId, { id: 'a2', lead: false }, NOW)).toBe(false);
    expect(await closeThread(db, first.threadId, { id: 'a1', lead: false }, NOW)).toBe(true);
    expect(await text(db, '+821011110002', at(23 * HOUR))).toMatchObject({ threadId: first.threadId, thread: 'reopened' });
    expect(await getThread(db, first.threadId)).toMatchObject({ state: 'open', assignedTo: null, firstResponseAt: null });
    await closeThread(db, first.threadId, { id: 'lead', lead: true }, at(23 * HOUR));
    const later = await text(db, '+821011110002', at(48 * HOUR));
    expect(later).toMatchObject({ thread: 'opened' });
    expect(later.threadId).not.toBe(first.threadId);
  });

  it('offers nothing while calls wait, nothing to an agent just offered a callback, and no more than the city’s threads per agent', async () => {
    const db = await open();
    const threads = [];
    for (let i = 0; i < 4; i++) threads.push((await text(db, `+82101111100${i}`, at(i * 1000))).threadId);
    expect(await offer(db, ready(['a1', 0]), { callsWaiting: 1 })).toEqual([]);
    expect(await offer(db, ready(['a1', 0]), { busy: ['a1'] })).toEqual([]);
    // Longest ready first, the first answer due soonest first.
    expect((await offer(db, ready(['a2', 5000], ['a1', 0]))).map((o) => [o.agent, o.threadId])).toEqual([
      ['a1', threads[0]],
      ['a2', threads[1]],
    ]);
    // An agent with an offer out gets no second one.
    expect(await offer(db, ready(['a1', 0]))).toEqual([]);
    await takeThread(db, threads[0] as string, 'a1', NOW);
    await takeThread(db, threads[2] as string, 'a1', NOW);
    // a1 answers two threads: the city's most.
    expect(await offer(db, ready(['a1', 0]), { when: at(MIN) })).toEqual([]);
  });

  it('passes a lapsed offer on, and not back to the agent who let it lapse for a while', async () => {
    const db = await open();
    const t = await text(db, '+821011112222');
    expect(await offer(db, ready(['a1', 0]))).toMatchObject([{ threadId: t.threadId, agent: 'a1' }]);
    expect(await offer(db, ready(['a1', 0]), { when: at(21_000) })).toEqual([]);
    expect(await offer(db, ready(['a1', 0], ['a2', 1000]), { when: at(22_000) })).toMatchObject([{ threadId: t.threadId, agent: 'a2' }]);
  });

  it('lets the first agent who answers take an unanswered thread; another agent’s reply is refused, a lead’s is not', async () => {
    const db = await open();
    const t = await text(db, '+821011113333');
    const reply = (id: string, by: { id: string; lead: boolean }) =>
      takeReply(db, { line: { id, threadId: t.threadId, text: '답변', at: NOW.toISOString() }, stored: '답변', kind: 'sms', by, now: NOW });
    expect(await reply('00000000-0000-4000-8000-000000000001', { id: 'a1', lead: false })).toBe('stored');
    expect(await getThread(db, t.threadId)).toMatchObject({ assignedTo: 'a1', firstResponseAt: NOW.toISOString() });
    expect(await reply('00000000-0000-4000-8000-000000000002', { id: 'a2', lead: false })).toBe('not-yours');
    expect(await reply('00000000-0000-4000-8000-000000000003', { id: 'lead', lead: true })).toBe('stored');
    expect(await reply('00000000-0000-4000-8000-000000000001', { id: 'a1', lead: false })).toBe('stored');
    expect((await getThread(db, t.threadId, true))?.messages?.filter((m) => m.direction === 'out')).toHaveLength(2);
  });
});
