import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryItem } from '../../shared/record';
import { ABSENT, heard, launchParty, PRESENT, stopAll, PARTY_TONE, DESK_VIEWPORT } from '../helpers/browser';
import { agentState, answerWhenRinging, callCard, dial, dismiss, notReady, ready, REP, showTab, transferField } from '../helpers/desk-page';
import { call as api, login, signIn } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type CityServerProcess, type Spawned } from '../helpers/processes';
import { routedState } from '../helpers/state';

// Calls that must never be dropped, and records that must never be lost, when the desk is used as
// people use it: a second tab, a reload or a crashed window mid-call, the city server or the SIP
// server gone, keys pressed twice, transfers that fail. Real Kamailio, real Chromium parties (each
// with its own tone), a real city server.

const TONE = PARTY_TONE;

let dir: string;
let city: CityServerProcess;
let cityPort: number;
let sip: Spawned;
let sipPorts: { ws: number; sip: number };
let lead: string;
let agent1Id: string;
const procs: Spawned[] = [];
const browsers: Browser[] = [];
const pages = {} as Record<'agent1' | 'agent2' | 'citizen' | 'staff', Page>;
const contexts = {} as Record<'agent1' | 'agent2' | 'citizen' | 'staff', BrowserContext>;
let agent1Url: string;
/** Errors thrown in agent1's pages. */
const pageErrors: string[] = [];

// In each desk page: every microphone track the page opened (and a switch to make opening it slow,
// as a permission prompt or a busy machine does), and every WebSocket it opened.
const SPIES = () => {
  const w = window as unknown as { __tracks: MediaStreamTrack[]; __gumDelayMs: number; __sockets: WebSocket[] };
  w.__tracks = [];
  w.__gumDelayMs = 0;
  w.__sockets = [];
  const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    if (w.__gumDelayMs) await new Promise((r) => setTimeout(r, w.__gumDelayMs));
    const stream = await open(constraints);
    w.__tracks.push(...stream.getTracks());
    return stream;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      w.__sockets.push(this);
    }
  } as typeof WebSocket;
};

const phoneStatus = (page: Page) => page.getByRole('status', { name: '전화 상태' });
const wrapUp = (page: Page) => page.getByRole('region', { name: '상담 기록' });
const consultCard = (page: Page) => page.getByRole('region', { name: '협의 통화', exact: true });
const deskNotice = (page: Page) => page.locator('.desk-hold');

/** What Kamailio reads to route the representative number: agent1's state. */
const routed = () => routedState(join(dir, 'city'), 'agent1');

/** Records agent1 filed since `since`, as the city has them. */
async function cityRecords(since: string): Promise<HistoryItem[]> {
  return ((await api(city.url, lead, `/api/records?agent=${agent1Id}&from=${encodeURIComponent(since)}&limit=100`)).body as { records: HistoryItem[] }).records;
}

async function openDeskPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  await expect(phoneStatus(page)).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
  return page;
}

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const startCity = async () => {
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs: `ws://127.0.0.1:${sipPorts.ws}`, port: cityPort });
};

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'minwon-resilience-'));
  sipPorts = { ws: await freePort(), sip: await freePort() };
  cityPort = await freePort();
  await startCity();
  lead = await login(city.url, 'lead1', 'lead1');
  agent1Id = (await signIn(city.url, 'agent1', 'agent1')).user.id;
  sip = await startSipProcess(join(dir, 'city'), sipPorts);
  const sipWs = `ws://127.0.0.1:${sipPorts.ws}`;
  const party = async (name: keyof typeof pages) => {
    const browser = await launchParty(dir, TONE[name]);
    browsers.push(browser);
    // The desk's CSP keeps axe's injected script out: the accessibility checks need it let in.
    contexts[name] = await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'], bypassCSP: true });
    await contexts[name].addInitScript(SPIES);
  };
  for (const user of ['agent1', 'agent2'] as const) {
    const desk = await startDeskProcess({ server: city.url, cache: join(dir, `${user}.sqlite`), user, extra: ['--sip-ws', sipWs, '--interval', '2'] });
    procs.push(desk);
    if (user === 'agent1') agent1Url = desk.url;
    await party(user);
    pages[user] = await openDeskPage(contexts[user], desk.url);
  }
  for (const [name, user] of [['citizen', 'citizen1'], ['staff', '3511']] as const) {
    const phone = await startPracticeProcess({ server: city.url, user });
    procs.push(phone);
    await party(name);
    pages[name] = await openDeskPage(contexts[name], phone.url);
  }
});

