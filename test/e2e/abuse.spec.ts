import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bandTimeline, channelOf, runsAbove } from '../helpers/audio-bands';
import { lastHeardRecording, startBaresip, toneRuns, toneTimeline, type Baresip } from '../helpers/baresip';
import { ABSENT, heard, heardWhile, openPhonePage, PRESENT, stopAll, DESK_VIEWPORT } from '../helpers/browser';
import { answerWhenRinging, callCard, dismiss, ready, REP, transferField } from '../helpers/desk-page';
import { call as api, login } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type CityServerProcess, type Spawned, type SipPorts } from '../helpers/processes';

// The abusive-caller protocol and call recording (issue 23) end to end: a citizen behind the
// city's PBX (baresip: its voice a tone, and a recording of what it hears) calls agent1's desk
// through Kamailio and rtpengine, which records the call; lead1 watches the board; a department
// staff phone (3511) takes a transfer. The desk's recorded warning is heard by the citizen only;
// the gateway's recording holds both sides in order; the protocol's end flags the number on every
// desk; a monitored and a transferred call are each recorded once.

// Each party's voice: none of them in the band the warning's speech is measured in (500-2200 Hz).
const TONE = { agent: 300, lead: 3200, staff: 2500, citizen: 2800 } as const;
const SPEECH = [500, 2200] as const;
// A frame of the band-passed recording with the warning in it reads well above this; a tone outside the band reads far below.
const SPEECH_RMS = 0.02;
const CITIZEN = '01055501234';
const WARNING_FRAMES = 80; // the warning is 9 s: at least 8 s of it in 100 ms frames

let dir: string;
let city: CityServerProcess;
let sip: Spawned;
let ports: SipPorts & { ng: number };
let baresip: Baresip;
let leadToken: string;
const procs: Spawned[] = [];
const browsers: Browser[] = [];
const pages = {} as Record<'agent' | 'lead' | 'staff', Page>;

test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

test.beforeAll(async () => {
  test.setTimeout(150_000);
  dir = mkdtempSync(join(tmpdir(), 'minwon-abuse-'));
  ports = { ws: await freePort(), sip: await freePort(), ng: await freePort() };
  const pbxPort = await freePort();
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  leadToken = await login(city.url, 'lead1', 'lead1');
  // The SIP server records into the city's data folder, where the city server takes the calls in.
  sip = await startSipProcess(join(dir, 'city'), ports, { pbx: `127.0.0.1:${pbxPort}` });
  const open = async (party: keyof typeof pages, url: string) => {
    pages[party] = await openPhonePage({ dir, browsers, url, hz: TONE[party], scripts: [] });
  };
  for (const [party, user] of [['agent', 'agent1'], ['lead', 'lead1']] as const) {
    const desk = await startDeskProcess({ server: city.url, cache: join(dir, `${user}.sqlite`), user, extra: ['--sip-ws', sipWs, '--interval', '2'] });
    procs.push(desk);
    await open(party, desk.url);
  }
  const staff = await startPracticeProcess({ server: city.url, user: '3511' });
  procs.push(staff);
  await open('staff', staff.url);
  baresip = await startBaresip(dir, { number: CITIZEN, sipPort: pbxPort, hz: TONE.citizen, proxyPort: ports.sip });
});

test.afterAll(async () => {
  await baresip?.stop();
  await stopAll(browsers, [...procs, sip], city);
});

const boardRow = () => pages.lead.getByRole('region', { name: '팀 현황' }).locator('tr[data-agent="agent1"]');
const alertFor = () => pages.lead.getByRole('alert', { name: '폭언 경고 알림' }).locator('[data-alert="agent1"]');
const protection = () => callCard(pages.agent).getByRole('group', { name: '폭언·욕설 대응' });
const announcing = () => callCard(pages.agent).locator('[data-announcing="abuse-warning"]');
const warningCount = () => callCard(pages.agent).locator('[data-warnings]');

