import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ABSENT, heard, launchParty, PRESENT, stopAll, PARTY_TONE, DESK_VIEWPORT } from '../helpers/browser';
import { signIn } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { agentState, answerWhenRinging, callCard, closeDialPad, dial, dismiss, freshSync, notReady, openDialPad, openSettings, pressKeys, ready, REP, showTab, transferField } from '../helpers/desk-page';
import { startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type CityServerProcess, type Spawned } from '../helpers/processes';
import { routedState } from '../helpers/state';

// Calls through the real Kamailio between real Chromium parties: two agents' desks, a citizen on
// the practice phone calling the representative number, and a department staff phone (3511).
// Each party has its own tone; the analyser on what each page plays proves who hears whom.

const TONE = PARTY_TONE;

let dir: string;
let city: CityServerProcess;
let sip: Spawned;
let sipPorts: { ws: number; sip: number };
const procs: Spawned[] = [];
const browsers: Browser[] = [];
const pages: Record<'agent1' | 'agent2' | 'citizen' | 'staff', Page> = {} as never;

// Seen in the page: which DTMF tones Chromium actually played out (RTCDTMFSender 'tonechange'),
// desktop notifications shown, and a switch that hides one output device as if unplugged.
const SPIES = () => {
  const w = window as unknown as { __tones: string[]; __notices: string[]; __unplugged: string | null };
  w.__tones = [];
  w.__notices = [];
  w.__unplugged = null;
  // Hooked at the first tone the page sends.
  const insert = RTCDTMFSender.prototype.insertDTMF;
  const hooked = new WeakSet<RTCDTMFSender>();
  RTCDTMFSender.prototype.insertDTMF = function (this: RTCDTMFSender, ...args: Parameters<RTCDTMFSender['insertDTMF']>) {
    if (!hooked.has(this)) {
      hooked.add(this);
      this.addEventListener('tonechange', (e) => (e as RTCDTMFToneChangeEvent).tone && w.__tones.push((e as RTCDTMFToneChangeEvent).tone));
    }
    return insert.apply(this, args);
  };
  const Native = window.Notification;
  window.Notification = class extends Native {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      w.__notices.push(`${title}: ${options?.body ?? ''}`);
    }
  } as typeof Notification;
  const enumerate = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
  navigator.mediaDevices.enumerateDevices = async () => (await enumerate()).filter((d) => d.label !== w.__unplugged);
};

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'minwon-call-'));
  sipPorts = { ws: await freePort(), sip: await freePort() };
  const sipWs = `ws://127.0.0.1:${sipPorts.ws}`;
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  sip = await startSipProcess(join(dir, 'city'), sipPorts);
  const open = async (party: keyof typeof pages, url: string, hz: number) => {
    const browser = await launchParty(dir, hz);
    browsers.push(browser);
    // Granting notifications resets the context's other permissions: without the microphone's,
    // Chromium gathers no ICE candidates at all and calls connect with no audio.
    const context = await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['notifications', 'microphone'] });
    await context.addInitScript(SPIES);
    const page = await context.newPage();
    await page.goto(url);
    await expect(page.getByRole('status', { name: '전화 상태' })).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
    pages[party] = page;
  };
  for (const user of ['agent1', 'agent2'] as const) {
    const desk = await startDeskProcess({ server: city.url, cache: join(dir, `${user}.sqlite`), user, extra: ['--sip-ws', sipWs, '--interval', '2'] });
    procs.push(desk);
    await open(user, desk.url, TONE[user]);
  }
  for (const [party, user] of [['citizen', 'citizen1'], ['staff', '3511']] as const) {
    const phone = await startPracticeProcess({ server: city.url, user });
    procs.push(phone);
    await open(party, phone.url, TONE[party]);
  }
});

test.afterAll(() => stopAll(browsers, [...procs, sip], city));

const call = callCard;
const consult = (page: Page) => page.getByRole('region', { name: '협의 통화', exact: true });

/** The citizen calls the representative number and `agent` answers (the only ready agent). */
async function citizenReaches(agent: Page) {
  await dial(pages.citizen, REP);
  await answerWhenRinging(agent);
  await expect(call(pages.citizen)).toHaveAttribute('data-call-state', 'connected');
}