test.afterAll(() => stopAll(browsers, [...procs, sip], city));

/** The citizen calls the representative number and agent1 (the only ready agent) answers. */
async function citizenReachesAgent1() {
  await ready(pages.agent1);
  await dial(pages.citizen, REP);
  await answerWhenRinging(pages.agent1);
  await expect(callCard(pages.citizen)).toHaveAttribute('data-call-state', 'connected');
}

/** Ends the call from the citizen's side and files agent1's wrap-up under 상수도. */
async function citizenHangsUpAndAgentFiles() {
  await pages.citizen.keyboard.press('F4');
  await expect(callCard(pages.agent1)).toHaveAttribute('data-call-state', 'ended');
  await fileWrapUp(pages.agent1);
  await dismiss(pages.citizen, pages.agent1);
}

async function fileWrapUp(page: Page) {
  await wrapUp(page).getByRole('combobox', { name: '상담 분류' }).selectOption('상수도');
  await wrapUp(page).getByRole('button', { name: '상담 기록 저장' }).click();
  await expect(wrapUp(page)).toHaveCount(0);
}

test('a second tab of the same desk takes over an idle desk cleanly, waits while the first has a call, and calls never fork', async () => {
  const first = pages.agent1;
  const second = await openDeskPage(contexts.agent1, agent1Url);
  // The first tab stands down: no phone, no presence of its own, and it says why.
  await expect(deskNotice(first)).toContainText('다른 창에서 열렸습니다');
  await expect(phoneStatus(first)).toHaveCount(0);
  expect((await new AxeBuilder({ page: first }).analyze()).violations).toEqual([]);
  await ready(second);
  await expect.poll(() => routed()).toBe('ready');
  await first.waitForTimeout(2_500);
  expect(routed()).toBe('ready');

  // A call rings the desk once, in the tab that holds it.
  await dial(pages.citizen, REP);
  await answerWhenRinging(second);
  await expect(callCard(first)).toHaveCount(0);
  await expect.poll(() => heard(pages.citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  // The first tab asks for the desk back mid-call: it waits, and the call goes on.
  await first.getByRole('button', { name: '이 창에서 데스크 계속 사용' }).click();
  await expect(deskNotice(first)).toContainText('다른 창에서 통화 또는 상담 기록 작성 중');
  await expect(callCard(second)).toHaveAttribute('data-call-state', 'connected');
  await pages.citizen.keyboard.press('F4');
  await expect(callCard(second)).toHaveAttribute('data-call-state', 'ended');
  // Still busy with the wrap-up: the desk stays where it is until the record is filed.
  await second.waitForTimeout(3_000);
  await expect(deskNotice(first)).toContainText('상담 기록 작성 중');
  await fileWrapUp(second);
  await expect(phoneStatus(first)).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
  await expect(deskNotice(second)).toContainText('다른 창에서 열렸습니다');
  await second.close();
  await dismiss(pages.citizen);
  await notReady(first);
});

test('reloading during a call asks first; leaving ends the call at once (a BYE, not dead air) and the consultation comes back as the wrap-up', async () => {
  const since = new Date().toISOString();
  await citizenReachesAgent1();
  const agent = pages.agent1;
  await wrapUp(agent).getByRole('textbox', { name: '상담 메모' }).fill('누수 신고. 주민번호 900101-1234567 확인');
  let dialog = '';
  agent.once('dialog', (d) => {
    dialog = d.type();
    void d.accept();
  });
  await agent.reload();
  expect(dialog).toBe('beforeunload');
  // The BYE left with the page: well before the SIP server's own clean-up of a lost phone (10 s).
  await expect(callCard(pages.citizen)).toHaveAttribute('data-call-state', 'ended', { timeout: 5_000 });
  await expect(phoneStatus(agent)).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
  // The consultation is back, in its wrap-up, its notes masked as they were kept.
  await expect(wrapUp(agent).getByRole('textbox', { name: '상담 메모' })).toHaveValue('누수 신고. 주민번호 ******-******* 확인');
  // And the directory answers on the fresh page, with nothing saying it could not load.
  await showTab(agent, '부서연결');
  await agent.getByRole('searchbox', { name: '부서·업무·담당자 검색' }).fill('김민수');
  await expect(agent.getByRole('region', { name: '부서 연락처' }).getByRole('listitem').first()).toBeVisible();
  await expect(agent.getByText('연락처를 불러올 수 없습니다')).toHaveCount(0);
  await showTab(agent, '상담기록');
  await fileWrapUp(agent);
  await expect.poll(async () => (await cityRecords(since)).map((r) => r.notes), { timeout: 20_000 }).toEqual(['누수 신고. 주민번호 ******-******* 확인']);
  await dismiss(pages.citizen);
  await notReady(agent);
});

test('a desk window that crashes mid-call does not hold the citizen in silence, and its consultation is there when the desk opens again', async () => {
  await citizenReachesAgent1();
  const crashed = pages.agent1;
  await wrapUp(crashed).getByRole('textbox', { name: '상담 메모' }).fill('정전 중 통화');
  // Both phones refresh their registrations during the call, as they do every few minutes.
  for (const page of [pages.citizen, crashed, pages.citizen]) {
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForTimeout(1_200);
  }
  const cdp = await contexts.agent1.newCDPSession(crashed);
  void cdp.send('Page.crash').catch(() => undefined);
  // The SIP server finds the phone gone and ends the call for both sides (bench: ≤ 30 s).
  await expect(callCard(pages.citizen)).toHaveAttribute('data-call-state', 'ended', { timeout: 45_000 });
  await crashed.close().catch(() => undefined);
  pages.agent1 = await openDeskPage(contexts.agent1, agent1Url);
  await expect(wrapUp(pages.agent1).getByRole('textbox', { name: '상담 메모' })).toHaveValue('정전 중 통화');
  await fileWrapUp(pages.agent1);
  await dismiss(pages.citizen);
  await notReady(pages.agent1);
});

test('reloading during after-call work keeps the wrap-up, without asking', async () => {
  await citizenReachesAgent1();
  await pages.citizen.keyboard.press('F4');
  const agent = pages.agent1;
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'ended');
  await wrapUp(agent).getByRole('textbox', { name: '상담 메모' }).fill('후처리 중 새로 고침');
  await agent.waitForTimeout(500);
  let asked = false;
  agent.once('dialog', (d) => ((asked = true), void d.accept()));
  await agent.reload();
  expect(asked).toBe(false);
  await expect(wrapUp(agent).getByRole('textbox', { name: '상담 메모' })).toHaveValue('후처리 중 새로 고침', { timeout: 20_000 });
  await fileWrapUp(agent);
  await dismiss(pages.citizen);
  await notReady(agent);
});

test('with the city server down, calls still follow the agents’ state (it reaches the SIP server directly), and the city catches up', async () => {
  const { agent1, citizen } = pages;
  const since = new Date().toISOString();
  await city.stop();
  try {
    await ready(agent1);
    await expect.poll(() => routed()).toBe('ready');
    await dial(citizen, REP);
    await answerWhenRinging(agent1);
    await expect.poll(() => routed()).toBe('on-call');
    await citizen.keyboard.press('F4');
    await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended');
    // Filed into the desk's outbox: it goes to the city when the city is back.
    await fileWrapUp(agent1);
    await notReady(agent1);
    await expect.poll(() => routed()).toBe('not-ready');
    // Not ready: the representative number answers busy, not a desk that will not pick up.
    await dismiss(citizen, agent1);
    await dial(citizen, REP);
    await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'ended');
    await expect(callCard(citizen)).toContainText('상대방이 통화 중');
    await expect(callCard(citizen)).toHaveAttribute('data-end-cause', 'Busy');
    await dismiss(citizen);
  } finally {
    await startCity();
  }
  lead = await login(city.url, 'lead1', 'lead1');
  const boardState = async () => ((await api(city.url, lead, '/api/board')).body as { agents: { username: string; state: string }[] }).agents.find((a) => a.username === 'agent1')?.state;
  await expect.poll(boardState, { timeout: 20_000 }).toBe('not-ready');
  // The record filed meanwhile reached the city once it was back.
  await expect.poll(async () => (await cityRecords(since)).length, { timeout: 20_000 }).toBe(1);
});

