import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESK_VIEWPORT, launchParty, PARTY_TONE, stopAll } from '../helpers/browser';
import { agentState, answerWhenRinging, callCard, dial, dismiss, notReady, ready, REP, showTab, transferField, typeKorean } from '../helpers/desk-page';
import { call as api, login, openAroundTheClock } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { spawnMinwon, startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, waitForOutput, type CityServerProcess, type Spawned } from '../helpers/processes';

// The agent's workspace as a person sees it all day, at the two screens desks have (1920×1080 and
// a 1366×768 laptop), in each state of a call: the page never scrolls, the controls of the state
// are on screen, it looks as the committed pictures do (the README shows them), axe finds nothing
// serious in any theme, and a whole call works from the keyboard with Korean typed through the IME.

const SIZES = [DESK_VIEWPORT, { width: 1366, height: 768 }] as const;
const THEMES = ['light', 'dark', 'contrast'] as const;

let dir: string;
let city: CityServerProcess;
let sip: Spawned;
const procs: Spawned[] = [];
const browsers: Browser[] = [];
let agent: Page;
let citizen: Page;
let staff: Page;
let signInUrl: string;
let leadUrl: string;

test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'minwon-workspace-'));
  const ports = { ws: await freePort(), sip: await freePort() };
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  sip = await startSipProcess(join(dir, 'city'), ports);
  const open = async (url: string, hz: number) => {
    const browser = await launchParty(dir, hz);
    browsers.push(browser);
    // bypassCSP: axe injects its script, which the desk's policy rightly refuses.
    const page = await (await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'], bypassCSP: true })).newPage();
    await page.goto(url);
    await expect(page.getByRole('status', { name: '전화 상태' })).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
    return page;
  };
  const desk = await startDeskProcess({ server: city.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1', extra: ['--sip-ws', sipWs, '--interval', '2'] });
  const lead = await startDeskProcess({ server: city.url, cache: join(dir, 'lead1.sqlite'), user: 'lead1', extra: ['--sip-ws', sipWs] });
  // A desk nobody is signed in at: its first screen is the sign-in.
  const shared = spawnMinwon(['host', '--server', city.url, '--cache', join(dir, 'shared.sqlite'), '--sip-ws', sipWs]);
  signInUrl = (await waitForOutput(shared, /desk at (http:\S+)/))[1] as string;
  leadUrl = lead.url;
  procs.push(desk, lead, shared);
  agent = await open(desk.url, PARTY_TONE.agent1);
  for (const [party, user] of [['citizen', 'citizen1'], ['staff', '3511']] as const) {
    const phone = await startPracticeProcess({ server: city.url, user });
    procs.push(phone);
    const page = await open(phone.url, PARTY_TONE[party]);
    if (party === 'citizen') citizen = page;
    else staff = page;
  }
});

test.afterAll(() => stopAll(browsers, [...procs, sip], city));

/** What changes from one run to the next (clocks, the sync time, dated history), hidden in the pictures. */
const volatile = (page: Page): Locator[] => [
  page.locator('time'),
  page.locator('.state-pill'),
  page.locator('.sync'),
  page.locator('[data-history]'),
  page.locator('.timers'),
  page.locator('.queue'),
  // Dates the forms start from (today, the next hour) and the dates their answers name.
  page.locator('input[type="date"], input[type="time"], .work-form [role="status"]'),
];

/** The page itself never scrolls, at either size. */
async function expectNoPageScroll(page: Page): Promise<void> {
  const box = await page.evaluate(() => {
    const el = document.scrollingElement ?? document.documentElement;
    return { sh: el.scrollHeight, ch: el.clientHeight, sw: el.scrollWidth, cw: el.clientWidth };
  });
  expect(box.sh, 'page height').toBeLessThanOrEqual(box.ch);
  expect(box.sw, 'page width').toBeLessThanOrEqual(box.cw);
}

/** Each control is rendered wholly inside the window. */
async function expectInView(page: Page, controls: Locator[]): Promise<void> {
  const size = page.viewportSize() as { width: number; height: number };
  for (const c of controls) {
    const b = await c.boundingBox();
    expect(b, String(c)).not.toBeNull();
    if (!b) continue;
    expect(b.x >= 0 && b.y >= 0 && b.x + b.width <= size.width && b.y + b.height <= size.height, `${String(c)} at ${JSON.stringify(b)}`).toBe(true);
  }
}

/** No serious or critical axe violation, in each theme. */
async function expectAccessible(page: Page, state: string): Promise<void> {
  for (const theme of THEMES) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)} ${n.failureSummary ?? ''}`).join(', ')}`);
    expect(serious, `${state}, ${theme}`).toEqual([]);
  }
  await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
}

