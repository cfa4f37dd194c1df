import { describe, expect, it } from 'vitest';
import type { CallbackPolicy, OpeningHours } from '../../../../shared/callback';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import {
  acceptOffer,
  agentCallbacks,
  assignCallback,
  cancelCallback,
  declineOffer,
  getCallback,
  listCallbacks,
  offerCallbacks,
  requestCallback,
  settleAttempt,
  type NewCallback,
  type ReadyAgent,
} from '../../../../server/store/callbacks';
import { openPostgresStore } from '../../../../server/store/postgres-store';
import type { CityStore } from '../../../../server/store/sql';
import { databaseUrlOf, storeEngines } from '../../../helpers/store-engines';

// A Monday, 10:00 Korea time: open.
const NOW = new Date('2026-12-07T01:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const MIN = 60_000;
const policy: CallbackPolicy = { ...DEFAULT_SETTINGS.callbacks, maxAttempts: 3, retryMinutes: 30, offerSeconds: 20, ownerMinutes: 60 };
const hours: OpeningHours = DEFAULT_SETTINGS.openingHours;
const ready = (...agents: [string, number][]): ReadyAgent[] => agents.map(([id, ms]) => ({ id, since: at(ms) }));

const ask = (db: CityStore, n: Partial<NewCallback> & { number: string }, when = NOW) =>
  requestCallback(db, { source: 'ivr', numberRaw: n.number, ...n }, { now: when, policy, hours });

describe.each(storeEngines())('the callback queue on $name', ({ name, open }) => {
  it('takes a request, merges another for the same number into it, and answers a replay with the first answer', async () => {
    const db = await open();
    const first = await ask(db, { number: '+821012345678', idempotencyKey: 'ivr-call-0001', callId: 'pbx-1' });
    expect(first).toMatchObject({ merged: false, replayed: false });
    expect(first.callback).toMatchObject({ number: '+821012345678', sources: ['ivr'], state: 'pending', attempts: 0, maxAttempts: 3, askedAt: NOW.toISOString(), dueAt: NOW.toISOString(), callId: 'pbx-1' });
    const replay = await ask(db, { number: '+821012345678', idempotencyKey: 'ivr-call-0001' }, at(5 * MIN));
    expect(replay).toMatchObject({ replayed: true, callback: { id: first.callback.id, sources: ['ivr'] } });
    const web = await ask(db, { number: '+821012345678', source: 'web', topic: '수도 요금' }, at(10 * MIN));
    expect(web).toMatchObject({ merged: true, callback: { id: first.callback.id, sources: ['ivr', 'web'], topic: '수도 요금', askedAt: NOW.toISOString() } });
    expect(await listCallbacks(db, { states: ['pending'], limit: 10 })).toHaveLength(1);
    // Once that one is done, a new request is a new callback.
    await cancelCallback(db, first.callback.id, at(11 * MIN));
    expect((await ask(db, { number: '+821012345678' }, at(12 * MIN))).merged).toBe(false);
  });

  it('merges a request into the open callback: sources once each, the earlier wish, the first details kept', async () => {
    const db = await open();
    const first = (await ask(db, { number: '+821012340000', source: 'agent', dueAt: at(120 * MIN), topic: 'water', note: '처음 메모', callId: 'call-1', owner: 'a' })).callback;
    expect(first).toMatchObject({ dueAt: at(120 * MIN).toISOString(), owner: 'a', ownerUntil: at(180 * MIN).toISOString() });
    // The same source again is not listed twice; an earlier wish moves the due time up; what the first said stays.
    const again = (await ask(db, { number: '+821012340000', source: 'agent', dueAt: at(60 * MIN), topic: 'tax', note: '둘째 메모', callId: 'call-2', owner: 'b' }, at(MIN))).callback;
    expect(again).toMatchObject({ id: first.id, sources: ['agent'], dueAt: at(60 * MIN).toISOString(), topic: 'water', note: '처음 메모', callId: 'call-1', owner: 'a', askedAt: NOW.toISOString() });
    // A later wish does not put it off.
    expect((await ask(db, { number: '+821012340000', source: 'web', dueAt: at(240 * MIN) }, at(2 * MIN))).callback).toMatchObject({ sources: ['agent', 'web'], dueAt: at(60 * MIN).toISOString() });
    // Details missing at first are filled by a later request.
    const bare = (await ask(db, { number: '+821012340001' })).callback;
    expect(bare).toMatchObject({ topic: null, note: null, callId: null, owner: null, ownerUntil: null });
    expect((await ask(db, { number: '+821012340001', source: 'agent', topic: 'tax', note: '메모', callId: 'call-3', owner: 'b' }, at(MIN))).callback).toMatchObject({
      topic: 'tax',
      note: '메모',
      callId: 'call-3',
      owner: 'b',
      ownerUntil: at(61 * MIN).toISOString(),
    });
  });

  it('does not move a callback in flight when a new request for it comes', async () => {
    const db = await open();
    const c = (await ask(db, { number: '+821012340002' })).callback;
    await offerCallbacks(db, { ready: ready(['a', 0]), callsWaiting: 0, now: NOW, offerSeconds: 20 });
    const merged = await ask(db, { number: '+821012340002', source: 'web', dueAt: at(-5 * MIN) }, at(1000));
    expect(merged.callback).toMatchObject({ id: c.id, state: 'offered', dueAt: NOW.toISOString() });
  });

  it('keeps one callback per number when many requests for it arrive at once', async () => {
    const db = await open();
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(db, { number: '+821022223333', idempotencyKey: `burst-${String(i).padStart(4, '0')}` })));
    expect(new Set(all.map((t) => t.callback.id)).size).toBe(1);
    expect(all.filter((t) => !t.merged)).toHaveLength(1);
  });

  it('waits for opening: a request on Saturday is due on Monday at nine, an agent’s for a later time at that time', async () => {
    const db = await open();
    const saturday = new Date('2026-12-12T05:00:00Z');
    expect((await ask(db, { number: '+821033334444' }, saturday)).callback.dueAt).toBe('2026-12-14T00:00:00.000Z');
    const later = await ask(db, { number: '+821033335555', source: 'agent', dueAt: new Date('2026-12-08T06:00:00Z') });
    expect(later.callback.dueAt).toBe('2026-12-08T06:00:00.000Z');
  });

  it('offers the longest-idle ready agent the callback asked first, nothing while calls wait, and one offer per agent', async () => {
    const db = await open();
    const [c1, c2, c3] = [
      (await ask(db, { number: '+821010000001' }, at(-30 * MIN))).callback,
      (await ask(db, { number: '+821010000002' }, at(-20 * MIN))).callback,
      (await ask(db, { number: '+821010000003' }, at(-10 * MIN))).callback,
    ];
    const agents = ready(['a', -5 * MIN], ['b', -9 * MIN]);
    expect(await offerCallbacks(db, { ready: agents, callsWaiting: 1, now: NOW, offerSeconds: 20 })).toEqual([]);
    const offers = await offerCallbacks(db, { ready: agents, callsWaiting: 0, now: NOW, offerSeconds: 20 });
    expect(offers.map((o) => [o.agent, o.callbackId])).toEqual([
      ['b', c1.id],
      ['a', c2.id],
    ]);
    expect(await offerCallbacks(db, { ready: agents, callsWaiting: 0, now: at(1000), offerSeconds: 20 })).toEqual([]);
    expect((await getCallback(db, c3.id))?.state).toBe('pending');
    expect((await agentCallbacks(db, 'b')).map((c) => c.id)).toEqual([c1.id]);

    // b lets the offer lapse, a declines: each goes on to what they have not passed.
    expect(await declineOffer(db, c1.id, 'a', at(2000))).toBeNull();
    expect((await declineOffer(db, c2.id, 'a', at(2000)))?.state).toBe('pending');
    const next = await offerCallbacks(db, { ready: agents, callsWaiting: 0, now: at(21_000), offerSeconds: 20 });
    expect(next.map((o) => [o.agent, o.callbackId])).toEqual([
      ['b', c2.id],
      ['a', c1.id],
    ]);
  });

  it('offers an agent’s own callback only to them until their time is up, then to anyone', async () => {
    const db = await open();
    const kept = (await ask(db, { number: '+821044445555', source: 'agent', owner: 'a' })).callback;
    expect(kept).toMatchObject({ owner: 'a', ownerUntil: at(60 * MIN).toISOString() });
    expect(await offerCallbacks(db, { ready: ready(['b', -MIN]), callsWaiting: 0, now: NOW, offerSeconds: 20 })).toEqual([]);
    expect((await agentCallbacks(db, 'a')).map((c) => c.id)).toEqual([kept.id]);
    const later = await offerCallbacks(db, { ready: ready(['b', -MIN]), callsWaiting: 0, now: at(61 * MIN), offerSeconds: 20 });
    expect(later).toEqual([{ callbackId: kept.id, agent: 'b', until: at(61 * MIN + 20_000).toISOString() }]);
    expect((await getCallback(db, kept.id))?.owner).toBeNull();
  });

  it('writes the attempt before the dial, never offers a callback in flight, and retries, fails or completes by the outcome', async () => {
    const db = await open();
    const c = (await ask(db, { number: '+821055556666' })).callback;
    await offerCallbacks(db, { ready: ready(['a', 0]), callsWaiting: 0, now: NOW, offerSeconds: 20 });
    expect(await acceptOffer(db, c.id, 'b', NOW)).toBeNull();
    const accepted = await acceptOffer(db, c.id, 'a', NOW);
    expect(accepted?.callback).toMatchObject({ state: 'dialling', attempts: 1, openAttempt: { id: accepted?.attemptId, agent: 'a' } });
    expect(await acceptOffer(db, c.id, 'a', NOW)).toBeNull();
    // In flight: nobody is offered it, and its agent is offered nothing else.
    await ask(db, { number: '+821055557777' }, at(500));
    expect(await offerCallbacks(db, { ready: ready(['a', 0], ['b', 0]), callsWaiting: 0, now: at(1000), offerSeconds: 20 })).toEqual([
      expect.objectContaining({ agent: 'b' }),
    ]);
    const attemptId = accepted?.attemptId as string;
    expect(await settleAttempt(db, { callbackId: c.id, attemptId, outcome: 'no-answer', by: { id: 'b', lead: false }, now: at(MIN), hours })).toBe('not-yours');
    const retry = await settleAttempt(db, { callbackId: c.id, attemptId, outcome: 'no-answer', by: { id: 'a', lead: false }, now: at(MIN), hours });
    expect(retry).toMatchObject({ state: 'pending', attempts: 1, dueAt: at(31 * MIN).toISOString(), openAttempt: null });
    expect(await settleAttempt(db, { callbackId: c.id, attemptId, outcome: 'reached', by: { id: 'a', lead: false }, now: at(MIN), hours })).toBe('no-attempt');
    // The same outcome again (a desk's outbox whose answer was lost): the callback as it is, nothing moved.
    expect(await settleAttempt(db, { callbackId: c.id, attemptId, outcome: 'no-answer', by: { id: 'a', lead: false }, now: at(5 * MIN), hours })).toEqual(retry);
    expect(await settleAttempt(db, { callbackId: c.id, attemptId, outcome: 'no-answer', by: { id: 'b', lead: false }, now: at(5 * MIN), hours })).toBe('not-yours');
    expect(retry).toMatchObject({ lastOutcome: 'no-answer', recordId: null });

    // Two more without an answer: failed, for the team lead to see.
    for (const n of [2, 3]) {
      const when = at(n * 40 * MIN);
      expect((await offerCallbacks(db, { ready: ready(['a', 0]), callsWaiting: 0, now: when, offerSeconds: 20 })).map((o) => o.callbackId)).toContain(c.id);
      const again = (await acceptOffer(db, c.id, 'a', when)) as { attemptId: string };
      const settled = await settleAttempt(db, { callbackId: c.id, attemptId: again.attemptId, outcome: 'busy', by: { id: 'a', lead: false }, now: when, hours });
      expect(settled).toMatchObject({ state: n === 3 ? 'failed' : 'pending', attempts: n });
    }
    expect((await listCallbacks(db, { states: ['failed'], limit: 10 })).map((x) => x.id)).toEqual([c.id]);
  });

  it('leaves a dial whose outcome nobody said for its agent or a lead to settle, never dialled again by itself', async () => {
    const db = await open();
    const c = (await ask(db, { number: '+821066667777' })).callback;
    await offerCallbacks(db, { ready: ready(['a', 0]), callsWaiting: 0, now: NOW, offerSeconds: 20 });
    const { attemptId } = (await acceptOffer(db, c.id, 'a', NOW)) as { attemptId: string };
    // The desk crashed mid-dial: an hour later it is still in flight, offered to nobody.
    expect(await offerCallbacks(db, { ready: ready(['b', 0]), callsWaiting: 0, now: at(60 * MIN), offerSeconds: 20 })).toEqual([]);
    expect((await agentCallbacks(db, 'a')).map((x) => [x.id, x.state, x.openAttempt?.id])).toEqual([[c.id, 'dialling', attemptId]]);
    expect(await cancelCallback(db, c.id, at(60 * MIN))).toBe('dialling');
    const settled = await settleAttempt(db, { callbackId: c.id, attemptId, outcome: 'reached', by: { id: 'lead1', lead: true }, now: at(61 * MIN), hours });
    expect(settled).toMatchObject({ state: 'completed', openAttempt: null });
  });

  it('completes when the citizen declines, fails on a wrong number, and settles only an attempt of that callback', async () => {
    const db = await open();
    const dial = async (number: string, agent: string) => {
      const c = (await ask(db, { number })).callback;
      await offerCallbacks(db, { ready: ready([agent, 0]), callsWaiting: 0, now: NOW, offerSeconds: 20 });
      return { c, attemptId: ((await acceptOffer(db, c.id, agent, NOW)) as { attemptId: string }).attemptId };
    };
    const one = await dial('+821012340003', 'a');
    const two = await dial('+821012340004', 'b');
    expect(await settleAttempt(db, { callbackId: two.c.id, attemptId: one.attemptId, outcome: 'reached', by: { id: 'a', lead: false }, now: NOW, hours })).toBe('no-attempt');
    expect(await settleAttempt(db, { callbackId: one.c.id, attemptId: one.attemptId, outcome: 'citizen-declined', by: { id: 'a', lead: false }, now: NOW, hours })).toMatchObject({ state: 'completed' });
    expect(await settleAttempt(db, { callbackId: two.c.id, attemptId: two.attemptId, outcome: 'wrong-number', by: { id: 'b', lead: false }, now: NOW, hours })).toMatchObject({ state: 'failed', dueAt: NOW.toISOString() });
    expect(await db.all('SELECT outcome, settled_by FROM callback_attempts ORDER BY outcome')).toEqual([
      { outcome: 'citizen-declined', settled_by: 'a' },
      { outcome: 'wrong-number', settled_by: 'b' },
    ]);
  });

  it('retries in opening hours: no answer at five to six is tried again the next morning', async () => {
    const db = await open();
    const late = new Date('2026-12-07T08:55:00Z'); // Monday 17:55 Korea time
    const c = (await ask(db, { number: '+821012340005' }, late)).callback;
    await offerCallbacks(db, { ready: ready(['a', 0]), callsWaiting: 0, now: late, offerSeconds: 20 });
    const { attemptId } = (await acceptOffer(db, c.id, 'a', late)) as { attemptId: string };
    expect(await settleAttempt(db, { callbackId: c.id, attemptId, outcome: 'no-answer', by: { id: 'a', lead: false }, now: late, hours })).toMatchObject({
      state: 'pending',
      dueAt: '2026-12-08T00:00:00.000Z',
    });
  });

  it('cancels only a waiting callback, and lists by state in the order citizens asked', async () => {
    const db = await open();
    const a = (await ask(db, { number: '+821012340006' }, at(-2 * MIN))).callback;
    const b = (await ask(db, { number: '+821012340007' }, at(-MIN))).callback;
    await offerCallbacks(db, { ready: ready(['x', 0]), callsWaiting: 0, now: NOW, offerSeconds: 20 });
    expect(await cancelCallback(db, a.id, NOW)).toMatchObject({ state: 'cancelled', offeredTo: null });
    expect(await cancelCallback(db, a.id, NOW)).toBe('not-open');
    expect(await cancelCallback(db, 'nope', NOW)).toBe('not-open');
    expect((await listCallbacks(db, { states: ['pending', 'cancelled'], limit: 10 })).map((c) => c.id)).toEqual([a.id, b.id]);
    expect((await listCallbacks(db, { states: ['pending', 'cancelled'], limit: 1 })).map((c) => c.id)).toEqual([a.id]);
    expect(await assignCallback(db, a.id, 'y', { now: NOW, policy })).toBeNull();
    // The agent freed by the cancel is offered the next one.
    expect((await offerCallbacks(db, { ready: ready(['x', 0]), callsWaiting: 0, now: at(1000), offerSeconds: 20 })).map((o) => o.callbackId)).toEqual([b.id]);
  });

  it('offers in order of how long agents have been ready, ties by id, and not to an agent who passed within ten minutes', async () => {
    const db = await open();
    const c1 = (await ask(db, { number: '+821012340008' }, at(-3 * MIN))).callback;
    const c2 = (await ask(db, { number: '+821012340009' }, at(-2 * MIN))).callback;
    const offers = await offerCallbacks(db, { ready: ready(['b', 0], ['a', 0]), callsWaiting: 0, now: NOW, offerSeconds: 20 });
    expect(offers.map((o) => [o.agent, o.callbackId])).toEqual([
      ['a', c1.id],
      ['b', c2.id],
    ]);
    await declineOffer(db, c1.id, 'a', NOW);
    await declineOffer(db, c2.id, 'b', NOW);
    // Each passed on its own: offered the other one.
    expect((await offerCallbacks(db, { ready: ready(['a', 0], ['b', 0]), callsWaiting: 0, now: at(1000), offerSeconds: 20 })).map((o) => [o.agent, o.callbackId])).toEqual([
      ['a', c2.id],
      ['b', c1.id],
    ]);
    await declineOffer(db, c2.id, 'a', at(2000));
    await declineOffer(db, c1.id, 'b', at(2000));
    // Both passed both: nothing until ten minutes after, then again in order.
    expect(await offerCallbacks(db, { ready: ready(['a', 0], ['b', 0]), callsWaiting: 0, now: at(9 * MIN), offerSeconds: 20 })).toEqual([]);
    expect((await offerCallbacks(db, { ready: ready(['a', 0], ['b', 0]), callsWaiting: 0, now: at(11 * MIN), offerSeconds: 20 })).map((o) => [o.agent, o.callbackId])).toEqual([
      ['a', c1.id],
      ['b', c2.id],
    ]);
  });

  it('lets a team lead give a waiting callback to one agent, withdrawing an offer out', async () => {
    const db = await open();
    const c = (await ask(db, { number: '+821077778888' })).callback;
    await offerCallbacks(db, { ready: ready(['a', 0]), callsWaiting: 0, now: NOW, offerSeconds: 20 });
    expect(await assignCallback(db, c.id, 'b', { now: NOW, policy })).toMatchObject({ state: 'pending', owner: 'b', offeredTo: null });
    expect(await offerCallbacks(db, { ready: ready(['a', 0], ['b', 1]), callsWaiting: 0, now: at(1000), offerSeconds: 20 })).toEqual([
      { callbackId: c.id, agent: 'b', until: at(21_000).toISOString() },
    ]);
  });

  it('offers each due callback to exactly one agent when 50 agents turn ready at once, over two store instances', async () => {
    const db = await open();
    const callbacks = [];
    for (let i = 0; i < 10; i++) callbacks.push((await ask(db, { number: `+8210200000${String(i).padStart(2, '0')}` }, at(-i * MIN))).callback.id);
    const agents = ready(...Array.from({ length: 50 }, (_, i): [string, number] => [`agent${i}`, -i]));
    // A second instance on the same database (on SQLite, the same store: its queue is the lock).
    const other = name === 'postgres' ? await openPostgresStore(await databaseUrlOf(db)) : db;
    try {
      const rounds = await Promise.all(Array.from({ length: 50 }, (_, i) => offerCallbacks(i % 2 ? other : db, { ready: agents, callsWaiting: 0, now: NOW, offerSeconds: 20 })));
      const offers = rounds.flat();
      expect(offers).toHaveLength(10);
      expect(new Set(offers.map((o) => o.callbackId))).toEqual(new Set(callbacks));
      expect(new Set(offers.map((o) => o.agent)).size).toBe(10);
    } finally {
      if (other !== db) await other.close();
    }
  });
});