test('with the SIP server unreachable mid-call: hold is refused with the reason and the call goes on; a hang-up reaches the citizen once it is back', async () => {
  const { agent1, citizen } = pages;
  await citizenReachesAgent1();
  sip.proc.kill('SIGTERM');
  await sip.exited;
  await expect(agent1.getByRole('alert').filter({ hasText: '네트워크 불안정' })).toBeVisible({ timeout: 15_000 });
  await agent1.keyboard.press('F3');
  await expect(callCard(agent1).getByRole('alert').filter({ hasText: 'SIP 서버에 연결되지 않아 보류할 수 없습니다' })).toBeVisible();
  expect((await new AxeBuilder({ page: agent1 }).include('.call').analyze()).violations).toEqual([]);
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'connected');
  await expect(callCard(agent1)).toHaveAttribute('data-held', 'false');
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  // The agent hangs up anyway: the call ends for the agent now, the citizen hears nothing more.
  await agent1.keyboard.press('F4');
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended');
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'connected');
  sip = await startSipProcess(join(dir, 'city'), sipPorts);
  // The BYE waited for the socket: the citizen's phone is told.
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'ended', { timeout: 20_000 });
  await expect(phoneStatus(agent1)).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
  await fileWrapUp(agent1);
  await dismiss(citizen, agent1);
  await notReady(agent1);
});