/**
 * No English word reaches the Korean desk (a library's own text, a raw error, an id shown as a
 * name): words of three or more Latin letters in visible text and in accessible names. Text marked
 * lang="en" (technical detail meant for IT) is exempt, and so are identifiers with digits (agent1).
 */
async function expectKoreanOnly(page: Page, state: string): Promise<void> {
  const words = await page.evaluate(() => {
    const found: string[] = [];
    const pick = (text: string | null, where: string) => {
      for (const w of (text ?? '').match(/(?<![\w@.-])[A-Za-z][a-z]{2,}(?![\w@.-])/g) ?? []) found.push(`${w} (${where})`);
    };
    const exempt = (el: Element) => !!el.closest('[lang="en"], script, style, noscript, [hidden], [inert]');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el && !exempt(el) && el.checkVisibility()) pick(n.textContent, el.tagName.toLowerCase());
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      if (exempt(el)) continue;
      for (const attr of ['aria-label', 'placeholder', 'title', 'alt']) pick(el.getAttribute(attr), `${el.tagName.toLowerCase()}@${attr}`);
    }
    return found;
  });
  expect(words, state).toEqual([]);
}

/** The state at both sizes: no page scroll, its controls in view, its picture; then axe in every theme. */
async function checkState(page: Page, state: string, controls: (page: Page) => Locator[]): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await expectNoPageScroll(page);
    await expectInView(page, controls(page));
    await expectKoreanOnly(page, `${state} at ${size.width}`);
    await expect(page).toHaveScreenshot(`${state}-${size.width}.png`, { mask: volatile(page), animations: 'disabled', caret: 'hide', maxDiffPixelRatio: 0.02 });
    await expectAccessible(page, `${state} at ${size.width}`);
  }
  await page.setViewportSize(DESK_VIEWPORT);
}

const barControls = (page: Page) => [agentState(page), page.getByRole('button', { name: '상태 변경' }), page.getByRole('button', { name: '설정' }), page.getByRole('searchbox', { name: '표준상담 DB 검색' }), page.getByRole('tablist', { name: '상담 도구' })];
const callButtons = (page: Page, names: string[]) => names.map((name) => callCard(page).getByRole('button', { name, exact: true }));

test('idle: the search and the state in view, nothing scrolls', async () => {
  await ready(agent);
  await agent.getByRole('searchbox', { name: '표준상담 DB 검색' }).fill('누수');
  await agent.getByRole('listbox', { name: '검색 결과' }).getByRole('option').first().click();
  await expect(agent.getByRole('article', { name: '상담 매뉴얼 본문' })).toBeVisible();
  await expect(agent.getByRole('status', { name: '연결 대기' })).toHaveText('대기 없음');
  await checkState(agent, 'idle', barControls);
});

test('ringing: the caller comes forward, answer and decline at hand', async () => {
  // On the narrow screen the caller's tab comes forward for the ring.
  await agent.setViewportSize(SIZES[1]);
  await showTab(agent, '부서연결');
  await dial(citizen, REP);
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await expect(agent.getByRole('tab', { name: '민원인' })).toHaveAttribute('aria-selected', 'true');
  await expect(agent.getByRole('region', { name: '발신자 정보' })).toBeVisible();
  // The call bar counts the call waiting (Kamailio's record of it, through the city server).
  await expect(agent.getByRole('status', { name: '연결 대기' })).toContainText(/대기 1통 · 최장 \d\d:\d\d/, { timeout: 10_000 });
  await checkState(agent, 'ringing', (p) => [...barControls(p), ...callButtons(p, ['받기 (F2)', '거절 (F4)'])]);
  await answerWhenRinging(agent);
});

