import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantResponseSchema, type MonitorAuditEvent } from '../../../shared/monitoring';
import { call, login, signIn } from '../../helpers/http';
import { startCityServerProcess, type CityServerProcess } from '../../helpers/processes';
import { serverStores } from '../../helpers/server-stores';

const stores = serverStores();

describe.each(stores.names)('monitoring grants and their audit (city server on $name)', ({ name }) => {
  let dir: string;
  let database: string | undefined;
  let server: CityServerProcess;
  let lead: string;
  let agent: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minwon-monitor-'));
    database = await stores.database(name);
    server = await startCityServerProcess(join(dir, 'city'), { demo: true, ...(database ? { database } : {}) });
    lead = await login(server.url, 'lead1', 'lead1');
    agent = await login(server.url, 'agent1', 'agent1');
  });
  afterAll(() => server.stop());

  const grant = (token: string, body: unknown) => call(server.url, token, '/api/monitoring/grants', { method: 'POST', body: JSON.stringify(body) });
  const audit = async () => (await call(server.url, lead, '/api/monitoring/audit?limit=1000')).body as { events: (MonitorAuditEvent & { source: string })[] };

  it('issues a team lead a short-lived, single-agent grant, and audits it', async () => {
    const res = await grant(lead, { agent: 'agent1', modes: ['listen', 'whisper'] });
    expect(res.status).toBe(200);
    const { grant: g } = grantResponseSchema.parse(res.body);
    expect(g).toMatchObject({ lead: 'lead1', agent: 'agent1', modes: ['listen', 'whisper'] });
    expect(Date.parse(g.expiresAt) - Date.parse(g.issuedAt)).toBe(60_000);
    const issued = (await audit()).events.find((e) => e.nonce === g.nonce);
    expect(issued).toMatchObject({ event: 'grant-issued', lead: 'lead1', agent: 'agent1', source: 'server' });
  });

  it('refuses an agent asking for a grant, and audits the attempt', async () => {
    const res = await grant(agent, { agent: 'agent2', modes: ['listen'] });
    expect(res.status).toBe(403);
    expect((await audit()).events.find((e) => e.event === 'grant-refused' && e.lead === 'agent1')).toMatchObject({ agent: 'agent2', reason: 'role agent' });
    expect((await call(server.url, agent, '/api/monitoring/audit')).status).toBe(403);
  });

  it('grants only for agents, and refuses malformed requests', async () => {
    for (const target of ['lead1', 'citizen1', 'nobody']) expect((await grant(lead, { agent: target, modes: ['listen'] })).status, target).toBe(404);
    for (const body of [{ agent: 'agent1', modes: [] }, { agent: 'agent1', modes: ['listen', 'listen'] }, { agent: 'agent1', modes: ['record'] }, { agent: 'agent1' }, 'x']) {
      expect((await grant(lead, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await grant('', { agent: 'agent1', modes: ['listen'] })).status).toBe(401);
  });

  it('gives every desk the grant key at login, the same across restarts, kept private (on disk, or in the database)', async () => {
    const first = (await signIn(server.url, 'agent1', 'agent1')).monitoringKey;
    expect(first).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const file = join(dir, 'city', 'monitoring-key.pem');
    // On PostgreSQL every instance signs with the same key, kept in the database, not a file of one machine's.
    if (name === 'sqlite') expect(statSync(file).mode & 0o777).toBe(0o600);
    else expect(existsSync(file)).toBe(false);
    await server.stop();
    server = await startCityServerProcess(join(dir, 'city'), database ? { database } : {});
    lead = await login(server.url, 'lead1', 'lead1');
    agent = await login(server.url, 'agent1', 'agent1');
    expect((await signIn(server.url, 'agent2', 'agent2')).monitoringKey).toBe(first);
  });

  it('stores each desk-reported audit line once, timed by the server, the desk’s own time beside it', async () => {
    const line: MonitorAuditEvent = { id: randomUUID(), at: '2026-01-01T00:00:00.000Z', event: 'mode-change', lead: 'lead1', agent: 'agent1', mode: 'barge', nonce: null, reason: null };
    const post = () => call(server.url, agent, '/api/monitoring/audit', { method: 'POST', body: JSON.stringify({ events: [line] }) });
    const before = Date.now();
    expect((await post()).body).toEqual({ stored: 1, refused: [] });
    expect((await post()).body).toEqual({ stored: 0, refused: [] });
    const [stored] = (await audit()).events.filter((e) => e.id === line.id);
    expect(stored).toEqual({ ...line, at: expect.any(String), reportedAt: line.at, source: 'agent1' });
    expect(Date.parse(stored?.at as string)).toBeGreaterThanOrEqual(before - 1000);
    const bad = await call(server.url, agent, '/api/monitoring/audit', { method: 'POST', body: JSON.stringify({ events: [{ ...line, event: 'erase' }] }) });
    expect(bad.status).toBe(400);
  });

  it('takes no forged lines from a desk: none dated ahead to bury the real ones, none about others, none of the server’s kinds', async () => {
    const real = (await audit()).events[0];
    const forged = Array.from({ length: 300 }, (): MonitorAuditEvent => ({ id: randomUUID(), at: '2099-01-01T00:00:00.000Z', event: 'session-stop', lead: null, agent: 'agent1', mode: null, nonce: null, reason: null }));
    const others: MonitorAuditEvent[] = [
      { id: randomUUID(), at: new Date().toISOString(), event: 'session-start', lead: 'lead1', agent: 'agent2', mode: 'listen', nonce: null, reason: null },
      { id: randomUUID(), at: new Date().toISOString(), event: 'grant-issued', lead: 'agent1', agent: 'agent1', mode: null, nonce: null, reason: null },
    ];
    const res = await call(server.url, agent, '/api/monitoring/audit', { method: 'POST', body: JSON.stringify({ events: [...others, ...forged] }) });
    expect(res.body).toEqual({ stored: 300, refused: [{ index: 0, reason: 'a desk reports only sessions it took part in' }, { index: 1, reason: 'a desk does not report grant-issued' }] });
    const events = (await audit()).events;
    expect(events.some((e) => others.some((o) => o.id === e.id))).toBe(false);
    // Stored as of now: the newest lines, not ahead of the ones before them by 73 years.
    expect(events.every((e) => e.at < '2027-01-01')).toBe(true);
    expect(events.map((e) => e.id)).toContain(real?.id);
  });
});
