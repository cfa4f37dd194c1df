import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ABSENT, heard, heardWhile, openPhonePage, PRESENT, stopAll, TONES } from '../helpers/browser';
import { call as api, login } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { callCard, dismiss, freshSync, REP } from '../helpers/desk-page';
import { startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type CityServerProcess, type Spawned } from '../helpers/processes';

// Team-lead monitoring through the real Kamailio between real Chromium parties, each with its own
// tone: the citizen (practice phone), agent1's desk, lead1's desk, and an intruder's phone. The
// agent's page mixes; the analysers prove who hears whom in each mode.

const TONE = { citizen: TONES[0], agent: TONES[1], lead: TONES[2], intruder: TONES[3] } as const;

let dir: string;
let city: CityServerProcess;
let sip: Spawned;
const procs: Spawned[] = [];
const browsers: Browser[] = [];
const pages = {} as Record<keyof typeof TONE, Page>;

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

test.beforeAll(async () => {
  test.setTimeout(150_000);
  dir = mkdtempSync(join(tmpdir(), 'minwon-monitor-e2e-'));
  const ports = { ws: await freePort(), sip: await freePort() };
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  sip = await startSipProcess(join(dir, 'city'), ports);
  const open = async (party: keyof typeof TONE, url: string) => {
    pages[party] = await openPhonePage({ dir, browsers, url, hz: TONE[party], scripts: [] });
  };
  for (const [party, user] of [['agent', 'agent1'], ['lead', 'lead1']] as const) {
    const desk = await startDeskProcess({ server: city.url, cache: join(dir, `${user}.sqlite`), user, extra: ['--sip-ws', sipWs, '--interval', '2'] });
    procs.push(desk);
    await open(party, desk.url);
  }
  for (const [party, user] of [['citizen', 'citizen1'], ['intruder', 'citizen2']] as const) {
    const phone = await startPracticeProcess({ server: city.url, user });
    procs.push(phone);
    await open(party, phone.url);
  }
});

test.afterAll(() => stopAll(browsers, [...procs, sip], city));

const row = () => pages.lead.getByRole('region', { name: '팀 현황' }).locator('tr[data-agent="agent1"]');

async function citizenReachesAgent() {
  const { agent, citizen } = pages;
  const ready = agent.getByRole('button', { name: /^(상담 대기|후처리 완료)$/ });
  if (await ready.count()) await ready.click();
  await citizen.getByRole('textbox', { name: '전화번호 또는 내선' }).fill(REP);
  await citizen.getByRole('button', { name: '전화 걸기', exact: true }).click();
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  // While it rings, the call waits on the lead's board (Kamailio keeps the count).
  const summary = pages.lead.getByRole('region', { name: '팀 현황' }).getByRole('status').first();
  await expect(summary).toContainText('연결 대기 1통');
  await agent.keyboard.press('F2');
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'connected');
  await expect.poll(() => heard(citizen, TONE.agent), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect(row()).toHaveAttribute('data-state', 'on-call', { timeout: 10_000 });
  await expect(summary).toContainText('연결 대기 없음');
  // What the call is about, as the agent's screen-pop suggested it, reaches the board with the presence.
  await expect(row().getByRole('cell').nth(2)).toHaveText(/^[^—]+\/.+/, { timeout: 10_000 });
}

/** The citizen hangs up; both pages clear the call, so the next test starts without one. */
async function citizenHangsUp() {
  const { agent, citizen } = pages;
  await citizen.getByRole('button', { name: '끊기 (F4)' }).click();
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'ended');
  await dismiss(citizen, agent);
}

/** Monitoring sessions of lead1 that lead1's and agent1's desks put on the city's record since `since` (ms). */
async function sessionsStarted(since: number): Promise<number[]> {
  const token = await login(city.url, 'lead1', 'lead1');
  const events = ((await api(city.url, token, '/api/monitoring/audit?limit=200')).body as { events: { event: string; source: string; lead: string | null; at: string }[] }).events;
  return ['lead1', 'agent1'].map((who) => events.filter((e) => e.source === who && e.event === 'session-start' && e.lead === 'lead1' && Date.parse(e.at) >= since).length);
}

