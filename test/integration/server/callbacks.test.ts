import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackSchema, type Callback } from '../../../shared/callback';
import { signBody } from '../../../server/http/signed-request';
import type { CityStore } from '../../../server/store/sql';
import { call, login, openAroundTheClock } from '../../helpers/http';
import type { CityServerProcess } from '../../helpers/processes';
import { serverStores, startDemoCity } from '../../helpers/server-stores';
import { openSipTables } from '../../helpers/sip-tables';
import { waitFor } from '../../helpers/wait';

// Callbacks through the city server's API (issue 19): the PBX's IVR asks (signed), the ready
// agent idle the longest is offered it, accepts (the attempt on record before the dial), says
// how it went; a team lead sees the queue and settles what nobody did.

const stores = serverStores();
const SECRET = 'pbx-secret-for-the-tests-0123456789';

describe.each(stores.names)('callbacks (city server on $name)', ({ name }) => {
  let server: CityServerProcess;
  let lead: string;
  let agent1: string;
  let agent2: string;
  let sipTables: CityStore;

  beforeAll(async () => {
    const city = await startDemoCity(stores, name, 'callbacks', { pbxSecret: SECRET });
    server = city.server;
    lead = city.lead;
    agent1 = city.agent;
    agent2 = await login(server.url, 'agent2', 'agent2');
    sipTables = await openSipTables(city.dataDir, city.database);
    await openAroundTheClock(server.url, lead);
  });
  afterAll(async () => {
    await sipTables?.close();
    await server?.stop();
  });

  const ivr = (body: unknown, o: { secret?: string; at?: Date; raw?: string } = {}) => {
    const raw = o.raw ?? JSON.stringify(body);
    return fetch(`${server.url}/api/callbacks/ivr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-minwon-signature': signBody(o.secret ?? SECRET, raw, o.at ?? new Date()) },
      body: raw,
    });
  };
  const presence = (token: string, state: string) => call(server.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify({ state, reason: state === 'not-ready' ? 'meal' : null }) });
  const mine = async (token: string) => ((await call(server.url, token, '/api/callbacks/mine')).body as { callbacks: Callback[] }).callbacks;
  const post = (token: string, path: string, body: unknown = {}) => call(server.url, token, path, { method: 'POST', body: JSON.stringify(body) });
  const queue = async (state = 'open') => ((await call(server.url, lead, `/api/callbacks?state=${state}`)).body as { callbacks: Callback[] }).callbacks;

  it('takes the IVR’s request signed by the PBX, answers a replay with the first answer, and merges the same number', async () => {
    await Promise.all([presence(agent1, 'not-ready'), presence(agent2, 'not-ready')]);
    const key = randomUUID();
    const first = await ivr({ number: '010-4444-0001', idempotencyKey: key, ivr: 'water', callId: 'pbx-call-1' });
    expect(first.status).toBe(200);
    const answer = (await first.json()) as { id: string; merged: boolean; replayed: boolean };
    expect(answer).toMatchObject({ merged: false, replayed: false });
    expect((await (await ivr({ number: '010-4444-0001', idempotencyKey: key })).json()) as object).toMatchObject({ id: answer.id, replayed: true });
    expect((await (await ivr({ number: '01044440001', idempotencyKey: randomUUID() })).json()) as object).toMatchObject({ id: answer.id, merged: true });
    const open = (await queue()).filter((c) => c.number === '+821044440001');
    expect(open).toHaveLength(1);
    expect(callbackSchema.parse(open[0])).toMatchObject({ sources: ['ivr'], topic: 'water', callId: 'pbx-call-1', state: 'pending' });
  });

  it('refuses what the PBX did not sign, a stale signature, numbers it cannot call back, and malformed requests', async () => {
    const body = { number: '010-4444-0002', idempotencyKey: randomUUID() };
    expect((await ivr(body, { secret: 'another-secret-0123456789' })).status).toBe(401);
    expect((await ivr(body, { at: new Date(Date.now() - 10 * 60_000) })).status).toBe(401);
    const unsigned = await fetch(`${server.url}/api/callbacks/ivr`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: 'bad-signature' });
    // Signed over other bytes than sent.
    const tampered = await fetch(`${server.url}/api/callbacks/ivr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-minwon-signature': signBody(SECRET, JSON.stringify(body), new Date()) },
      body: JSON.stringify({ ...body, number: '010-9999-9999' }),
    });
    expect(tampered.status).toBe(401);
    for (const [number, error] of [
      ['anonymous', 'invalid-number'],
      ['+1 212 555 0100', 'foreign-number'],
      ['not a number', 'invalid-number'],
    ] as const) {
      const r = await ivr({ number, idempotencyKey: randomUUID() });
      expect(r.status, number).toBe(400);
      expect(await r.json(), number).toMatchObject({ error });
    }
    const bad = await ivr({ number: '010-4444-0002', idempotencyKey: 'short' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['idempotencyKey']);
    expect((await ivr(null, { raw: '{"number": ' })).status).toBe(400);
    expect((await queue()).some((c) => c.number === '+821044440002')).toBe(false);
  });

  it('answers the IVR 503 on a server the city gave no PBX secret, saying what is missing', async () => {
    const bare = await startDemoCity(stores, name, 'callbacks-bare');
    try {
      const r = await fetch(`${bare.server.url}/api/callbacks/ivr`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ error: 'not-configured', message: expect.stringMatching(/MINWON_PBX_SECRET/) });
    } finally {
      await bare.server.stop();
    }
  });

  it('offers a callback to an agent the moment they turn ready; accepting puts the attempt on record; the outcome completes it', async () => {
    const c = (await queue()).find((x) => x.number === '+821044440001') as Callback;
    expect((await presence(agent1, 'ready')).status).toBe(200);
    // Offered by the time the presence call returned: no waiting for the next round.
    const [offer] = await mine(agent1);
    // Agents by name, as desks and leads call them.
    expect(offer).toMatchObject({ id: c.id, state: 'offered', offeredTo: 'agent1' });
    expect((await post(agent2, `/api/callbacks/${c.id}/accept`)).status).toBe(409);
    const accepted = await post(agent1, `/api/callbacks/${c.id}/accept`);
    expect(accepted.status).toBe(200);
    const { attemptId, callback } = accepted.body as { attemptId: string; callback: Callback };
    expect(callback).toMatchObject({ state: 'dialling', attempts: 1, number: '+821044440001', openAttempt: { id: attemptId, agent: 'agent1' } });
    expect((await post(agent1, `/api/callbacks/${c.id}/accept`)).status).toBe(409);
    expect((await post(agent1, `/api/callbacks/${c.id}/connected`, { attemptId })).body).toEqual({ ok: true });
    expect((await post(agent2, `/api/callbacks/${c.id}/outcome`, { attemptId, outcome: 'reached' })).status).toBe(403);
    const done = await post(agent1, `/api/callbacks/${c.id}/outcome`, { attemptId, outcome: 'reached' });
    expect(done.body).toMatchObject({ callback: { state: 'completed', openAttempt: null } });
    // Said again (an answer lost on the way back): the same answer; said otherwise: refused.
    expect((await post(agent1, `/api/callbacks/${c.id}/outcome`, { attemptId, outcome: 'reached' })).body).toEqual(done.body);
    expect((await post(agent1, `/api/callbacks/${c.id}/outcome`, { attemptId, outcome: 'busy' })).status).toBe(409);
    // The desk's outbox: one line stored, a line sent again stored once, a bad line and a contradiction refused.
    const lines = await post(agent1, '/api/callbacks/outcomes', { events: [{ id: randomUUID(), at: new Date().toISOString(), callbackId: c.id, attemptId, outcome: 'reached' }, { nonsense: true }, { id: randomUUID(), at: new Date().toISOString(), callbackId: c.id, attemptId, outcome: 'busy' }] });
    expect(lines.body).toEqual({ stored: 1, refused: [{ index: 1, reason: 'not an outcome line' }, { index: 2, reason: expect.stringMatching(/no attempt in flight/) }] });
    expect((await post(agent1, '/api/callbacks/outcomes', { events: [] })).status).toBe(400);
    expect((await queue('done')).map((x) => x.id)).toContain(c.id);
    expect((await post(agent1, `/api/callbacks/${c.id}/outcome`, { attemptId, outcome: 'maybe' })).status).toBe(400);
  });

  it('sends a declined offer to the next ready agent, and offers nothing while calls wait for an agent', async () => {
    await presence(agent1, 'not-ready');
    const asked = (await post(agent1, '/api/callbacks', { number: '054-270-8282', note: '내일 오후 통화 원함, 주민번호 900101-1234567' })).body as { callback: Callback };
    expect(asked.callback).toMatchObject({ sources: ['agent'], state: 'pending', number: '+82542708282' });
    expect(asked.callback.note).not.toContain('1234567');
    // A call rings an agent: calls come first.
    await sipTables.run('INSERT INTO waiting_calls(call_id, since) VALUES (?, ?)', ['e'.repeat(32), Math.floor(Date.now() / 1000)]);
    try {
      await presence(agent2, 'ready');
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await mine(agent2)).toEqual([]);
    } finally {
      await sipTables.run('DELETE FROM waiting_calls');
    }
    const offered = await waitFor(() => mine(agent2), (l) => l.length === 1, 5_000);
    expect(offered[0]).toMatchObject({ id: asked.callback.id, state: 'offered' });
    expect((await post(agent2, `/api/callbacks/${asked.callback.id}/decline`)).status).toBe(200);
    await presence(agent1, 'ready');
    expect(await waitFor(() => mine(agent1), (l) => l.length === 1, 5_000)).toMatchObject([{ id: asked.callback.id, state: 'offered' }]);
    expect(await mine(agent2)).toEqual([]);
  });

  it('takes the calls Kamailio says nobody answered as callback requests, unless the city turned that off', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    await sipTables.run('INSERT INTO abandoned_calls(call_id, caller, at) VALUES (?, ?, ?), (?, ?, ?)', ['f'.repeat(32), '01055501111', nowS - 60, '0'.repeat(32), '12345', nowS - 30]);
    const taken = await waitFor(() => queue(), (l) => l.some((c) => c.number === '+821055501111'), 5_000);
    expect(taken.find((c) => c.number === '+821055501111')).toMatchObject({ sources: ['abandoned'], askedAt: new Date((nowS - 60) * 1000).toISOString() });
    await waitFor(async () => (await sipTables.all('SELECT call_id FROM abandoned_calls')).length, (n) => n === 0, 5_000);

    const policy = { fromAbandoned: false, maxAttempts: 3, retryMinutes: 30, offerSeconds: 20, ownerMinutes: 120 };
    expect((await call(server.url, lead, '/api/settings/callbacks', { method: 'PUT', body: JSON.stringify(policy) })).status).toBe(200);
    await sipTables.run('INSERT INTO abandoned_calls(call_id, caller, at) VALUES (?, ?, ?)', ['1'.repeat(32), '01055502222', nowS]);
    await waitFor(async () => (await sipTables.all('SELECT call_id FROM abandoned_calls')).length, (n) => n === 0, 5_000);
    expect((await queue()).some((c) => c.number === '+821055502222')).toBe(false);
    expect((await call(server.url, lead, '/api/settings/callbacks', { method: 'PUT', body: JSON.stringify({ ...policy, fromAbandoned: true }) })).status).toBe(200);
  });

  it('lets a team lead settle a dial nobody settled, give a callback to an agent, and cancel one; agents cannot', async () => {
    const [offer] = await mine(agent1);
    const { attemptId } = (await post(agent1, `/api/callbacks/${offer?.id}/accept`)).body as { attemptId: string };
    // The desk is gone mid-dial: the lead sees the attempt open, and settles it.
    expect((await queue()).find((c) => c.id === offer?.id)).toMatchObject({ state: 'dialling', openAttempt: { id: attemptId } });
    expect((await post(lead, `/api/callbacks/${offer?.id}/cancel`)).status).toBe(409);
    expect((await post(lead, `/api/callbacks/${offer?.id}/outcome`, { attemptId, outcome: 'no-answer' })).body).toMatchObject({ callback: { state: 'pending' } });

    await presence(agent1, 'not-ready');
    await presence(agent2, 'not-ready');
    expect((await call(server.url, agent1, '/api/callbacks')).status).toBe(403);
    expect((await post(agent1, `/api/callbacks/${offer?.id}/assign`, { agent: 'agent2' })).status).toBe(403);
    expect((await post(lead, `/api/callbacks/${offer?.id}/assign`, { agent: 'lead1' })).status).toBe(404);
    expect((await post(lead, `/api/callbacks/${offer?.id}/assign`, { agent: 'agent2' })).body).toMatchObject({ callback: { owner: 'agent2', state: 'pending' } });
    expect((await post(agent1, `/api/callbacks/${offer?.id}/cancel`)).status).toBe(403);
    expect((await post(agent2, `/api/callbacks/${offer?.id}/cancel`)).body).toMatchObject({ callback: { state: 'cancelled' } });
    expect((await post(lead, `/api/callbacks/${offer?.id}/cancel`)).status).toBe(409);
    expect((await post(lead, '/api/callbacks/no-such-id/cancel')).status).toBe(404);
  });
});