test('in a call, on hold, and consulting a colleague', async () => {
  await expect(callCard(citizen)).toHaveAttribute('data-call-state', 'connected');
  // Answered: nobody waits any more (the call bar asks every 5 s).
  await expect(agent.getByRole('status', { name: '연결 대기' })).toHaveText('대기 없음', { timeout: 10_000 });
  await checkState(agent, 'in-call', (p) => [...barControls(p), ...callButtons(p, ['음소거 (F6)', '보류 (F3)', '호전환 (F7)', '끊기 (F4)'])]);
  await agent.keyboard.press('F3');
  await expect(callCard(agent)).toHaveAttribute('data-held', 'true');
  await expect(callCard(agent).getByText('민원인 보류 중')).toBeVisible();
  await checkState(agent, 'on-hold', (p) => [...barControls(p), ...callButtons(p, ['보류 (F3)', '끊기 (F4)'])]);
  await agent.keyboard.press('F3');
  await expect(callCard(agent)).toHaveAttribute('data-held', 'false');
  await (await transferField(agent)).fill('3511');
  await agent.getByRole('button', { name: '상담 후 호전환', exact: true }).click();
  await answerWhenRinging(staff);
  const consult = agent.getByRole('region', { name: '협의 통화', exact: true });
  await expect(consult).toHaveAttribute('data-call-state', 'connected');
  await checkState(agent, 'transfer', (p) => [...barControls(p), p.getByRole('region', { name: '협의 통화', exact: true }).getByRole('button', { name: '호전환 완료' })]);
  await consult.getByRole('button', { name: '호전환 취소, 민원인에게 복귀' }).click();
  await expect(consult).toHaveCount(0);
  await dismiss(staff);
});

test('after-call work: the record comes forward with a countdown that can be extended', async () => {
  await showTab(agent, '부서연결');
  await citizen.keyboard.press('F4');
  await expect(agentState(agent)).toContainText('후처리 중');
  // The record's tab came forward (the focus was on no field there).
  await expect(agent.getByRole('tab', { name: '상담기록' })).toHaveAttribute('aria-selected', 'true');
  const before = Number(/(\d+)초/.exec((await agentState(agent).textContent()) ?? '')?.[1]);
  await agent.getByRole('button', { name: '60초 연장' }).click();
  await expect.poll(async () => Number(/(\d+)초/.exec((await agentState(agent).textContent()) ?? '')?.[1])).toBeGreaterThan(before + 50);
  await checkState(agent, 'after-call-work', (p) => [...barControls(p), p.getByRole('button', { name: '후처리 완료' }), p.getByRole('button', { name: '60초 연장' }), p.getByRole('button', { name: '상담 기록 저장' })]);
  await dismiss(citizen, agent);
  await agent.getByRole('combobox', { name: '상담 분류' }).selectOption('상수도');
  await agent.getByRole('button', { name: '상담 기록 저장' }).click();
  await expect(agentState(agent)).toHaveText('상담 대기 중');
  await notReady(agent);
});

