import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flag } from '../../shared/knowledge';
import type { ManualEntry } from '../../shared/manual';
import { cityDbFile } from '../../server/main';
import { DESK_VIEWPORT, launchParty, PARTY_TONE, stopAll } from '../helpers/browser';
import { answerWhenRinging, callCard, REP, ready, showTab, typeKorean } from '../helpers/desk-page';
import { call as api, login } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type CityServerProcess, type Spawned } from '../helpers/processes';

// Flagging a manual entry on the agent's desk (issue 21): during a live call the agent opens an
// entry with sections (the spoken answer first), flags it with two keys and a Korean note typed
// through the IME while the city server is down; the desk keeps it and shows it pending; after the
// city restarts the department's inbox has it exactly once, the department answers, and the desk
// shows the answer, once, as a notice. And a search that found nothing reaches the city's gaps.

const ENTRY = 'M-WAT-018'; // water-supply's; water1 is its editor

let dir: string;
let city: CityServerProcess;
let cityPort: number;
let sipWs: string;
const procs: Spawned[] = [];
const browsers: Browser[] = [];
let agent: Page;
let citizen: Page;

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const startCity = () => startCityServerProcess(join(dir, 'city'), { demo: true, sipWs, port: cityPort });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'minwon-flags-'));
  cityPort = await freePort();
  const ports = { ws: await freePort(), sip: await freePort() };
  sipWs = `ws://127.0.0.1:${ports.ws}`;
  city = await startCity();
  // The entry as a department writes it now: the short spoken answer, and its sections.
  const lead = await login(city.url, 'lead1', 'lead1');
  const live = (await api(city.url, lead, `/api/manual/${ENTRY}`)).body as ManualEntry;
  const sections = {
    spoken: '계량기가 멈춰 있는데도 돌아가면 집 안쪽 누수이고, 수리는 집주인 부담입니다.',
    target: '계량기 이후 옥내 배관에 누수가 의심되는 세대',
    howToApply: '모든 수도꼭지를 잠근 뒤 계량기 별침이 도는지 확인합니다. 옥외 누수는 상수도사업본부로 신고합니다.',
    documents: '누수 수리 영수증 (요금 감면 신청 시)',
    office: '상수도사업본부 급수과 054-270-3550',
    sms: '[누수 확인] 수도꼭지를 모두 잠그고 계량기 별침을 확인하세요. 문의 054-270-3550',
  };
  const put = await api(city.url, lead, `/api/manual/${ENTRY}`, {
    method: 'PUT',
    body: JSON.stringify({ id: ENTRY, kind: live.kind, category: live.category, title: live.title, body: live.body, keywords: live.keywords, department: live.department, sections }),
  });
  expect(put.status).toBe(200);
  procs.push(await startSipProcess(join(dir, 'city'), ports));
  const desk = await startDeskProcess({ server: city.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1', extra: ['--sip-ws', sipWs, '--interval', '2'] });
  const practice = await startPracticeProcess({ server: city.url, user: 'citizen1' });
  procs.push(desk, practice);
  const open = async (url: string, hz: number) => {
    const browser = await launchParty(dir, hz);
    browsers.push(browser);
    // bypassCSP: axe injects its script, which the desk's policy rightly refuses.
    const page = await (await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'], bypassCSP: true })).newPage();
    await page.goto(url);
    await expect(page.getByRole('status', { name: '전화 상태' })).toHaveText(/^전화: 등록됨/, { timeout: 20_000 });
    return page;
  };
  agent = await open(desk.url, PARTY_TONE.agent1);
  citizen = await open(practice.url, PARTY_TONE.citizen);
});

test.afterAll(() => stopAll(browsers, procs, city));

const entryPane = () => agent.getByRole('article', { name: '상담 매뉴얼 본문' });
const flagMenu = () => agent.getByRole('form', { name: '매뉴얼 신고' });

/** water-supply's inbox, as its editor reads it in the portal. */
async function inbox(): Promise<Flag[]> {
  const r = await api(city.url, await login(city.url, 'water1', 'water1'), '/api/portal/flags');
  expect(r.status).toBe(200);
  return (r.body as { flags: Flag[] }).flags.filter((f) => f.entryId === ENTRY);
}

test('flagged in two keys during a call with the city down: kept, delivered once, and answered', async () => {
  await ready(agent);
  await citizen.getByRole('textbox', { name: '전화번호 또는 내선' }).fill(REP);
  await citizen.getByRole('button', { name: '전화 걸기' }).click();
  await answerWhenRinging(agent);

  // The entry, found as the agent types: the spoken answer first, then 업무개요 and each section.
  await agent.keyboard.press('Control+k');
  await agent.keyboard.insertText('별침');
  const result = agent.getByRole('listbox', { name: '검색 결과' }).locator(`[data-entry-id="${ENTRY}"]`);
  await expect(result).toBeVisible();
  await result.click();
  await expect(entryPane()).toHaveAttribute('data-entry-id', ENTRY);
  const headings = await entryPane().getByRole('heading', { level: 4 }).allTextContents();
  expect(headings).toEqual(['상담 답변(짧게)', '업무개요', '대상', '신청방법', '구비서류', '접수처·담당부서', '문자 안내']);
  await expect(entryPane().getByRole('region', { name: '상담 답변(짧게)' })).toContainText('집주인 부담');
  await agent.setViewportSize({ width: 1366, height: 768 });
  await agent.screenshot({ path: test.info().outputPath('entry-sections-1366.png') });

  // The agent was writing the call's notes; the city server goes down.
  await showTab(agent, '상담기록');
  const notes = agent.getByRole('textbox', { name: '상담 메모' });
  await notes.focus();
  await typeKorean(agent, '누수 문의');
  await city.kill();

  // Two keys: F8 opens the menu on the open entry, 2 picks 오래됨 and moves to the note.
  await agent.keyboard.press('F8');
  await expect(flagMenu()).toBeVisible();
  await expect(flagMenu().getByRole('radio', { name: /틀림/ })).toBeFocused();
  const axe = await new AxeBuilder({ page: agent }).include('[data-flag-menu]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await agent.keyboard.press('2');
  await expect(flagMenu().getByRole('radio', { name: /오래됨/ })).toBeChecked();
  const note = flagMenu().getByRole('textbox', { name: '신고 메모 (선택)' });
  await expect(note).toBeFocused();
  await typeKorean(agent, '감면 기준이 바뀌었습니다');
  await expect(note).toHaveValue('감면 기준이 바뀌었습니다');
  await agent.screenshot({ path: test.info().outputPath('flag-menu-1366.png') });
  await agent.keyboard.press('Enter');

  // Back where the agent was, the call untouched; the flag kept on the desk, shown waiting.
  await expect(flagMenu()).toHaveCount(0);
  await expect(notes).toBeFocused();
  await expect(notes).toHaveValue('누수 문의');
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'connected');
  const mine = entryPane().getByRole('region', { name: '이 매뉴얼에 대한 내 신고' });
  await expect(mine.locator('[data-flag-state]')).toHaveText('전송 대기');
  await expect(mine).toContainText('오래됨');

  // The city is back: the department's inbox has the flag once, and the desk says it was received.
  city = await startCity();
  await expect(mine.locator('[data-flag-state]')).toHaveText('접수됨', { timeout: 30_000 });
  const flags = await inbox();
  expect(flags).toHaveLength(1);
  expect(flags[0]).toMatchObject({ kind: 'outdated', note: '감면 기준이 바뀌었습니다', agent: 'agent1', state: 'open' });
  const db = new Database(cityDbFile(join(dir, 'city')), { readonly: true });
  try {
    expect(db.prepare('SELECT during_call FROM manual_flags WHERE id = ?').pluck().get(flags[0]?.id)).toBe(1);
  } finally {
    db.close();
  }

  // The department answers; the desk shows it in the entry pane and, once, under the call bar.
  const answered = await api(city.url, await login(city.url, 'water1', 'water1'), `/api/portal/flags/${flags[0]?.id}/reply`, {
    method: 'POST',
    body: JSON.stringify({ reply: '1월 1일 기준으로 고쳐 게시하겠습니다' }),
  });
  expect(answered.status).toBe(200);
  const notice = agent.getByRole('region', { name: '매뉴얼 신고 결과' }).getByRole('status');
  await expect(notice).toHaveText(/신고하신 '.+' 항목에 부서 답변: 1월 1일 기준으로 고쳐 게시하겠습니다/, { timeout: 20_000 });
  await expect(mine).toContainText('부서 답변: 1월 1일 기준으로 고쳐 게시하겠습니다');
  // "내 신고", beside the agent's day: every flag of theirs, each entry one click away.
  await showTab(agent, '민원인');
  await agent.getByText('내 신고 1건').click();
  const list = agent.getByRole('list', { name: '내 신고' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.locator('[data-flag-state]')).toHaveText('답변 완료');
  await notice.getByRole('button', { name: '확인' }).click();
  await expect(agent.getByRole('region', { name: '매뉴얼 신고 결과' })).toHaveCount(0);
  await agent.setViewportSize(DESK_VIEWPORT);
  await agent.keyboard.press('F4');
  await expect(callCard(agent)).toHaveAttribute('data-call-state', 'ended');
});

test('a search that ends without an entry opened reaches the city’s gaps, once', async () => {
  const box = agent.getByRole('searchbox', { name: '표준상담 DB 검색' });
  await box.focus();
  await box.fill('');
  await typeKorean(agent, '드론 촬영 허가');
  // The agent stops typing (the query is settled), reads the results, opens none, and clears the box.
  await expect(agent.getByRole('listbox', { name: '검색 결과' })).toHaveAttribute('data-results-for', '드론 촬영 허가');
  await agent.waitForTimeout(3_500);
  await box.fill('');
  const misses = () => {
    const db = new Database(cityDbFile(join(dir, 'city')), { readonly: true });
    try {
      return db.prepare('SELECT query, agent FROM search_misses').all();
    } finally {
      db.close();
    }
  };
  await expect.poll(misses, { timeout: 15_000 }).toEqual([{ query: '드론 촬영 허가', agent: 'agent1' }]);
});