test('the representative number reaches the ready agent idle the longest; busy when nobody is ready', async () => {
  const { agent1, agent2, citizen } = pages;
  // Agents start not ready: nobody is offered the call, and the caller hears busy at once.
  await dial(citizen, REP);
  await expect(call(citizen)).toHaveAttribute('data-call-state', 'ended');
  await expect(call(citizen)).toContainText('상대방이 통화 중');
  await expect(call(citizen)).toHaveAttribute('data-end-cause', 'Busy');
  await expect(call(agent1)).toHaveCount(0);
  await expect(call(agent2)).toHaveCount(0);
  await dismiss(citizen);

  // agent2 has been ready longer than agent1 where Kamailio routes by it: the call goes to agent2 first.
  const routed = (user: string) => routedState(join(dir, 'city'), user);
  await ready(agent2);
  await expect.poll(() => routed('agent2')).toBe('ready');
  await ready(agent1);
  await expect.poll(() => routed('agent1')).toBe('ready');
  await dial(citizen, REP);
  await expect(call(agent2)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await expect(call(agent2)).toContainText(`대표번호 ${REP}`);
  await expect(call(agent1)).toHaveCount(0);
  // agent2 declines: the call moves on to the next ready agent.
  await agent2.getByRole('button', { name: '거절 (F4)' }).click();
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await agent1.keyboard.press('F2');
  await expect(call(citizen)).toHaveAttribute('data-call-state', 'connected');
  await expect(agentState(agent1)).toHaveText('통화 중');
  // A declined call is no work done: agent2 is still ready.
  await expect(agentState(agent2)).toHaveText('상담 대기 중');
  await citizen.getByRole('button', { name: '끊기 (F4)' }).click();
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'ended');
  await expect(agentState(agent1)).toContainText('후처리 중');
  await dismiss(citizen, agent1, agent2);
  await notReady(agent2);
});

test('rings on the ringer device, talks on the headset; both hear each other; mute, hold, DTMF; the caller hangs up', async () => {
  const { agent1, citizen } = pages;
  const settings = await openSettings(agent1);
  await settings.getByRole('combobox', { name: '벨소리 스피커' }).selectOption({ label: 'Fake Audio Output 2' });
  await settings.getByRole('combobox', { name: '통화 스피커 (헤드셋)' }).selectOption({ label: 'Fake Audio Output 1' });
  await agent1.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);
  const outputs = await agent1.evaluate(async () =>
    Object.fromEntries((await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput').map((d) => [d.label, d.deviceId])),
  );
  await ready(agent1);

  await dial(citizen, REP);
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  const ringer = agent1.locator('[data-ringer]');
  await expect.poll(() => ringer.evaluate((el: HTMLAudioElement) => ({ sink: el.sinkId, playing: !el.paused }))).toEqual({ sink: outputs['Fake Audio Output 2'], playing: true });
  // The ring itself: 480 Hz (with 440) in Korea's cadence.
  await expect.poll(() => heard(agent1, 480, '[data-ringer]'), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await agent1.keyboard.press('F2');
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'connected');
  await expect.poll(() => ringer.evaluate((el: HTMLAudioElement) => el.paused)).toBe(true);
  await expect.poll(() => call(agent1).locator('[data-remote-audio]').evaluate((el: HTMLAudioElement) => el.sinkId)).toBe(outputs['Fake Audio Output 1']);
  await expect(call(agent1).getByLabel('통화 시간')).toHaveText(/^00:0\d$/);

  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  expect(await heard(agent1, TONE.agent1)).toBeLessThan(ABSENT);
  await expect(call(agent1).locator('[data-quality]')).toHaveAttribute('data-quality', 'good', { timeout: 10_000 });

  await agent1.getByRole('button', { name: '음소거' }).click();
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await agent1.keyboard.press('F6');
  await expect(agent1.getByRole('button', { name: '음소거' })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);

  // Hold (a re-INVITE through Kamailio's in-dialog routing) silences both ways; resume restores both.
  await agent1.keyboard.press('F3');
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await agent1.getByRole('button', { name: '보류' }).click();
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);

  // DTMF in the media (RFC 4733): Chromium plays each tone out on the RTP stream. The citizen's
  // phone hears them: Chromium plays received RFC 4733 events out, and the phone listens for keys.
  // At a person's pace, as the far end's key detection expects: a key once the last one was heard.
  let sent = '';
  const pad = await openDialPad(agent1);
  for (const k of ['1', '2', '3']) {
    await pad.getByRole('button', { name: `${k} 누르기` }).click();
    sent += k;
    await expect(call(citizen)).toContainText(`받은 번호: ${sent}`);
  }
  await closeDialPad(agent1);
  await expect(call(agent1)).toContainText('보낸 번호: 123 · 음성 채널(RFC 4733)');
  await expect.poll(() => agent1.evaluate(() => (window as unknown as { __tones: string[] }).__tones.join(''))).toBe('123');
  // The city switches desks to SIP INFO (a PBX that wants it): the digits arrive at the citizen's phone.
  const lead = await signIn(city.url, 'lead1', 'lead1');
  const put = await fetch(`${city.url}/api/settings/dtmfMethod`, { method: 'PUT', headers: { authorization: `Bearer ${lead.token}`, 'content-type': 'application/json' }, body: '"info"' });
  expect(put.status).toBe(200);
  await freshSync(agent1);
  await pressKeys(agent1, ['4', '#']);
  await expect(call(citizen)).toContainText('받은 번호: 1234#');
  await expect(call(agent1)).toContainText('보낸 번호: 1234# · SIP INFO');
  await fetch(`${city.url}/api/settings/dtmfMethod`, { method: 'PUT', headers: { authorization: `Bearer ${lead.token}`, 'content-type': 'application/json' }, body: '"auto"' });

  await citizen.keyboard.press('F4');
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'ended');
  await expect(call(citizen)).toHaveAttribute('data-call-state', 'ended');
  await dismiss(citizen, agent1);
});

