import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cityDbFile } from '../../server/main';
import { DESK_VIEWPORT, launchParty, PARTY_TONE, stopAll } from '../helpers/browser';
import { notReady, ready, showTab, typeKorean } from '../helpers/desk-page';
import { call as api, login, openAroundTheClock } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { startCarrierProcess, startCityServerProcess, startDeskProcess, startSipProcess, type CarrierProcess, type CityServerProcess, type Spawned } from '../helpers/processes';

// Text inquiries (issue 20) on the agent's desk: the carrier's stand-in delivers a citizen's text
// to the city as its gateway would; the ready agent is offered it, takes it with the citizen's
// history on screen, answers with a manual entry (the counter turns LMS), and the carrier gets
// exactly one text, whose receipt shows; the wrap-up files one record of channel text. Then the
// same with the city server down while the agent sends, and restarted between text and reply.

const SECRET = 'sms-gateway-secret-for-the-e2e-0123456';

let dir: string;
let city: CityServerProcess;
let cityPort: number;
let carrier: CarrierProcess;
let sip: Spawned;
const procs: Spawned[] = [];
const browsers: Browser[] = [];
let agent: Page;
let leadPage: Page;
let lead: string;

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const startCity = () => startCityServerProcess(join(dir, 'city'), { demo: true, sipWs: `ws://127.0.0.1:${sipWsPort}`, port: cityPort, smsSecret: SECRET, smsCarrier: carrier.url });
let sipWsPort: number;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'minwon-texts-'));
  cityPort = await freePort();
  const ports = { ws: await freePort(), sip: await freePort() };
  sipWsPort = ports.ws;
  carrier = await startCarrierProcess(`http://127.0.0.1:${cityPort}`, SECRET, { receiptDelayMs: 300 });
  city = await startCity();
  lead = await login(city.url, 'lead1', 'lead1');
  await openAroundTheClock(city.url, lead);
  expect((await api(city.url, lead, '/api/settings/smsHours', { method: 'PUT', body: JSON.stringify({ from: '00:00', to: '24:00' }) })).status).toBe(200);
  sip = await startSipProcess(join(dir, 'city'), ports);
  const desk = await startDeskProcess({ server: city.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1', extra: ['--sip-ws', `ws://127.0.0.1:${ports.ws}`, '--interval', '2'] });
  const leadDesk = await startDeskProcess({ server: city.url, cache: join(dir, 'lead1.sqlite'), user: 'lead1', extra: ['--sip-ws', `ws://127.0.0.1:${ports.ws}`] });
  procs.push(desk, leadDesk);
  const browser = await launchParty(dir, PARTY_TONE.agent1);
  browsers.push(browser);
  // bypassCSP: axe injects its script, which the desk's policy rightly refuses.
  agent = await (await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'], bypassCSP: true })).newPage();
  await agent.goto(desk.url);
  await expect(agent.getByRole('status', { name: '전화 상태' })).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
  leadPage = await (await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'], bypassCSP: true })).newPage();
  await leadPage.goto(leadDesk.url);
});

test.afterAll(async () => {
  await stopAll(browsers, [...procs, sip], city);
  await carrier?.stop();
});

/** A citizen's text, through the carrier's stand-in: the city's answer to its gateway. */
async function citizenTexts(from: string, text: string): Promise<{ threadId: string }> {
  const r = await fetch(`${carrier.url}/inbound`, { method: 'POST', body: JSON.stringify({ from, text }) });
  const answer = (await r.json()) as { city: { status: number; body: { threadId: string } } };
  expect(answer.city.status).toBe(200);
  return answer.city.body;
}

async function sentTo(e164: string): Promise<{ kind: string; text: string }[]> {
  const { messages } = (await (await fetch(`${carrier.url}/sent`)).json()) as { messages: { to: string; kind: string; text: string }[] };
  return messages.filter((m) => m.to === e164);
}

/** The records the city holds for a thread, read from its store as the policy analysis will. */
function recordsOf(threadId: string): { channel: string; caller_e164: string }[] {
  const db = new Database(cityDbFile(join(dir, 'city')), { readonly: true });
  try {
    return db.prepare('SELECT channel, caller_e164 FROM records WHERE thread_id = ?').all(threadId) as { channel: string; caller_e164: string }[];
  } finally {
    db.close();
  }
}

const texts = () => agent.getByRole('tabpanel', { name: '문자상담' });
const threadView = () => texts().getByRole('region', { name: /문자상담$/ }).last();
const message = () => texts().getByRole('textbox', { name: '보낼 내용' });

/**
 * Takes the offered thread from the keyboard: on the line under the call bar, whatever tab is in
 * front (which brings the conversation forward), or from the tab's list; the citizen's screen-pop follows.
 */
async function takeOffered(national: string, from: 'bar' | 'list' = 'list'): Promise<void> {
  // From the bar, another tab in front: taking it must bring the conversation forward.
  await showTab(agent, from === 'bar' ? '부서연결' : '문자상담');
  const take =
    from === 'bar'
      ? agent.getByRole('region', { name: '문자상담 요청' }).filter({ hasText: `문자상담 요청 ${national}` }).getByRole('button', { name: '받기' })
      : texts().getByRole('button', { name: `${national} 문자 받기` });
  await expect(take).toBeVisible({ timeout: 10_000 });
  await take.focus();
  await agent.keyboard.press('Enter');
  await expect(agent.getByRole('tab', { name: '문자상담' })).toHaveAttribute('aria-selected', 'true');
  await expect(agent.getByRole('region', { name: '발신자 정보' })).toContainText(national, { timeout: 10_000 });
}

test('a text offered to the ready agent, answered with an entry as LMS, delivered once, filed as a text', async () => {
  await ready(agent);
  const { threadId } = await citizenTexts('010-5550-3001', '수도 요금이 갑자기 많이 나왔어요. 누수인지 어떻게 확인하나요?');
  await takeOffered('010-5550-3001', 'bar');
  await expect(threadView()).toContainText('수도 요금이 갑자기 많이 나왔어요');
  // The pop suggests what the citizen's words find, first.
  const suggestions = agent.getByRole('group', { name: '추천 매뉴얼' });
  await expect(suggestions.getByRole('listitem').first()).toContainText('문자 내용');
  // The entry the agent finds for the citizen goes into the reply: past 90 bytes it is an LMS.
  await agent.keyboard.press('Control+k');
  await agent.keyboard.insertText('누수');
  // Enter opens the first result of the whole query, once it is on screen.
  await expect(agent.locator('[data-results-for]')).toHaveAttribute('data-results-for', '누수');
  await agent.keyboard.press('Enter');
  await expect(agent.getByRole('article', { name: '상담 매뉴얼 본문' })).toBeVisible();
  await showTab(agent, '문자상담');
  await message().focus();
  await typeKorean(agent, '안녕하세요 ');
  await expect(texts().locator('.sms-counter')).toHaveAttribute('data-kind', 'sms');
  await texts().getByRole('button', { name: /^열린 항목 넣기/ }).click();
  await expect(texts().locator('.sms-counter')).toHaveAttribute('data-kind', 'lms');
  await expect(texts().locator('.sms-counter')).toContainText(/^LMS [\d,]+ \/ 2,000바이트$/);
  // Characters no carrier sends are flagged, and replaced on request.
  await message().press('End');
  await agent.keyboard.insertText(' 👍');
  await expect(texts().getByRole('alert')).toContainText('문자로 보낼 수 없는 글자: 👍');
  await expect(texts().getByRole('button', { name: '보내기 (Ctrl+Enter)' })).toBeDisabled();
  await texts().getByRole('button', { name: '바꾸기' }).click();
  await message().focus();
  await agent.keyboard.press('Control+Enter');
  await expect(threadView().locator('[data-delivery]').last()).toHaveAttribute('data-delivery', 'delivered', { timeout: 15_000 });
  await expect(threadView().locator('[data-delivery]').last()).toHaveText('전달됨');
  const sent = await sentTo('+821055503001');
  expect(sent).toHaveLength(1);
  expect(sent[0]?.kind).toBe('lms');
  expect(sent[0]?.text).toMatch(/^안녕하세요 /);
  expect(sent[0]?.text).not.toContain('👍');

  const axe = await new AxeBuilder({ page: agent }).include('[role="tabpanel"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // The wrap-up: the same record form as a call's, filed as a text; the thread closes.
  await threadView().getByRole('button', { name: '상담 종료·기록' }).click();
  const save = agent.getByRole('button', { name: '상담 기록 저장' });
  await expect(save).toBeVisible();
  await save.click();
  await expect.poll(() => recordsOf(threadId), { timeout: 15_000 }).toEqual([{ channel: 'text', caller_e164: '+821055503001' }]);
  expect((await api(city.url, lead, `/api/sms/threads/${threadId}`)).body).toMatchObject({ thread: { state: 'closed' } });
  expect((await api(city.url, lead, '/api/callers/010-5550-3001/history')).body).toMatchObject({ items: [{ channel: 'text' }] });
  // The citizen writes again the same day: the conversation reopens, and their history reads the text consultation with any calls.
  expect(await citizenTexts('010-5550-3001', '감사합니다. 하나 더 여쭤볼게요')).toMatchObject({ threadId });
  await takeOffered('010-5550-3001');
  await expect(agent.getByRole('region', { name: '발신자 정보' }).locator('[data-history]')).toContainText(/ · 문자 · /);
  await threadView().getByRole('button', { name: '상담 종료·기록' }).click();
  await agent.getByRole('button', { name: '상담 기록 저장' }).click();
  await expect.poll(() => recordsOf(threadId), { timeout: 15_000 }).toHaveLength(2);
});

test('the reply written while the city server is down goes out once it is back, exactly once', async () => {
  const { threadId } = await citizenTexts('010-5550-3002', '여권 발급 기간이 얼마나 걸리나요?');
  await takeOffered('010-5550-3002');
  await city.kill();
  await message().focus();
  await typeKorean(agent, '보통 사흘 걸립니다');
  await agent.keyboard.press('Control+Enter');
  // Kept on the desk, shown as such.
  await expect(threadView().locator('[data-delivery]').last()).toHaveText('이 데스크에서 전송 대기');
  await expect(texts().getByText(/시 서버에 연결할 수 없어/)).toBeVisible({ timeout: 10_000 });
  city = await startCity();
  await expect(threadView().locator('[data-delivery]').last()).toHaveAttribute('data-delivery', 'delivered', { timeout: 30_000 });
  expect(await sentTo('+821055503002')).toEqual([expect.objectContaining({ kind: 'sms', text: '보통 사흘 걸립니다' })]);
  await threadView().getByRole('button', { name: '상담 종료·기록' }).click();
  await agent.getByRole('button', { name: '상담 기록 저장' }).click();
  await expect.poll(() => recordsOf(threadId), { timeout: 15_000 }).toHaveLength(1);
});

test('the city server restarted between the citizen’s text and the reply: the thread and the reply survive', async () => {
  const { threadId } = await citizenTexts('010-5550-3003', '주민등록등본 인터넷 발급 되나요?');
  await city.kill();
  city = await startCity();
  lead = await login(city.url, 'lead1', 'lead1');
  await takeOffered('010-5550-3003');
  await message().focus();
  await typeKorean(agent, '정부24에서 됩니다');
  await agent.keyboard.press('Control+Enter');
  await expect(threadView().locator('[data-delivery]').last()).toHaveAttribute('data-delivery', 'delivered', { timeout: 20_000 });
  expect(await sentTo('+821055503003')).toHaveLength(1);
  expect(((await api(city.url, lead, `/api/sms/threads/${threadId}`)).body as { thread: { messages: unknown[] } }).thread.messages).toHaveLength(2);
});

test('the team lead sees the texts waiting for a first answer, gives one to an agent and closes one that needs none', async () => {
  await notReady(agent);
  await citizenTexts('010-5550-3004', '불법 주정차 신고합니다');
  await citizenTexts('010-5550-3005', '광고 문자입니다');
  const view = leadPage.getByRole('region', { name: '문자상담 현황' });
  await expect(view.getByRole('row', { name: /010-5550-3004/ })).toContainText('미배정', { timeout: 15_000 });
  await expect(view.getByRole('status')).toContainText(/첫 답변 대기\s*2건/);
  await view.getByRole('combobox', { name: '010-5550-3004 문자상담을 배정할 상담사' }).selectOption({ label: '김상담' });
  await view.getByRole('button', { name: '010-5550-3004 문자상담 배정' }).click();
  await expect(view.getByRole('row', { name: /010-5550-3004/ })).toContainText('김상담 담당');
  await view.getByRole('button', { name: '010-5550-3005 문자상담 종료 (답변 불필요)' }).click();
  await expect(view.getByRole('row', { name: /010-5550-3005/ })).toHaveCount(0);
  const axe = await new AxeBuilder({ page: leadPage }).include('.lead-work').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  // The agent's list shows the thread given to them as theirs.
  await showTab(agent, '문자상담');
  await expect(texts().locator('li', { hasText: '010-5550-3004' })).toContainText('내 담당', { timeout: 10_000 });
});