/** Presses Tab until `target` has the focus (at most `max` times): proof it is reachable from the keyboard. */
async function tabTo(page: Page, target: Locator, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('a callback offered: who and how long they waited, take it or pass it on, in view at both sizes', async () => {
  const lead = await login(city.url, 'lead1', 'lead1');
  const agentToken = await login(city.url, 'agent1', 'agent1');
  await openAroundTheClock(city.url, lead);
  const asked = await api(city.url, agentToken, '/api/callbacks', { method: 'POST', body: JSON.stringify({ number: '010-2222-3333', note: '요금 문의' }) });
  expect(asked.status).toBe(200);
  await ready(agent);
  const work = agent.getByRole('region', { name: '콜백' });
  await expect(work).toContainText('콜백 요청 010-2222-3333', { timeout: 10_000 });
  await checkState(agent, 'callback-offered', (p) => [...barControls(p), work.getByRole('button', { name: '콜백 걸기' }), work.getByRole('button', { name: '넘기기' })]);
  await work.getByRole('button', { name: '넘기기' }).click();
  await expect(work).toHaveCount(0);
  const id = (asked.body as { callback: { id: string } }).callback.id;
  expect((await api(city.url, lead, `/api/callbacks/${id}/cancel`, { method: 'POST', body: '{}' })).status).toBe(200);
  await notReady(agent);
});

test('the work tab: a caller booked and a callback promised from the keyboard with Korean typed; the lead sees both', async () => {
  const lead = await login(city.url, 'lead1', 'lead1');
  await openAroundTheClock(city.url, lead);
  // Fixed slots far ahead, so the pictures do not change from day to day.
  const slots = {
    reminderMinutes: 60,
    slots: [
      { id: 'passport-e2e', topic: '여권 발급 상담', start: '2027-03-02T01:00:00.000Z', minutes: 30, capacity: 2 },
      { id: 'tax-e2e', topic: '지방세 납부 상담', start: '2027-03-02T05:00:00.000Z', minutes: 30, capacity: 1 },
    ],
  };
  expect((await api(city.url, lead, '/api/settings/reservations', { method: 'PUT', body: JSON.stringify(slots) })).status).toBe(200);
  await showTab(agent, '콜백·예약');
  const panel = agent.getByRole('tabpanel', { name: '콜백·예약' });
  const booking = panel.getByRole('form', { name: '예약 잡기' });
  const slot = booking.getByRole('combobox', { name: '예약 시간' });
  await expect(slot.getByRole('option', { name: /지방세 납부 상담 · 1자리 남음/ })).toBeAttached();

  // Booking: the slot chosen with the arrow keys, the number and a Korean note typed, Enter.
  await tabTo(agent, slot);
  await agent.keyboard.press('ArrowDown');
  await expect(slot).toHaveValue('passport-e2e');
  await agent.keyboard.press('Tab');
  await agent.keyboard.type('010-2222-4444');
  await agent.keyboard.press('Tab');
  await typeKorean(agent, '여권 분실 재발급');
  await agent.keyboard.press('Enter');
  await expect(booking.getByRole('status')).toContainText('예약했습니다');
  await expect(slot.getByRole('option', { name: /여권 발급 상담 · 1자리 남음/ })).toBeAttached();

  // A callback promised: the number and a Korean note, kept by the agent.
  const promise = panel.getByRole('form', { name: '콜백 약속' });
  await tabTo(agent, promise.getByRole('textbox', { name: '전화번호' }));
  await agent.keyboard.type('010-2222-5555');
  await tabTo(agent, promise.getByRole('textbox', { name: '메모 (선택)' }), 10);
  await typeKorean(agent, '수도 요금 재안내');
  await agent.keyboard.press('Enter');
  await expect(promise.getByRole('status')).toContainText('콜백을 등록했습니다');
  const mine = panel.getByRole('region', { name: '내가 맡은 콜백' });
  await expect(mine).toContainText('010-2222-5555');
  await expect(mine).toContainText('수도 요금 재안내');
  // The last place taken by another desk while this one had it chosen: the city's refusal, in Korean.
  await slot.selectOption('tax-e2e');
  await booking.getByRole('textbox', { name: '전화번호' }).fill('010-2222-7777');
  const agent2 = await login(city.url, 'agent2', 'agent2');
  expect((await api(city.url, agent2, '/api/reservations', { method: 'POST', body: JSON.stringify({ slotId: 'tax-e2e', number: '010-2222-6666' }) })).status).toBe(200);
  await booking.getByRole('button', { name: '예약' }).click();
  await expect(booking.getByRole('alert')).toHaveText('자리가 모두 찼습니다. 다른 시간을 고르세요.');
  await expect(slot.getByRole('option', { name: /지방세 납부 상담 · 마감/ })).toBeDisabled();

  await checkState(agent, 'work-tab', (p) => [...barControls(p), p.getByRole('tab', { name: '콜백·예약' })]);

  // The lead: the promised callback kept by agent1, and the day's bookings.
  const page = await agent.context().newPage();
  await page.goto(leadUrl);
  const work = page.getByRole('region', { name: '콜백·예약 현황' });
  const row = work.getByRole('row', { name: /010-2222-5555/ });
  await expect(row).toContainText('김상담 담당');
  await work.getByRole('textbox', { name: '날짜' }).fill('2027-03-02');
  await expect(work.getByRole('table', { name: '예약 현황' })).toContainText('010-2222-4444');
  await work.scrollIntoViewIfNeeded();
  await checkState(page, 'lead-work', (p) => [p.getByRole('region', { name: '콜백·예약 현황' }).getByRole('status')]);
  // From the keyboard: give it to 이상담 (the agent select, then 배정), then call it off.
  const assignTo = row.getByRole('combobox', { name: '010-2222-5555 콜백을 배정할 상담사' });
  await tabTo(page, assignTo);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(assignTo).toHaveValue('agent2');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(row).toContainText('이상담 담당');
  await tabTo(page, row.getByRole('button', { name: '010-2222-5555 콜백 취소' }));
  await page.keyboard.press('Enter');
  await expect(row).toHaveCount(0);
  await page.close();
  await showTab(agent, '상담기록');
});

test('a whole call from the keyboard, with Korean typed through the IME: nothing fires mid-composition', async () => {
  await agent.setViewportSize(SIZES[1]);
  // A clean start: the entry and the search the earlier states left, closed and cleared by keyboard.
  const search = agent.getByRole('searchbox', { name: '표준상담 DB 검색' });
  await agent.keyboard.press('Control+k');
  await expect(search).toBeFocused();
  await agent.keyboard.press('Escape');
  await agent.keyboard.press('Escape');
  await expect(agent.getByRole('article', { name: '상담 매뉴얼 본문' })).toHaveCount(0);
  await expect(search).toHaveValue('');
  const readyButton = agent.getByRole('button', { name: '상담 대기', exact: true });
  await tabTo(agent, readyButton);
  await agent.keyboard.press('Enter');
  await expect(agentState(agent)).toHaveText('상담 대기 중');
  await dial(citizen, REP);
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await agent.keyboard.press('F2');
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'connected');

  // Notes first (the record's tab, reached by keyboard), in Korean.
  const recordTab = agent.getByRole('tab', { name: '상담기록' });
  await tabTo(agent, agent.getByRole('tab', { selected: true }));
  while ((await recordTab.getAttribute('aria-selected')) !== 'true') await agent.keyboard.press('ArrowRight');
  const notes = agent.getByRole('textbox', { name: '상담 메모' });
  await tabTo(agent, notes);
  await typeKorean(agent, '누수 신고');
  await expect(notes).toHaveValue('누수 신고');

  // Ctrl+K to the search; Enter and F4 pressed while a syllable composes do nothing.
  await agent.keyboard.press('Control+k');
  await expect(search).toBeFocused();
  const results = agent.getByRole('listbox', { name: '검색 결과' });
  await typeKorean(agent, '누수');
  await expect(results.getByRole('option').first()).toContainText('누수');
  // Results on screen, a syllable composing: the IME's Enter opens nothing, F4 hangs nothing up.
  await typeKorean(agent, ' 감면', async () => {
    await expect(results.getByRole('option').first()).toBeVisible();
    await agent.keyboard.press('Enter');
    await agent.keyboard.press('F4');
  });
  await expect(results).toHaveAttribute('data-query', '누수 감면');
  await expect(results.getByRole('option').first()).toContainText('감면');
  await expect(agent.getByRole('article', { name: '상담 매뉴얼 본문' })).toHaveCount(0);
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'connected');
  await agent.keyboard.press('ArrowDown');
  await agent.keyboard.press('Enter');
  await expect(agent.getByRole('article', { name: '상담 매뉴얼 본문' })).toBeVisible();
  // Esc: the entry closes, then the search clears, then back to the notes.
  await agent.keyboard.press('Escape');
  await expect(agent.getByRole('article', { name: '상담 매뉴얼 본문' })).toHaveCount(0);
  await agent.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await agent.keyboard.press('Escape');
  await expect(notes).toBeFocused();

  // Hold, mute, and back.
  await agent.keyboard.press('F3');
  await expect(callCard(agent)).toHaveAttribute('data-held', 'true');
  await agent.keyboard.press('F3');
  await expect(callCard(agent)).toHaveAttribute('data-held', 'false');
  await agent.keyboard.press('F6');
  await expect(callCard(agent).getByRole('button', { name: '음소거 (F6)' })).toHaveAttribute('aria-pressed', 'true');
  await agent.keyboard.press('F6');
  await expect(callCard(agent).getByRole('button', { name: '음소거 (F6)' })).toHaveAttribute('aria-pressed', 'false');

  // F7 to the transfer form; the directory searched in Korean, F2 mid-composition does nothing.
  await agent.keyboard.press('F7');
  await expect(agent.getByRole('textbox', { name: '호전환 대상 (번호 또는 내선)' })).toBeFocused();
  const directory = agent.getByRole('searchbox', { name: '부서·업무·담당자 검색' });
  await tabTo(agent, directory);
  await typeKorean(agent, '김민수', () => agent.keyboard.press('F4'));
  await expect(agent.getByRole('button', { name: '김민수 주무관에게 바로 호전환' })).toBeVisible();
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'connected');

  // Hang up while typing in the directory: the record's tab is announced, not forced forward.
  await agent.keyboard.press('F4');
  await expect(agentState(agent)).toContainText('후처리 중');
  await expect(directory).toBeFocused();
  await expect(agent.getByRole('status').filter({ hasText: '상담기록 탭에서 후처리하세요' })).toHaveCount(1);
  await tabTo(agent, agent.getByRole('tab', { selected: true }));
  while ((await recordTab.getAttribute('aria-selected')) !== 'true') await agent.keyboard.press('ArrowLeft');
  const category = agent.getByRole('combobox', { name: '상담 분류' });
  await tabTo(agent, category);
  await agent.keyboard.press('ArrowDown');
  await expect(category).not.toHaveValue('');
  await tabTo(agent, agent.getByRole('radio', { name: '답변 완료' }));
  await agent.keyboard.press('Space');
  await tabTo(agent, agent.getByRole('button', { name: '상담 기록 저장' }));
  await agent.keyboard.press('Enter');
  await expect(agentState(agent)).toHaveText('상담 대기 중');
  await dismiss(citizen);
  await notReady(agent);
  await agent.setViewportSize(DESK_VIEWPORT);
});

