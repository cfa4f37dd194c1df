import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newGrantPayload, type MonitorAuditEvent } from '../../../../shared/monitoring';
import type { AgentCore } from '../../../../electron/core/agent-core';
import { testCore } from '../../../helpers/core';
import { call, login } from '../../../helpers/http';
import { startCityServerProcess, type CityServerProcess } from '../../../helpers/processes';
import { waitFor } from '../../../helpers/wait';

describe('the desk admits a monitoring call only with a valid grant', () => {
  let dir: string;
  let server: CityServerProcess;
  let lead: string;
  let core: AgentCore;
  let now = new Date();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minwon-admit-'));
    server = await startCityServerProcess(join(dir, 'city'), { demo: true });
    lead = await login(server.url, 'lead1', 'lead1');
    core = testCore(join(dir, 'desk.sqlite'), server.url, { clock: () => now });
    await core.syncNow();
  });
  afterAll(async () => {
    await core.close();
    await server.stop();
  });

  async function issue(agent: string, modes: string[]): Promise<string> {
    const res = await call(server.url, lead, '/api/monitoring/grants', { method: 'POST', body: JSON.stringify({ agent, modes }) });
    if (res.status !== 200) throw new Error(res.text);
    return (res.body as { token: string }).token;
  }
  const admit = (token: string | null, mode: 'listen' | 'whisper' | 'barge' = 'listen') => core.handlers.admitMonitoring({ token, mode });
  const serverAudit = async () => ((await call(server.url, lead, '/api/monitoring/audit?limit=1000')).body as { events: (MonitorAuditEvent & { source: string })[] }).events;

  it('admits a grant once, for its agent and its modes', async () => {
    const token = await issue('agent1', ['listen', 'whisper']);
    const first = await admit(token, 'listen');
    expect(first).toMatchObject({ admitted: true, lead: 'lead1', modes: ['listen', 'whisper'] });
    expect(await admit(token, 'listen')).toMatchObject({ admitted: false, reason: 'replay' });
  });

  it('refuses a missing, forged, tampered, expired, misdirected or escalating grant', async () => {
    expect(await admit(null)).toMatchObject({ admitted: false, reason: 'missing' });
    expect(await admit('not a token')).toMatchObject({ admitted: false, reason: 'malformed' });

    // Signed by someone else's key, with a valid shape.
    const forger = generateKeyPairSync('ed25519').privateKey;
    const body = Buffer.from(JSON.stringify(newGrantPayload({ lead: 'lead1', agent: 'agent1', modes: ['barge'], now, nonce: 'A'.repeat(24) }))).toString('base64url');
    expect(await admit(`${body}.${sign(null, Buffer.from(body), forger).toString('base64url')}`, 'barge')).toMatchObject({ admitted: false, reason: 'signature' });

    // A real grant for agent2 with its payload rewritten to agent1: the signature no longer fits.
    const other = await issue('agent2', ['listen']);
    const [payload, signature] = other.split('.') as [string, string];
    const rewritten = Buffer.from(Buffer.from(payload, 'base64url').toString('utf8').replace('"agent2"', '"agent1"')).toString('base64url');
    expect(await admit(`${rewritten}.${signature}`)).toMatchObject({ admitted: false, reason: 'signature' });
    expect(await admit(other)).toMatchObject({ admitted: false, reason: 'target' });

    expect(await admit(await issue('agent1', ['listen']), 'barge')).toMatchObject({ admitted: false, reason: 'mode' });

    const late = await issue('agent1', ['listen']);
    now = new Date(Date.now() + 61_000);
    try {
      expect(await admit(late)).toMatchObject({ admitted: false, reason: 'expired' });
    } finally {
      now = new Date();
    }
  });

  it('reports every admission and refusal to the city’s audit', async () => {
    await core.handlers.reportMonitoring({ event: 'mode-change', lead: 'lead1', mode: 'whisper', nonce: null, reason: null });
    const events = await waitFor(async () => (await serverAudit()).filter((e) => e.source === 'agent1'), (e) => e.length >= 10);
    expect(events.filter((e) => e.event === 'session-start')).toHaveLength(1);
    const refusals = events.filter((e) => e.event === 'call-refused').map((e) => e.reason?.split(':')[0]).sort();
    expect(refusals).toEqual(['expired', 'malformed', 'missing', 'mode', 'replay', 'signature', 'signature', 'target']);
    expect(events.find((e) => e.event === 'mode-change')).toMatchObject({ agent: 'agent1', lead: 'lead1', mode: 'whisper' });
  });

  it('keeps audit lines through an outage and sends them once the city is back', async () => {
    const port = Number(new URL(server.url).port);
    await server.kill();
    await core.handlers.reportMonitoring({ event: 'session-stop', lead: 'lead1', mode: null, nonce: null, reason: 'outage test' });
    const pending = () => Number(core.db.prepare('SELECT COUNT(*) FROM monitor_audit_outbox').pluck().get());
    await waitFor(async () => pending(), (n) => n === 1);
    server = await startCityServerProcess(join(dir, 'city'), { port });
    lead = await login(server.url, 'lead1', 'lead1');
    await waitFor(async () => pending(), (n) => n === 0, 20_000);
    expect((await serverAudit()).filter((e) => e.reason === 'outage test')).toHaveLength(1);
  });

  it('refuses every grant before the desk has ever signed in', async () => {
    const fresh = testCore(join(dir, 'fresh.sqlite'), 'http://127.0.0.1:9');
    try {
      expect(await fresh.handlers.admitMonitoring({ token: await issue('agent1', ['listen']), mode: 'listen' })).toMatchObject({ admitted: false, reason: 'no-key' });
    } finally {
      await fresh.close();
    }
  });
});