test('a network blip on the desk’s signalling keeps the call: the desk comes back in time and nothing is torn down', async () => {
  const { agent1, citizen } = pages;
  await citizenReachesAgent1();
  // The SIP WebSocket drops (a Wi-Fi hiccup); JsSIP reconnects within seconds.
  await agent1.evaluate((port) => {
    for (const s of (window as unknown as { __sockets: WebSocket[] }).__sockets) if (s.url.includes(`:${port}`)) s.close();
  }, sipPorts.ws);
  await expect(phoneStatus(agent1)).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
  // Longer than the server waits for a lost phone to return (10 s).
  await agent1.waitForTimeout(14_000);
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'connected');
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await citizenHangsUpAndAgentFiles();
  await notReady(agent1);
});

test('answering as the caller hangs up leaves no live microphone; F2 pressed three times answers once, without an error', async () => {
  const { agent1, citizen } = pages;
  await ready(agent1);
  await agent1.evaluate(() => ((window as unknown as { __gumDelayMs: number }).__gumDelayMs = 1_500));
  await dial(citizen, REP);
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await agent1.keyboard.press('F2');
  await citizen.keyboard.press('F4');
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended');
  await agent1.waitForTimeout(2_500);
  const tracks = () => agent1.evaluate(() => (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks.map((t) => t.readyState));
  expect((await tracks()).length).toBeGreaterThan(0);
  expect((await tracks()).filter((s) => s !== 'ended')).toEqual([]);
  await agent1.evaluate(() => ((window as unknown as { __gumDelayMs: number }).__gumDelayMs = 0));
  await dismiss(citizen, agent1);

  pageErrors.length = 0;
  await ready(agent1);
  await dial(citizen, REP);
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  for (let i = 0; i < 3; i++) await agent1.keyboard.press('F2');
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'connected');
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'connected');
  expect(pageErrors).toEqual([]);

  // F3 twice in a row: the screen shows what the media does, and the second press is not lost.
  await agent1.keyboard.press('F3');
  await agent1.keyboard.press('F3');
  await expect(callCard(agent1)).toHaveAttribute('data-held', 'false', { timeout: 10_000 });
  await expect(callCard(agent1).getByRole('button', { name: /^보류/ })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(agent1, TONE.citizen), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  // Twice more, slowly: held, and heard as held.
  await agent1.keyboard.press('F3');
  await expect(callCard(agent1)).toHaveAttribute('data-held', 'true');
  await expect(callCard(agent1).getByRole('button', { name: /^보류/ })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await agent1.keyboard.press('F3');
  await expect(callCard(agent1)).toHaveAttribute('data-held', 'false');
  await citizenHangsUpAndAgentFiles();
  expect(pageErrors).toEqual([]);
  await notReady(agent1);
});

test('going not ready while the phone rings sends the call to the next ready agent at once', async () => {
  const { agent1, agent2, citizen } = pages;
  await ready(agent2);
  await agent2.waitForTimeout(300);
  await ready(agent1);
  await dial(citizen, REP);
  await expect(callCard(agent2)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await notReady(agent2);
  await expect(callCard(agent2)).toHaveAttribute('data-call-state', 'ended');
  // Not after the 20 s an unanswered ring would take.
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ringing', { timeout: 5_000 });
  await agent1.keyboard.press('F2');
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'connected');
  await citizenHangsUpAndAgentFiles();
  await dismiss(agent2);
  await notReady(agent1);
});

test('a blind transfer the staff phone declines: the desk says so, the wrap-up says what happened, and the citizen keeps a call they can hang up', async () => {
  const { agent1, citizen, staff } = pages;
  const since = new Date().toISOString();
  await citizenReachesAgent1();
  await (await transferField(agent1)).fill('3511');
  await agent1.getByRole('button', { name: '바로 호전환', exact: true }).click();
  await expect(callCard(staff)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await staff.keyboard.press('F4');
  await expect(callCard(agent1).getByRole('alert').filter({ hasText: '3511(으)로 호전환하지 못했습니다' })).toBeVisible({ timeout: 15_000 });
  // The citizen's phone shows the call it still has, not the failed one.
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'connected');
  await expect(citizen.getByRole('region', { name: '호전환된 통화' })).toHaveCount(0);
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await citizen.keyboard.press('F4');
  await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'ended');
  await expect(wrapUp(agent1).getByRole('radio', { name: '답변 완료' })).toBeChecked();
  await expect(wrapUp(agent1)).not.toContainText('호전환: 3511');
  await fileWrapUp(agent1);
  await expect.poll(async () => (await cityRecords(since)).map((r) => [r.outcome, r.notes.includes('호전환')]), { timeout: 20_000 }).toEqual([['answered', false]]);
  await dismiss(citizen, staff, agent1);
  await notReady(agent1);
});

