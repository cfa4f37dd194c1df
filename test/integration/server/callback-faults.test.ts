import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Callback, CallbackPolicy } from '../../../shared/callback';
import { call, openAroundTheClock, signIn } from '../../helpers/http';
import { startCityServerProcess, type CityServerProcess } from '../../helpers/processes';
import { serverStores, startDemoCity } from '../../helpers/server-stores';
import { waitFor } from '../../helpers/wait';

// Issue 19: the city server SIGKILLed in the middle of a callback, then started again on the
// same data. Killed after an agent accepted (the attempt is written, the desk is about to dial):
// the number must not be dialled twice, so the callback is offered to nobody until someone says
// how the attempt went. Killed after the offer, before the accept: the offer is on one desk at a
// time and can be accepted once. Desks keep their sessions across the restart, as real ones do.

const stores = serverStores();

/** Long enough to outlast a restart, and several of the distributor's rounds (one a second). */
const ROUNDS_MS = 3_500;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Checks `check` again and again for `ms`: what must hold across rounds, not just at one moment. */
async function throughout(ms: number, check: () => Promise<void>): Promise<void> {
  const end = Date.now() + ms;
  do {
    await check();
    await pause(200);
  } while (Date.now() < end);
}

interface Agent {
  token: string;
  /** How the callbacks API names the agent (offeredTo, openAttempt.agent). */
  name: string;
}