/** Ready on the desk, and known as ready where Kamailio looks (the board reads the same presence). */
async function agentReady() {
  await ready(pages.agent);
  await expect.poll(async () => ((await api(city.url, leadToken, '/api/board')).body as { agents: { username: string; state: string }[] }).agents.find((a) => a.username === 'agent1')?.state).toBe('ready');
}

/** The citizen calls the representative number through the PBX; agent1 answers; both hear each other. */
async function citizenOnCall(): Promise<number> {
  const from = baresip.events.length;
  await baresip.command('dial', `sip:${REP}@127.0.0.1:${ports.sip}`);
  await answerWhenRinging(pages.agent);
  await baresip.waitEvent('CALL_ESTABLISHED', from);
  await expect.poll(() => heard(pages.agent, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  return from;
}

/** The warning played once from the key, until it has finished, and a pause after it (the recordings tell the warnings apart by it). */
async function warnOnce() {
  await pages.agent.keyboard.press('F9');
  await expect(announcing()).toBeVisible({ timeout: 5_000 });
  await expect(announcing()).toHaveCount(0, { timeout: 20_000 });
  await pages.agent.waitForTimeout(2_000);
}

const newestRecord = async () => ((await api(city.url, leadToken, '/api/records?limit=1')).body as { records: { id: string }[] }).records[0]?.id ?? null;

/** The consultation filed from the wrap-up; resolves to its record's id once the city server has it. */
async function fileRecord(button = '상담 기록 저장'): Promise<string> {
  const { agent } = pages;
  const before = await newestRecord();
  await agent.getByRole('combobox', { name: '상담 분류' }).selectOption('상수도');
  await agent.getByRole('button', { name: button }).click();
  let id: string | null = null;
  await expect.poll(async () => (id = await newestRecord()), { timeout: 15_000 }).not.toBe(before);
  return id as unknown as string;
}

interface Listed {
  id: string;
  callId: string;
  source: string;
  seconds: number;
  held: boolean;
}
/** The record's recordings once the city server filed `n` of them from the gateway's spool. */
async function recordingsOf(recordId: string, n: number): Promise<Listed[]> {
  let listed: Listed[] = [];
  await expect
    .poll(
      async () => {
        listed = ((await api(city.url, leadToken, `/api/records/${recordId}/recordings`)).body as { recordings: Listed[] }).recordings;
        return listed.length;
      },
      { timeout: 30_000 },
    )
    .toBe(n);
  return listed;
}

/** A recording's audio as the lead plays it (with a reason), saved as a WAV file. */
async function playedWav(id: string): Promise<string> {
  const res = await fetch(`${city.url}/api/recordings/${id}/audio`, { method: 'POST', headers: { authorization: `Bearer ${leadToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ purpose: 'play', reason: '보호 절차 시험' }) });
  expect(res.status).toBe(200);
  const file = join(dir, `${id}.wav`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

test('three warnings, then the protocol’s hang-up: the citizen alone hears each warning, the board alerts the lead, the gateway records both sides in order, and the protected break follows', async () => {
  const { agent, lead } = pages;
  await agentReady();
  const from = await citizenOnCall();
  // The gateway records this call: the desk records nothing of its own.
  await expect(callCard(agent)).toHaveAttribute('data-recording', 'gateway');
  await expect(warningCount()).toHaveAttribute('data-warnings', '0');
  await agent.waitForTimeout(2_000);

  // The agent's own speaker: nothing of the warning's speech while it plays. Probed where neither
  // tone nor G.711's folded harmonics of the citizen's tone fall; at most the noise before it.
  const PROBES = [1000, 1500] as const;
  const quiet = await Promise.all(PROBES.map((hz) => heardWhile(agent, hz, () => agent.waitForTimeout(800))));
  await agent.keyboard.press('F9');
  await expect(announcing()).toBeVisible({ timeout: 5_000 });
  for (const [i, hz] of PROBES.entries()) expect(await heardWhile(agent, hz, () => agent.waitForTimeout(1000))).toBeLessThan(Math.max(ABSENT, (quiet[i] as number) + 15));
  await expect(announcing()).toHaveCount(0, { timeout: 20_000 });
  await agent.waitForTimeout(2_000);
  await expect(alertFor()).toContainText('폭언 경고 1회', { timeout: 10_000 });
  await expect(boardRow()).toHaveClass(/row-alert/);
  await expect(alertFor().getByRole('button', { name: /끼어들기/ })).toBeEnabled();
  await lead.screenshot({ path: join('test-results', 'abuse-board-alert-1920.png') });

  await warnOnce();
  await expect(alertFor()).toContainText('폭언 경고 2회', { timeout: 10_000 });
  // The protocol's end is offered only after the city's number of warnings.
  await expect(protection().getByRole('button', { name: '폭언·욕설 종료' })).toHaveCount(0);
  await warnOnce();
  await expect(warningCount()).toContainText('경고 3/3');
  await agent.screenshot({ path: join('test-results', 'abuse-call-card-1920.png') });
  await agent.setViewportSize({ width: 1366, height: 768 });
  await agent.screenshot({ path: join('test-results', 'abuse-call-card-1366.png') });
  await agent.setViewportSize(DESK_VIEWPORT);
  await protection().getByRole('button', { name: '폭언·욕설 종료' }).click();
  await baresip.waitEvent('CALL_CLOSED', from);
  await expect(callCard(agent)).toHaveAttribute('data-end-reason', 'abusive');

  // The citizen heard the three warnings: three runs of speech of the clip's length.
  const heardByCitizen = runsAbove(bandTimeline(lastHeardRecording(baresip), ...SPEECH), SPEECH_RMS);
  expect(heardByCitizen).toHaveLength(3);
  for (const [a, b] of heardByCitizen) expect(b - a).toBeGreaterThanOrEqual(WARNING_FRAMES);

  // The wrap-up carries the protocol; saving it starts the city's protected break.
  await dismiss(agent);
  await expect(agent.getByRole('region', { name: '상담 기록' })).toContainText('폭언 경고 3회 · 구두 경고 0회 · 폭언·욕설 종료');
  const recordId = await fileRecord('저장하고 보호 휴식');
  await expect(agent.getByRole('region', { name: '상담원 상태' }).getByRole('status')).toContainText('보호 휴식');
  await expect(boardRow()).toHaveAttribute('data-protected', 'true', { timeout: 10_000 });
  await expect(lead.locator('[data-tile="protected"]')).toContainText('1명');
  await expect(lead.locator('[data-tile="away"]')).toContainText('0명');

  // The gateway's recording: the citizen on the left, the desk on the right, the warnings in the desk's channel only, after the talk began.
  const [recording] = await recordingsOf(recordId, 1);
  expect(recording?.source).toBe('gateway');
  const wav = await playedWav(recording?.id as string);
  const left = channelOf(wav, 1);
  const right = channelOf(wav, 2);
  expect(toneRuns(toneTimeline(left, TONE.citizen))).toEqual([true]);
  expect(toneRuns(toneTimeline(right, TONE.agent))[0]).toBe(true);
  expect(runsAbove(bandTimeline(left, ...SPEECH), SPEECH_RMS)).toEqual([]);
  const warnings = runsAbove(bandTimeline(right, ...SPEECH), SPEECH_RMS);
  expect(warnings).toHaveLength(3);
  const citizenFrom = toneTimeline(left, TONE.citizen).findIndex((v) => v > 0.05);
  const agentFrom = toneTimeline(right, TONE.agent).findIndex((v) => v > 0.05);
  expect(citizenFrom).toBeLessThan(warnings[0]?.[0] as number);
  expect(agentFrom).toBeLessThan(warnings[0]?.[0] as number);
  for (const [a, b] of warnings) expect(b - a).toBeGreaterThanOrEqual(WARNING_FRAMES);
});

test('the next call from the number shows the protocol’s end in the screen-pop before it is answered; a monitored call is recorded once, with the team lead’s barge in it', async () => {
  const { agent, lead } = pages;
  await agentReady();
  const from = baresip.events.length;
  await baresip.command('dial', `sip:${REP}@127.0.0.1:${ports.sip}`);
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  const pop = agent.getByRole('region', { name: '민원인' });
  await expect(pop.locator('[data-protection]')).toContainText('폭언·욕설 종료 이력');
  await expect(pop.locator('[data-protection]')).toContainText('최근 90일 1회');
  await agent.keyboard.press('F2');
  await baresip.waitEvent('CALL_ESTABLISHED', from);

  await warnOnce();
  // The lead steps in from the alert: the citizen hears the lead.
  await alertFor().getByRole('button', { name: /끼어들기/ }).click();
  await expect(lead.getByRole('status', { name: '모니터링' })).toContainText('끼어들기', { timeout: 20_000 });
  await agent.waitForTimeout(3_000);
  await agent.keyboard.press('F4');
  await baresip.waitEvent('CALL_CLOSED', from);
  expect(toneRuns(toneTimeline(lastHeardRecording(baresip), TONE.lead))).toContain(true);
  await dismiss(agent);
  const recordId = await fileRecord();
  // Once: the gateway's recording of the citizen's call; neither the desk nor the lead's leg adds one.
  const [recording] = await recordingsOf(recordId, 1);
  expect(recording?.source).toBe('gateway');
  const right = channelOf(await playedWav(recording?.id as string), 2);
  expect(toneRuns(toneTimeline(right, TONE.lead))).toContain(true);
  const day = new Date(Date.now() - 3_600_000).toISOString();
  const all = ((await api(city.url, leadToken, `/api/recordings?from=${day}&to=${new Date(Date.now() + 60_000).toISOString()}`)).body as { recordings: Listed[] }).recordings;
  expect(all.filter((r) => r.source === 'desk')).toEqual([]);
  expect(new Set(all.map((r) => r.callId)).size).toBe(all.length);
});

test('a blind transfer to a staff phone: the staff leg is recorded at the gateway too, linked to the agent’s record, and a report keeps both past retention', async () => {
  const { agent, staff } = pages;
  await agentReady();
  const from = await citizenOnCall();
  await (await transferField(agent)).fill('3511');
  await agent.getByRole('button', { name: '바로 호전환', exact: true }).click();
  await answerWhenRinging(staff);
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'ended', { timeout: 15_000 });
  await expect.poll(() => heard(staff, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await staff.waitForTimeout(2_000);
  await baresip.command('hangup');
  await expect(callCard(staff)).toHaveAttribute('data-call-state', 'ended', { timeout: 10_000 });
  expect(baresip.events.slice(from).filter((e) => e.type === 'CALL_ESTABLISHED')).toHaveLength(2);
  await dismiss(agent, staff);
  await agent.getByRole('combobox', { name: '피해 신고' }).selectOption({ label: '위협·협박' });
  const recordId = await fileRecord();
  const legs = await recordingsOf(recordId, 2);
  expect(legs.map((r) => [r.source, r.held])).toEqual([
    ['gateway', true],
    ['gateway', true],
  ]);
  const staffLeg = channelOf(await playedWav(legs[1]?.id as string), 2);
  expect(toneRuns(toneTimeline(staffLeg, TONE.staff))).toContain(true);
  const cases = ((await api(city.url, leadToken, '/api/protection/cases')).body as { cases: { recordId: string; kind: string; recordings: number }[] }).cases;
  expect(cases.find((c) => c.recordId === recordId)).toMatchObject({ kind: 'threat', recordings: 2 });
});
