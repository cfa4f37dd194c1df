import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ABSENT, DESK_VIEWPORT, heard, launchParty, PRESENT, stopAll, TONES } from '../helpers/browser';
import { answerWhenRinging, callCard, dial, dismiss, ready, REP } from '../helpers/desk-page';
import { cspRefusals } from '../helpers/portal-page';
import { freePort } from '../helpers/ports';
import { runMinwon, startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type CityServerProcess, type Spawned } from '../helpers/processes';
import { recording, speechLevel, SPEECH_ABSENT, SPEECH_PRESENT, sustainedSpeech, timeline, type AudioWindow, type RecordingSummary } from '../helpers/speech-audio';

// The desk's side of call audio for the abusive-caller protocol (issue 23), through the real
// Kamailio between real Chromium parties, each with its own tone: the recorded warning reaches the
// citizen and never the agent's own speaker path; the warnings are counted and, at the city's
// number, end the call with the reason; the desk records the call (the practice phone is WebRTC
// straight to the desk: no gateway records it) with both tones and the warning in it; and a call
// the desk places to a citizen's number opens with the recording notice before the agent's voice.

// Away from the warning's strongest band (its voice, 200 Hz-1.2 kHz), which the speech measure reads.
const TONE = { agent: TONES[1], citizen: TONES[2], callee: TONES[3] } as const;
/** A citizen's mobile number, registered as a phone account: the desk's call to it is WebRTC, recorded by the desk. */
const CITIZEN_NUMBER = '01055501234';

let dir: string;
let city: CityServerProcess;
let sip: Spawned;
const procs: Spawned[] = [];
const browsers: Browser[] = [];
const pages = {} as Record<'agent' | 'citizen' | 'callee', Page>;
/** What the desk's Content-Security-Policy refused: loading and playing the announcements must need nothing it forbids. */
let refused: string[] = [];

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