test('a blind transfer nobody answers gives up in the city’s time, and the agent keeps the citizen', async () => {
  const { agent1, citizen, staff } = pages;
  expect((await api(city.url, lead, '/api/settings/transferTimeoutSeconds', { method: 'PUT', body: '5' })).status).toBe(200);
  try {
    await agent1.waitForTimeout(4_000); // the desk syncs every 2 s
    await citizenReachesAgent1();
    await (await transferField(agent1)).fill('3511');
    await agent1.getByRole('button', { name: '바로 호전환', exact: true }).click();
    await expect(callCard(staff)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
    await expect(callCard(agent1).getByRole('alert')).toContainText('3511(으)로 호전환 중');
    await expect(callCard(agent1).getByRole('alert')).toContainText('3511이(가) 응답하지 않아 호전환하지 못했습니다', { timeout: 10_000 });
    await expect(callCard(agent1)).toHaveAttribute('data-call-state', 'connected');
    await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
    // The citizen's phone still tries the transfer beside its call until the staff phone declines;
    // while it does, the hang-up key would end that attempt, not the call with the agent.
    await expect(citizen.getByRole('region', { name: '호전환된 통화', exact: true })).toHaveCount(1);
    await staff.keyboard.press('F4');
    await expect(citizen.getByRole('region', { name: '호전환된 통화', exact: true })).toHaveCount(0);
    await citizenHangsUpAndAgentFiles();
    await dismiss(staff);
    await notReady(agent1);
  } finally {
    await api(city.url, lead, '/api/settings/transferTimeoutSeconds', { method: 'PUT', body: '30' });
  }
});

test('a consultation the staff phone declines says so on the citizen’s call, who waits on hold until the agent resumes', async () => {
  const { agent1, citizen, staff } = pages;
  await citizenReachesAgent1();
  await (await transferField(agent1)).fill('3511');
  await agent1.getByRole('button', { name: '상담 후 호전환', exact: true }).click();
  await expect(callCard(staff)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await staff.keyboard.press('F4');
  await expect(consultCard(agent1)).toHaveCount(0);
  await expect(callCard(agent1).getByRole('alert').filter({ hasText: '3511와(과) 협의 통화가 연결되지 않았습니다' })).toContainText('민원인은 보류 중입니다');
  await expect(callCard(agent1)).toHaveAttribute('data-held', 'true');
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await agent1.keyboard.press('F3');
  await expect(callCard(agent1).getByRole('alert').filter({ hasText: '협의 통화가 연결되지 않았습니다' })).toHaveCount(0);
  await expect.poll(() => heard(citizen, TONE.agent1), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect(agentState(agent1)).toHaveText('통화 중');
  await citizenHangsUpAndAgentFiles();
  await dismiss(staff);
  await notReady(agent1);
});