test('the team lead’s board, its own view with summary tiles', async () => {
  const page = await agent.context().newPage();
  await page.goto(leadUrl);
  const board = page.getByRole('region', { name: '팀 현황' });
  await expect(board.locator('tr[data-agent="agent1"]')).toBeVisible();
  await checkState(page, 'team-board', (p) => [p.getByRole('region', { name: '팀 현황' }).getByRole('status'), p.getByRole('button', { name: '팀 현황 보기' }), p.getByRole('button', { name: '설정' })]);
  // One click back to the desk's panes, and the board again.
  await page.getByRole('button', { name: '팀 현황 보기' }).click();
  await expect(page.getByRole('searchbox', { name: '표준상담 DB 검색' })).toBeVisible();
  await expect(board).toHaveCount(0);
  await page.close();
});

test('sign-in: a clear Korean error, and the desk after it', async () => {
  const page = await agent.context().newPage();
  await page.goto(signInUrl);
  await page.getByRole('textbox', { name: '아이디' }).fill('agent2');
  await page.getByRole('textbox', { name: '비밀번호' }).fill('틀린 비밀번호');
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('alert')).toHaveText('아이디 또는 비밀번호가 맞지 않습니다.');
  await checkState(page, 'sign-in', (p) => [p.getByRole('textbox', { name: '아이디' }), p.getByRole('textbox', { name: '비밀번호' }), p.getByRole('button', { name: '로그인' })]);
  await page.close();
});

test('panes resize from the keyboard and keep their widths for the next start', async () => {
  const knowledge = agent.getByRole('region', { name: '표준상담 DB', exact: true });
  const before = (await knowledge.boundingBox())?.width ?? 0;
  const separator = agent.getByRole('separator', { name: /표준상담 DB와 상담 도구 사이/ });
  await separator.focus();
  for (let i = 0; i < 5; i++) await agent.keyboard.press('ArrowRight');
  await expect.poll(async () => (await knowledge.boundingBox())?.width ?? 0).toBeGreaterThan(before + 40);
  const widened = (await knowledge.boundingBox())?.width ?? 0;
  await agent.reload();
  await expect(agent.getByRole('searchbox', { name: '표준상담 DB 검색' })).toBeVisible();
  await expect.poll(async () => Math.round((await agent.getByRole('region', { name: '표준상담 DB', exact: true }).boundingBox())?.width ?? 0)).toBe(Math.round(widened));
  // The narrow layout keeps its own widths.
  await agent.setViewportSize(SIZES[1]);
  await expect(agent.getByRole('tab', { name: '민원인' })).toBeVisible();
  await agent.setViewportSize(DESK_VIEWPORT);
});