test.beforeAll(async () => {
  test.setTimeout(150_000);
  dir = mkdtempSync(join(tmpdir(), 'minwon-call-audio-'));
  const ports = { ws: await freePort(), sip: await freePort() };
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  sip = await startSipProcess(join(dir, 'city'), ports);
  const calleePassword = 'callee-number-pw';
  const added = await runMinwon(['user', 'add', CITIZEN_NUMBER, '--role', 'phone', '--data', join(dir, 'city')], { MINWON_PASSWORD: calleePassword });
  if (added.code !== 0) throw new Error(`user add: ${added.stderr}`);
  const open = async (party: keyof typeof pages, url: string, init?: string) => {
    const browser = await launchParty(dir, TONE[party]);
    browsers.push(browser);
    const context = await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'] });
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    if (party === 'agent') refused = cspRefusals(page);
    await page.goto(url);
    await expect(page.getByRole('status', { name: '전화 상태' })).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
    pages[party] = page;
  };
  const desk = await startDeskProcess({ server: city.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1', extra: ['--sip-ws', sipWs] });
  const citizen = await startPracticeProcess({ server: city.url, user: 'citizen1' });
  const callee = await startPracticeProcess({ server: city.url, user: CITIZEN_NUMBER, password: calleePassword });
  procs.push(desk, citizen, callee);
  // The desk hands each finished recording to its onRecording, and to this array (create-phone.ts).
  await open('agent', desk.url, 'window.__minwonRecordings = []');
  await open('citizen', citizen.url);
  await open('callee', callee.url);
});

test.afterAll(() => stopAll(browsers, [...procs, sip], city));

test.afterEach(() => expect(refused).toEqual([]));

const protection = (page: Page) => callCard(page).getByRole('group', { name: '폭언·욕설 대응' });
/** The warnings so far, beside the call's timers (a polite live region, empty before the first). */
const warnings = (page: Page) => callCard(page).locator('[data-warnings]');
const recordings = (page: Page) => page.evaluate(() => (window as unknown as { __minwonRecordings: unknown[] }).__minwonRecordings.length);
/** Windows of a timeline from `from` (ms, wall clock) on. */
const since = (windows: AudioWindow[], from: number) => windows.filter((w) => w.at >= from);

test('the warning reaches the citizen only; three warnings end the call with the reason; the desk’s recording holds both sides and the warning', async () => {
  const { agent, citizen } = pages;
  await ready(agent);
  await dial(citizen, REP);
  await answerWhenRinging(agent);
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'connected');
  // A citizen's call straight from a WebRTC phone: no gateway records it, so the desk does.
  await expect(callCard(agent)).toHaveAttribute('data-recording', 'desk');
  await expect(callCard(agent)).toContainText('녹음 중');
  await expect.poll(() => heard(citizen, TONE.agent), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(agent, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  // Only tones on the line: nothing reads as speech on either side.
  expect(await speechLevel(citizen, [TONE.agent])).toBeLessThan(SPEECH_ABSENT);
  expect(await speechLevel(agent, [TONE.citizen])).toBeLessThan(SPEECH_ABSENT);

  // Muted, the agent's microphone is silent at the citizen's end; the warning still plays.
  await agent.keyboard.press('F6');
  await expect.poll(() => heard(citizen, TONE.agent), { timeout: 10_000 }).toBeLessThan(ABSENT);
  const atCitizen = await timeline(citizen, { tones: [TONE.agent], guard: [TONE.agent] });
  const atAgent = await timeline(agent, { tones: [TONE.citizen], guard: [TONE.citizen] });
  // Listening before the press, so what is heard after it is read by analysers long past their start.
  await new Promise((r) => setTimeout(r, 500));
  const warn = protection(agent).getByRole('button', { name: '폭언 경고 (F9)' });
  await expect(warn).toHaveAttribute('aria-keyshortcuts', 'F9');
  const pressed = await agent.evaluate(() => performance.timeOrigin + performance.now());
  await warn.click();
  const playing = callCard(agent).locator('[data-announcing="abuse-warning"]');
  await expect(playing).toHaveText(/폭언 경고 안내 중/);
  await expect(warnings(agent)).toContainText('경고 1/3');
  // One at a time: pressing again while it plays changes nothing.
  await agent.keyboard.press('F9');
  await expect(playing).toHaveCount(0, { timeout: 20_000 });
  const citizenHeard = since(await atCitizen.stop(), pressed);
  const agentHeard = since(await atAgent.stop(), pressed);
  await expect(warnings(agent)).toContainText('경고 1/3');
  // The citizen heard speech (the warning) for seconds (it lasts 9 s).
  const speechWindows = citizenHeard.filter((w) => w.speech > SPEECH_PRESENT);
  expect(speechWindows.length, `speech at the citizen: ${citizenHeard.map((w) => Math.round(w.speech)).join(' ')}`).toBeGreaterThan(40);
  // The agent's own speaker path: the citizen's tone all along, and no warning in it at any moment.
  expect(sustainedSpeech(agentHeard), `speech at the agent (dB@peak Hz): ${agentHeard.map((w) => `${Math.round(w.speech)}@${w.speechHz}`).join(' ')}`).toBeLessThan(SPEECH_ABSENT);
  expect(Math.min(...agentHeard.slice(1).map((w) => w.tones[0] ?? -200))).toBeGreaterThan(PRESENT);
  // The warning left the agent muted: mute is the microphone's alone.
  expect(await heard(citizen, TONE.agent)).toBeLessThan(ABSENT);

  // Unmuted; the second warning by its key, the third spoken by the agent and counted.
  await agent.keyboard.press('F6');
  await expect.poll(() => heard(citizen, TONE.agent), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await agent.keyboard.press('F9');
  await expect(playing).toHaveText(/폭언 경고 안내 중/);
  await expect.poll(() => speechLevel(citizen, [TONE.agent]), { timeout: 5_000 }).toBeGreaterThan(SPEECH_PRESENT);
  await expect(warnings(agent)).toContainText('경고 2/3');
  await expect(protection(agent).getByRole('button', { name: '폭언·욕설 종료' })).toHaveCount(0);
  await expect(playing).toHaveCount(0, { timeout: 20_000 });
  await protection(agent).getByRole('button', { name: '구두 경고 +1' }).click();
  const count = warnings(agent);
  await expect(count).toContainText('경고 3/3');
  await expect(count).toContainText('안내 2 · 구두 1');
  // Announced politely: a status, not an alert.
  await expect(count).toHaveAttribute('role', 'status');
  await expect(count).not.toHaveAttribute('aria-live', 'assertive');

  // The call card with the protocol's controls, the count and the end at hand: labelled, contrasted, reachable.
  const { violations } = await new AxeBuilder({ page: agent }).include('[data-call-state]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 100)).join(', ')}`)).toEqual([]);
  // By keyboard: the end button is in the tab order.
  const end = protection(agent).getByRole('button', { name: '폭언·욕설 종료' });
  await end.focus();
  await expect(end).toBeFocused();
  await end.press('Enter');
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'ended');
  await expect(callCard(agent)).toHaveAttribute('data-end-reason', 'abusive');
  await expect(callCard(agent)).toContainText('폭언·욕설 종료');
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'ended');

  // The desk's recording, from answer to hang-up: the citizen's tone, the agent's tone and the warnings.
  await expect.poll(() => recordings(agent), { timeout: 10_000 }).toBe(1);
  const rec = await recording(agent, 0, { tones: [TONE.agent, TONE.citizen], guard: [TONE.agent, TONE.citizen] });
  expect(rec.meta).toMatchObject({ mediaType: 'audio/webm', type: 'audio/webm' });
  expect(rec.meta.callId).toMatch(/^[\x21-\x7e]+$/);
  expect(rec.meta.id).toMatch(/^[0-9a-f-]{36}$/);
  const held = (Date.parse(rec.meta.endedAt) - Date.parse(rec.meta.startedAt)) / 1000;
  // The warnings alone are 18 s; the decoded audio lasts as long as the recording says, give or take a chunk.
  expect(held).toBeGreaterThan(18);
  expect(Math.abs(rec.seconds - held)).toBeLessThan(2);
  const windowsWith = (pick: (w: RecordingSummary['windows'][number]) => boolean) => rec.windows.filter(pick).length;
  const levels = () => rec.windows.map((w) => `${w.t.toFixed(1)}:${w.tones.map(Math.round).join('/')}/${Math.round(w.speech)}`).join(' ');
  // The agent's tone where no warning plays (speech has energy at any tone's frequency too).
  expect(windowsWith((w) => (w.tones[0] ?? -200) > PRESENT && w.speech < SPEECH_ABSENT), `agent tone: ${levels()}`).toBeGreaterThan(10);
  expect(windowsWith((w) => (w.tones[1] ?? -200) > PRESENT), `citizen tone: ${levels()}`).toBeGreaterThan(100);
  expect(windowsWith((w) => w.speech > SPEECH_PRESENT), `warnings: ${levels()}`).toBeGreaterThan(80);
  // The muted stretch before the first warning holds neither the agent's tone nor speech: what the
  // citizen heard, not what the microphone picked up.
  expect(windowsWith((w) => (w.tones[0] ?? -200) < ABSENT && w.speech < SPEECH_ABSENT && (w.tones[1] ?? -200) > PRESENT), `muted: ${levels()}`).toBeGreaterThan(3);
  await dismiss(agent, citizen);
});

test('a call to a citizen’s number opens with the recording notice, before the agent’s voice', async () => {
  const { agent, callee } = pages;
  await ready(agent);
  await dial(agent, CITIZEN_NUMBER);
  const atCallee = await timeline(callee, { tones: [TONE.agent], guard: [TONE.agent] });
  await answerWhenRinging(callee);
  const answered = await callee.evaluate(() => performance.timeOrigin + performance.now());
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'connected');
  // The agent sees it playing, and that the microphone opens after it.
  const notice = callCard(agent).locator('[data-announcing="recording-notice"]');
  await expect(notice).toHaveText('녹음 안내 중: 안내가 끝나면 마이크가 연결됩니다');
  await expect(callCard(agent)).toHaveAttribute('data-recording', 'desk');
  await expect(notice).toHaveCount(0, { timeout: 20_000 });
  const noticeEnded = await agent.evaluate(() => performance.timeOrigin + performance.now());
  await expect.poll(() => heard(callee, TONE.agent), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  const windows = since(await atCallee.stop(), answered);
  const levels = windows.map((w) => `${Math.round(w.at - answered)}:${Math.round(w.tones[0] ?? 0)}/${Math.round(w.speech)}`).join(' ');
  // Speech has energy at the agent's tone too: the tone counts as the agent's where no speech is.
  const agentAlone = (w: AudioWindow) => (w.tones[0] ?? -200) > PRESENT && w.speech < SPEECH_ABSENT;
  const firstSpeech = windows.find((w) => w.speech > SPEECH_PRESENT);
  const firstAgent = windows.find(agentAlone);
  expect(firstSpeech, `the notice was heard: ${levels}`).toBeDefined();
  expect(firstAgent, `the agent was heard: ${levels}`).toBeDefined();
  const [speechAt, agentAt] = [firstSpeech?.at ?? 0, firstAgent?.at ?? 0];
  // The notice at once, for seconds; the agent's voice only once it had ended (allowing the path's delay).
  expect(speechAt - answered, levels).toBeLessThan(1_500);
  expect(agentAt - speechAt, levels).toBeGreaterThan(8_000);
  expect(agentAt, levels).toBeGreaterThan(noticeEnded - 1_000);
  const duringNotice = windows.filter((w) => w.at < agentAt);
  expect(duringNotice.filter((w) => w.speech > SPEECH_PRESENT).length, levels).toBeGreaterThan(40);
  // In the notice's pauses (silence between its phrases), no microphone either: the agent was not
  // heard under it. The speech measure leaves the agent's tone out, so an open microphone would
  // still show as the tone in these windows (it reads -40 dB when heard).
  const pauses = duringNotice.filter((w) => w.speech < -100);
  expect(pauses.length, levels).toBeGreaterThan(3);
  expect(Math.max(...pauses.map((w) => w.tones[0] ?? -200)), levels).toBeLessThan(ABSENT);
  // Not a warning: nothing counted, nothing shown.
  await expect(warnings(agent)).toHaveAttribute('data-warnings', '0');
  await expect(warnings(agent)).toHaveText('');

  await agent.keyboard.press('F4');
  await expect(callCard(callee)).toHaveAttribute('data-call-state', 'ended');
  await expect.poll(() => recordings(agent), { timeout: 10_000 }).toBe(2);
  const rec = await recording(agent, 1, { tones: [TONE.agent, TONE.callee], guard: [TONE.agent, TONE.callee] });
  // The recording starts with the notice (the citizen was told), then both sides.
  expect(rec.windows.slice(0, 40).filter((w) => w.speech > SPEECH_PRESENT).length).toBeGreaterThan(20);
  expect(rec.windows.filter((w) => (w.tones[0] ?? -200) > PRESENT && w.speech < SPEECH_ABSENT).length).toBeGreaterThan(0);
  expect(rec.windows.filter((w) => (w.tones[1] ?? -200) > PRESENT).length).toBeGreaterThan(20);
  await dismiss(agent, callee);
});

test('the desk’s call to a colleague (a username, not a number) is neither announced nor recorded', async () => {
  const { agent, citizen } = pages;
  await ready(agent);
  await dial(agent, 'citizen1');
  await answerWhenRinging(citizen);
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'connected');
  await expect.poll(() => heard(citizen, TONE.agent), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect(callCard(agent)).not.toHaveAttribute('data-recording', /./);
  await expect(callCard(agent).locator('[data-announcing]')).toHaveCount(0);
  await agent.keyboard.press('F4');
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'ended');
  await dismiss(agent, citizen);
  expect(await recordings(agent)).toBe(2);
});