test('blind transfer from the directory: the citizen talks with the staff member, the agent is free', async () => {
  const { agent1, citizen, staff } = pages;
  await ready(agent1);
  await citizenReaches(agent1);
  await showTab(agent1, '부서연결');
  await agent1.getByRole('searchbox', { name: '부서·업무·담당자 검색' }).fill('김민수');
  await agent1.getByRole('button', { name: '김민수 주무관에게 바로 호전환' }).click();
  await answerWhenRinging(staff);
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'ended', { timeout: 15_000 });
  await expect(agentState(agent1)).toContainText('후처리 중');
  await expect.poll(() => heard(citizen, TONE.staff), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(staff, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await staff.keyboard.press('F4');
  await expect(call(citizen)).toHaveAttribute('data-call-state', 'ended');
  await dismiss(citizen, staff, agent1);
});

test('attended transfer: the caller waits on hold during the consultation; cancel returns to them; complete hands them over', async () => {
  const { agent1, citizen, staff } = pages;
  await ready(agent1);
  await citizenReaches(agent1);
  await (await transferField(agent1)).fill('3511');
  await agent1.getByRole('button', { name: '상담 후 호전환', exact: true }).click();
  await expect(call(staff)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await staff.keyboard.press('F2');
  await expect(consult(agent1)).toHaveAttribute('data-call-state', 'connected');
  await expect(consult(agent1)).toContainText('3511와(과) 협의 중');
  await expect.poll(() => heard(agent1, TONE.staff), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(staff, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  // The citizen hears neither the consultation nor the agent.
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeLessThan(ABSENT);
  expect(await heard(citizen, TONE.staff)).toBeLessThan(ABSENT);

  // Cancel: back to the citizen, the staff call ends.
  await agent1.getByRole('button', { name: '호전환 취소, 민원인에게 복귀' }).click();
  await expect(call(staff)).toHaveAttribute('data-call-state', 'ended');
  await expect(consult(agent1)).toHaveCount(0);
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await dismiss(staff);

  // Consult again, then complete: the citizen and the staff member talk; the agent's calls end.
  await agent1.getByRole('button', { name: '상담 후 호전환', exact: true }).click();
  await expect(call(staff)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await staff.keyboard.press('F2');
  await expect(consult(agent1)).toHaveAttribute('data-call-state', 'connected');
  await agent1.getByRole('button', { name: '호전환 완료' }).click();
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'ended', { timeout: 15_000 });
  await expect(consult(agent1)).toHaveCount(0);
  await expect(agentState(agent1)).toContainText('후처리 중');
  await expect.poll(() => heard(citizen, TONE.staff), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(staff, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  expect(await heard(citizen, TONE.agent1)).toBeLessThan(ABSENT);
  await staff.keyboard.press('F4');
  await expect(call(citizen)).toHaveAttribute('data-call-state', 'ended');
  await dismiss(citizen, staff, agent1);
});

test('a second call while busy: direct calls get busy, the representative number goes to another ready agent', async () => {
  const { agent1, agent2, citizen, staff } = pages;
  await ready(agent1);
  await citizenReaches(agent1);
  await dial(staff, 'agent1');
  await expect(call(staff)).toHaveAttribute('data-call-state', 'ended');
  await expect(call(staff)).toContainText('상대방이 통화 중');
  await expect(call(staff)).toHaveAttribute('data-end-cause', 'Busy');
  await dismiss(staff);
  await ready(agent2);
  await dial(staff, REP);
  await expect(call(agent2)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await agent2.keyboard.press('F2');
  await expect(call(staff)).toHaveAttribute('data-call-state', 'connected');
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'connected');
  // The agent hangs up this time.
  await agent1.keyboard.press('F4');
  await agent2.keyboard.press('F4');
  await expect(call(citizen)).toHaveAttribute('data-call-state', 'ended');
  await expect(call(staff)).toHaveAttribute('data-call-state', 'ended');
  await dismiss(citizen, staff, agent1, agent2);
  await notReady(agent2);
});

test('Kamailio restarts during a call: the audio goes on, the desk says the network is degraded, re-registers, and the call still hangs up', async () => {
  const { agent1, citizen } = pages;
  await ready(agent1);
  await citizenReaches(agent1);
  sip.proc.kill('SIGTERM');
  await sip.exited;
  await expect(agent1.getByRole('alert').filter({ hasText: '네트워크 불안정' })).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  sip = await startSipProcess(join(dir, 'city'), sipPorts);
  await expect(agent1.getByRole('status', { name: '전화 상태' })).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
  await expect(citizen.getByRole('status', { name: '전화 상태' })).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
  await expect(agent1.getByRole('alert').filter({ hasText: '네트워크 불안정' })).toHaveCount(0);
  expect(await heard(citizen, TONE.agent1)).toBeGreaterThan(PRESENT);
  // The BYE reaches the citizen's phone over its new connection.
  await agent1.keyboard.press('F4');
  await expect(call(citizen)).toHaveAttribute('data-call-state', 'ended', { timeout: 15_000 });
  await dismiss(citizen, agent1);
});

/** The agent's auto-answer choice, in the settings dialog. */
async function autoAnswer(page: Page, label: string): Promise<void> {
  const settings = await openSettings(page);
  await settings.getByRole('combobox', { name: '자동 응답' }).selectOption({ label });
  await page.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);
}

test('auto-answer after the agent’s delay, with a desktop notification while it rings', async () => {
  const { agent1, citizen } = pages;
  await autoAnswer(agent1, '3초 후');
  await ready(agent1);
  await agent1.evaluate(() => ((window as unknown as { __notices: string[] }).__notices = []));
  await dial(citizen, REP);
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await expect(call(agent1)).toContainText('초 후 자동 응답');
  await expect.poll(() => agent1.evaluate(() => (window as unknown as { __notices: string[] }).__notices)).toEqual(['수신 전화: 연습 민원인 1 (citizen1)']);
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'connected', { timeout: 10_000 });
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await citizen.keyboard.press('F4');
  await expect(call(agent1)).toHaveAttribute('data-call-state', 'ended');
  await autoAnswer(agent1, '사용 안 함');
  await dismiss(citizen, agent1);
});

test('a headset unplugged during work: the desk falls back, says so, and restores it when it is back', async () => {
  const { agent1 } = pages;
  const unplug = (label: string | null) =>
    agent1.evaluate((l) => {
      (window as unknown as { __unplugged: string | null }).__unplugged = l;
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    }, label);
  await unplug('Fake Audio Output 1');
  await expect(agent1.getByRole('alert').filter({ hasText: 'Fake Audio Output 1을(를) 찾을 수 없어 시스템 기본 장치를 씁니다.' })).toBeVisible();
  await unplug(null);
  await expect(agent1.getByRole('alert').filter({ hasText: 'Fake Audio Output 1이(가) 다시 연결되어 되돌렸습니다.' })).toBeVisible();
  await expect((await openSettings(agent1)).getByRole('combobox', { name: '통화 스피커 (헤드셋)' })).toHaveValue(/.+/);
  await agent1.keyboard.press('Escape');
});