async function pick(mode: 'listen' | 'whisper' | 'barge') {
  const label = { listen: '통화 듣기', whisper: '에게 귓속말', barge: '통화에 끼어들기' }[mode];
  await row().getByRole('button', { name: new RegExp(label) }).click();
  await expect(pages.lead.getByRole('status', { name: '모니터링' })).toContainText(`통화 ${{ listen: '듣기', whisper: '귓속말', barge: '끼어들기' }[mode]} 중`, { timeout: 15_000 });
}

test('listen, whisper, barge and back on one session; the agent’s call outlives the team lead', async () => {
  const { agent, citizen, lead } = pages;
  await citizenReachesAgent();

  await pick('listen');
  // The team lead hears agent and caller; nobody hears the team lead.
  await expect.poll(() => heard(lead, TONE.agent), { timeout: 15_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(lead, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  expect(await heard(agent, TONE.lead)).toBeLessThan(ABSENT);
  expect(await heard(citizen, TONE.lead)).toBeLessThan(ABSENT);
  await expect(agent.getByRole('status', { name: '모니터링' })).toContainText('팀장 lead1 듣기 중');

  await pick('whisper');
  await expect.poll(() => heard(agent, TONE.lead), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  expect(await heard(citizen, TONE.lead)).toBeLessThan(ABSENT);
  await expect(agent.getByRole('status', { name: '모니터링' })).toContainText('귓속말');

  await pick('barge');
  await expect.poll(() => heard(citizen, TONE.lead), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  expect(await heard(citizen, TONE.agent)).toBeGreaterThan(PRESENT);

  await pick('whisper');
  await expect.poll(() => heard(citizen, TONE.lead), { timeout: 10_000 }).toBeLessThan(ABSENT);
  expect(await heard(agent, TONE.lead)).toBeGreaterThan(PRESENT);
  expect(await heard(lead, TONE.citizen)).toBeGreaterThan(PRESENT);

  // The team lead leaves: the agent's call goes on as before.
  await row().getByRole('button', { name: /모니터링 종료/ }).click();
  await expect(agent.getByRole('status', { name: '모니터링' })).toHaveCount(0);
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'connected');
  await expect.poll(() => heard(citizen, TONE.agent), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(agent, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  expect(await heard(agent, TONE.lead)).toBeLessThan(ABSENT);
  await citizenHangsUp();
});

test('refuses a monitoring call without a grant, with a forged, misdirected or replayed one; audits each; leaves the call alone', async () => {
  const { agent, citizen, intruder } = pages;
  const since = Date.now();
  await citizenReachesAgent();
  const lead = await login(city.url, 'lead1', 'lead1');
  const grant = async (agentName: string) =>
    ((await api(city.url, lead, '/api/monitoring/grants', { method: 'POST', body: JSON.stringify({ agent: agentName, modes: ['listen'] }) })).body as { token: string }).token;
  const forged = `${Buffer.from(JSON.stringify({ typ: 'minwon-monitor-grant-v1', lead: 'lead1', agent: 'agent1', modes: ['listen'] })).toString('base64url')}.${'A'.repeat(86)}`;
  const leaked = await grant('agent1');
  const monitorCall = async (headers: string, expected: 'Rejected' | 'connected') => {
    const dialAgent = async () => {
      await intruder.getByRole('textbox', { name: /추가 SIP 헤더/ }).fill(headers);
      await intruder.getByRole('textbox', { name: '전화번호 또는 내선' }).fill('agent1');
      await intruder.getByRole('button', { name: '전화 걸기', exact: true }).click();
    };
    if (expected === 'connected') {
      await dialAgent();
      // A grant is a bearer token for its one use: whoever holds it in time is let in once.
      await expect(callCard(intruder)).toHaveAttribute('data-call-state', 'connected', { timeout: 15_000 });
      await intruder.getByRole('button', { name: '끊기 (F4)' }).click();
    } else {
      // Listened to from the dial to the refusal (after it, nothing could play): not a moment of the agent's call.
      const loudest = await heardWhile(intruder, TONE.agent, async () => {
        await dialAgent();
        await expect(callCard(intruder)).toHaveAttribute('data-call-state', 'ended', { timeout: 15_000 });
      });
      expect(loudest).toBeLessThan(ABSENT);
      await expect(callCard(intruder)).toContainText('상대방이 거절함');
      await expect(callCard(intruder)).toHaveAttribute('data-end-cause', 'Rejected');
    }
    await expect(callCard(intruder)).toHaveAttribute('data-call-state', 'ended');
    const close = callCard(intruder).getByRole('button', { name: '닫기' });
    if (await close.count()) await close.click();
  };
  await monitorCall('X-Minwon-Monitor-Mode: listen', 'Rejected');
  await monitorCall(`X-Minwon-Monitor-Grant: ${forged}\nX-Minwon-Monitor-Mode: listen`, 'Rejected');
  await monitorCall(`X-Minwon-Monitor-Grant: ${await grant('agent2')}\nX-Minwon-Monitor-Mode: listen`, 'Rejected');
  await monitorCall(`X-Minwon-Monitor-Grant: ${leaked}\nX-Minwon-Monitor-Mode: barge`, 'Rejected');
  await monitorCall(`X-Minwon-Monitor-Grant: ${leaked}\nX-Minwon-Monitor-Mode: listen`, 'connected');
  await monitorCall(`X-Minwon-Monitor-Grant: ${leaked}\nX-Minwon-Monitor-Mode: listen`, 'Rejected');

  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'connected');
  await expect.poll(() => heard(citizen, TONE.agent), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(agent, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect
    .poll(async () => {
      const events = ((await api(city.url, lead, '/api/monitoring/audit?limit=200')).body as { events: { event: string; source: string; reason: string | null }[] }).events;
      return events.filter((e) => e.event === 'call-refused' && e.source === 'agent1').map((e) => e.reason?.split(':')[0]).sort();
    })
    .toEqual(['missing', 'mode', 'replay', 'signature', 'target']);
  // The leaked grant's one session is on the city's record, from the agent's desk (the lead's desk had no part in it).
  await expect.poll(() => sessionsStarted(since)).toEqual([0, 1]);
  await citizenHangsUp();
});

test('hides listening from the agent where the city says so, and ends with the monitored call', async () => {
  const { agent, citizen, lead } = pages;
  const since = Date.now();
  await citizenReachesAgent();
  const token = await login(city.url, 'lead1', 'lead1');
  expect((await api(city.url, token, '/api/settings/listenIndicator', { method: 'PUT', body: 'false' })).status).toBe(200);
  // The desk learns the city's setting at its next sync (every 2 s here).
  await freshSync(agent);
  await pick('listen');
  await expect.poll(() => heard(lead, TONE.citizen), { timeout: 15_000 }).toBeGreaterThan(PRESENT);
  await expect(agent.getByRole('status', { name: '모니터링' })).toHaveCount(0);
  await pick('whisper');
  await expect(agent.getByRole('status', { name: '모니터링' })).toContainText('귓속말');

  await citizen.getByRole('button', { name: '끊기 (F4)' }).click();
  await expect(lead.getByRole('status', { name: '모니터링' })).toContainText('모니터링 종료', { timeout: 10_000 });
  await expect(agent.getByRole('status', { name: '모니터링' })).toHaveCount(0);

  // Both desks put the session on the city's record.
  await expect.poll(() => sessionsStarted(since)).toEqual([1, 1]);
});