describe.each(stores.names)('callbacks when the city server is SIGKILLed mid-callback (on $name)', ({ name }) => {
  let server: CityServerProcess;
  let dataDir: string;
  let database: string | undefined;
  let lead: string;
  const agent1: Agent = { token: '', name: '' };
  const agent2: Agent = { token: '', name: '' };

  beforeAll(async () => {
    const city = await startDemoCity(stores, name, 'callback-faults');
    ({ server, dataDir, database, lead } = city);
    for (const [agent, username] of [
      [agent1, 'agent1'],
      [agent2, 'agent2'],
    ] as const) {
      const s = await signIn(server.url, username, username);
      agent.token = s.token;
      agent.name = s.user.username;
    }
    await openAroundTheClock(server.url, lead);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const post = (token: string, path: string, body: unknown = {}) => call(server.url, token, path, { method: 'POST', body: JSON.stringify(body) });
  const presence = (token: string, state: 'ready' | 'not-ready') =>
    call(server.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify({ state, reason: state === 'not-ready' ? 'meal' : null }) });
  const mine = async (token: string) => ((await call(server.url, token, '/api/callbacks/mine')).body as { callbacks: Callback[] }).callbacks;
  const openQueue = async () => ((await call(server.url, lead, '/api/callbacks?state=open')).body as { callbacks: Callback[] }).callbacks;
  /** The city's policy; the shortest retry the settings allow, and the offer time each test needs. */
  const policy = async (offerSeconds: number) => {
    const p: CallbackPolicy = { fromAbandoned: true, maxAttempts: 3, retryMinutes: 1, offerSeconds, ownerMinutes: 120 };
    expect((await call(server.url, lead, '/api/settings/callbacks', { method: 'PUT', body: JSON.stringify(p) })).status).toBe(200);
  };
  const ask = async (token: string, number: string) => {
    const r = await post(token, '/api/callbacks', { number });
    expect(r.status).toBe(200);
    return r.body as { callback: Callback; merged: boolean };
  };
  const accept = (agent: Agent, id: string) => post(agent.token, `/api/callbacks/${id}/accept`);
  const settle = (token: string, id: string, attemptId: string, outcome: string) => post(token, `/api/callbacks/${id}/outcome`, { attemptId, outcome });

  /** Agent1 turns ready and is offered the callback at once (the first round runs in the presence call). */
  const offeredToAgent1 = async (id: string) => {
    expect((await presence(agent1.token, 'ready')).status).toBe(200);
    const [offer] = await mine(agent1.token);
    expect(offer).toMatchObject({ id, state: 'offered', offeredTo: agent1.name });
    return offer as Callback;
  };

  /** SIGKILL, no warning, then the server again on the same data folder and database. */
  const crash = async () => {
    await server.kill();
    // Not a shutdown: nothing of the server's own ran on the way out.
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    server = await startCityServerProcess(dataDir, { demo: true, ...(database ? { database } : {}) });
  };

  /**
   * The callback as the lead's queue and each agent's own list show it, read together. An agent's
   * list shows an offer only when it is that agent's: one offer is never on two desks.
   */
  const views = async (id: string) => {
    const [queue, own1, own2] = await Promise.all([openQueue(), mine(agent1.token), mine(agent2.token)]);
    const seen = { lead: queue.find((c) => c.id === id), agent1: own1.find((c) => c.id === id), agent2: own2.find((c) => c.id === id) };
    if (seen.agent1?.state === 'offered') expect(seen.agent1.offeredTo, 'agent1 is shown an offer that is not theirs').toBe(agent1.name);
    if (seen.agent2?.state === 'offered') expect(seen.agent2.offeredTo, 'agent2 is shown an offer that is not theirs').toBe(agent2.name);
    return { ...seen, own1, own2 };
  };

  /**
   * The agent holding the offer accepts it: attempt number `attempts` is on record. That accept
   * sent again (a desk that lost the answer) and the other desk's are refused: no second dial.
   */
  const acceptOnce = async (holder: Agent, other: Agent, id: string, attempts = 1) => {
    const accepted = await accept(holder, id);
    expect(accepted.body).toMatchObject({ callback: { state: 'dialling', attempts } });
    expect((await accept(holder, id)).status).toBe(409);
    expect((await accept(other, id)).status).toBe(409);
    const { attemptId } = accepted.body as { attemptId: string };
    expect((await views(id)).lead).toMatchObject({ attempts, openAttempt: { id: attemptId, agent: holder.name } });
    return attemptId;
  };

  const bothNotReady = () => Promise.all([presence(agent1.token, 'not-ready'), presence(agent2.token, 'not-ready')]);

  // Whatever a test left open (it failed half-way) would keep its agent busy in the next one.
  afterEach(async () => {
    await bothNotReady();
    for (const c of await openQueue()) {
      if (c.openAttempt) await settle(lead, c.id, c.openAttempt.id, 'wrong-number');
      else await post(lead, `/api/callbacks/${c.id}/cancel`);
    }
  });

  it('keeps an attempt written before the kill open: offered to nobody, shown to its agent and the lead until settled; then the queue goes on', async () => {
    await bothNotReady();
    await policy(120);
    const { id } = (await ask(agent1.token, '010-5555-0101')).callback;
    await offeredToAgent1(id);
    const accepted = await accept(agent1, id);
    expect(accepted.status).toBe(200);
    const { attemptId } = accepted.body as { attemptId: string };
    expect(attemptId).toEqual(expect.any(String));

    // The desk has its attempt and would dial now: the server dies first.
    await crash();

    // Whatever happened on the phone is unknown: the attempt is open, nobody said its outcome.
    const unsettled = { id, state: 'dialling', attempts: 1, offeredTo: null, openAttempt: { id: attemptId, agent: agent1.name }, lastOutcome: null };
    expect(await mine(agent1.token)).toMatchObject([unsettled]);
    expect((await presence(agent1.token, 'ready')).status).toBe(200);
    expect((await presence(agent2.token, 'ready')).status).toBe(200);
    // Offered again it would be dialled twice: both agents ready, round after round, nobody gets it.
    await throughout(ROUNDS_MS, async () => {
      const v = await views(id);
      expect(v.own2).toEqual([]);
      expect(v.own1).toMatchObject([unsettled]);
      expect(v.lead).toMatchObject(unsettled);
    });
    // The rounds did run, and agent2 was free for work: new work reaches agent2 at once — and not
    // agent1, whose dial is still unsettled.
    const control = (await ask(agent2.token, '010-5555-0102')).callback;
    expect(await waitFor(() => mine(agent2.token), (l) => l.length > 0, 5_000)).toMatchObject([{ id: control.id, state: 'offered' }]);
    expect(await mine(agent1.token)).toMatchObject([unsettled]);
    expect((await post(lead, `/api/callbacks/${control.id}/cancel`)).status).toBe(200);

    // Reconciled: agent1 says nobody answered. Back in the queue, due after the city's retry.
    const before = Date.now();
    const settled = await settle(agent1.token, id, attemptId, 'no-answer');
    const after = Date.now();
    expect(settled.body).toMatchObject({ callback: { id, state: 'pending', attempts: 1, openAttempt: null, lastOutcome: 'no-answer' } });
    const due = Date.parse((settled.body as { callback: Callback }).callback.dueAt);
    expect(due).toBeGreaterThanOrEqual(before + 60_000);
    expect(due).toBeLessThanOrEqual(after + 60_000);
    // Settled is settled: a lead's late word on the same attempt changes nothing.
    expect((await settle(lead, id, attemptId, 'reached')).status).toBe(409);
    // Not due before the retry: no round offers it early.
    await throughout(2_000, async () => {
      const v = await views(id);
      expect([v.own1, v.own2]).toEqual([[], []]);
      expect(v.lead).toMatchObject({ state: 'pending', dueAt: new Date(due).toISOString() });
    });

    // The retry is a minute at the least: instead of waiting it out, the citizen asks again, which
    // makes it due now (the earlier wish stands) — and it is offered and dialled as any other.
    expect(await ask(agent2.token, '010 5555 0101')).toMatchObject({ merged: true, callback: { id } });
    const offered = await waitFor(() => views(id), (v) => v.lead?.state === 'offered', 5_000);
    const [holder, other] = offered.lead?.offeredTo === agent1.name ? [agent1, agent2] : [agent2, agent1];
    const second = await acceptOnce(holder, other, id, 2);
    expect(second).not.toBe(attemptId);
    expect((await settle(holder.token, id, second, 'reached')).body).toMatchObject({ callback: { state: 'completed', openAttempt: null } });
  });

  it('keeps an offer made before the kill with its agent until its time is up; it is accepted once', async () => {
    await bothNotReady();
    await policy(120);
    const { id } = (await ask(agent1.token, '010-5555-0201')).callback;
    const offer = await offeredToAgent1(id);

    await crash();

    expect((await views(id)).lead).toMatchObject({ state: 'offered', offeredTo: agent1.name, offerUntil: offer.offerUntil, openAttempt: null });
    expect((await presence(agent1.token, 'ready')).status).toBe(200);
    expect((await presence(agent2.token, 'ready')).status).toBe(200);
    await throughout(ROUNDS_MS, async () => {
      const v = await views(id);
      expect(v.own2).toEqual([]);
      expect(v.agent1).toMatchObject({ state: 'offered', offerUntil: offer.offerUntil });
    });
    expect((await accept(agent2, id)).status).toBe(409);
    const attemptId = await acceptOnce(agent1, agent2, id);
    expect((await settle(agent1.token, id, attemptId, 'reached')).body).toMatchObject({ callback: { state: 'completed' } });
  });

  it('lets an offer made before the kill lapse to the next agent: on one desk at a time, and the first desk cannot accept it any more', async () => {
    await bothNotReady();
    await policy(5);
    const { id } = (await ask(agent1.token, '010-5555-0301')).callback;
    await offeredToAgent1(id);

    await crash();

    expect((await presence(agent1.token, 'ready')).status).toBe(200);
    expect((await presence(agent2.token, 'ready')).status).toBe(200);
    // `views` checks at every read that no desk shows an offer that is another's.
    const moved = await waitFor(() => views(id), (v) => v.agent2 !== undefined, 15_000);
    expect(moved.lead).toMatchObject({ state: 'offered', offeredTo: agent2.name });
    expect(moved.own1).toEqual([]);
    // Agent1's desk still showed the offer from before the crash: too late.
    expect((await accept(agent1, id)).status).toBe(409);
    const attemptId = await acceptOnce(agent2, agent1, id);
    expect((await settle(agent2.token, id, attemptId, 'reached')).body).toMatchObject({ callback: { state: 'completed' } });
  });
});
