import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordDraft } from '../../shared/record';
import { DESK_VIEWPORT } from '../helpers/browser';
import { call, login } from '../helpers/http';
import { typeKorean } from '../helpers/desk-page';
import { cspRefusals, portalNav, signInByKeyboard, axeAndPictures } from '../helpers/portal-page';
import { startCityServerProcess, type CityServerProcess } from '../helpers/processes';
import { draft } from '../helpers/records';

// 녹취·보호 (issue 23) in Chromium against a city server process with the demo's accounts. agent1
// files two reported calls through the API, one with warnings, a protocol end and its desk's
// recording (a real 2-second WAV made by sox); then a team lead, from the keyboard alone, finds the
// open case, plays its recording after giving a reason, reads the playback in the access log and
// closes the case with a note; the city's auditor sees this section alone, plays and downloads,
// and closes nothing; an agent is turned away at the sign-in, and its try at the audio is refused
// and logged. axe finds nothing serious; nothing breaks the page's CSP.

let city: CityServerProcess;
let portal: string;
let reported: RecordDraft;
let other: RecordDraft;
const recordingId = randomUUID();
const SECONDS = 2;

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-protection-'));
  city = await startCityServerProcess(join(dir, 'city'), { demo: true });
  portal = `${city.url}/portal/`;
  const agent = await login(city.url, 'agent1', 'agent1');
  // A threat, after two played warnings and one spoken, ended under the protocol; and an older report with nothing else.
  reported = draft({ category: '상수도/요금', callIds: ['e2e-protection-1@ws'], warnings: { played: 2, spoken: 1 }, endReason: 'abusive', report: 'threat' });
  const older = new Date(Date.parse(reported.startedAt) - 86_400_000);
  other = draft({ category: '교통/불법주정차', startedAt: older.toISOString(), endedAt: new Date(older.getTime() + 180_000).toISOString(), report: 'sexual-harassment' });
  const filed = await call(city.url, agent, '/api/records', { method: 'POST', body: JSON.stringify({ batchKey: randomUUID(), records: [reported, other] }) });
  expect(filed.status, filed.text).toBe(200);
  expect((filed.body as { rejected: unknown[] }).rejected).toEqual([]);

  // The desk's recording of the call: a 440 Hz tone as the desk would upload it.
  const wavFile = join(dir, 'tone.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-b', '16', '-c', '1', wavFile, 'synth', String(SECONDS), 'sine', '440', 'vol', '0.5']);
  const meta = {
    id: recordingId,
    recordId: reported.id,
    callId: 'e2e-protection-1@ws',
    startedAt: reported.startedAt,
    endedAt: new Date(Date.parse(reported.startedAt) + SECONDS * 1000).toISOString(),
    mediaType: 'audio/wav',
  };
  const uploaded = await fetch(`${city.url}/api/recordings?${new URLSearchParams(meta).toString()}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agent}`, 'content-type': 'audio/wav' },
    body: new Uint8Array(readFileSync(wavFile)),
  });
  expect(uploaded.status, await uploaded.clone().text()).toBe(201);
});

test.afterAll(async () => {
  await city?.stop();
});

const nav = portalNav;
const signIn = (page: Page, user: string) => signInByKeyboard(page, portal, user);
const caseRow = (page: Page, record: RecordDraft) => page.locator(`tr[data-case="${record.id}"]`);
const recordingRow = (page: Page) => page.locator(`tr[data-recording-id="${recordingId}"]`);

/** Presses Tab (Shift+Tab `back`) until `target` has the focus: how a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, o: { back?: boolean; max?: number } = {}): Promise<void> {
  await expect(target).toBeVisible();
  for (let i = 0; i < (o.max ?? 60); i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(o.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** The dialog's player: a blob: address, and the tone's length once its metadata is read. */
async function playerOf(dialog: Locator): Promise<{ audio: Locator; src: string }> {
  const audio = dialog.locator('audio');
  await expect(audio).toBeVisible();
  const src = (await audio.getAttribute('src')) ?? '';
  expect(src).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration), { timeout: 10_000 }).toBeCloseTo(SECONDS, 1);
  return { audio, src };
}

/** Whether an object URL still gives audio (a revoked one does not). */
const stillPlays = (page: Page, src: string) =>
  page.evaluate(
    (url) =>
      new Promise<boolean>((resolve) => {
        const a = new Audio();
        a.onloadedmetadata = () => resolve(true);
        a.onerror = () => resolve(false);
        a.src = url;
      }),
    src,
  );

test('an agent is turned away at the sign-in, and its try at a recording is refused and logged', async ({ page }) => {
  await page.goto(portal);
  await page.getByRole('textbox', { name: '아이디' }).fill('agent1');
  await page.getByLabel('비밀번호').fill('agent1');
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('alert')).toHaveText(/^이 계정으로는 지식 포털과 민원 분석을 쓸 수 없습니다/);
  await expect(nav(page)).toHaveCount(0);

  const agent = await login(city.url, 'agent1', 'agent1');
  const tried = await call(city.url, agent, `/api/recordings/${recordingId}/audio`, { method: 'POST', body: JSON.stringify({ purpose: 'play', reason: '궁금해서 들어 봄' }) });
  expect(tried.status).toBe(403);
  for (const path of ['/api/protection/cases', '/api/recordings/access-log', `/api/records/${reported.id}/recordings`]) expect((await call(city.url, agent, path)).status).toBe(403);
  const lead = await login(city.url, 'lead1', 'lead1');
  const log = (await call(city.url, lead, '/api/recordings/access-log')).body as { access: { actor: string; role: string; recordingId: string | null; purpose: string; reason: string; allowed: boolean }[] };
  expect(log.access).toContainEqual(expect.objectContaining({ actor: 'agent1', role: 'agent', recordingId, purpose: 'play', reason: '궁금해서 들어 봄', allowed: false }));
});

test('a team lead, from the keyboard: the open case, its recording played with a reason, the access log, the case closed with a note', async ({ page }) => {
  const refused = cspRefusals(page);
  await signIn(page, 'lead1');
  // Back from the first screen's title: past the language and sign-out, the navigation's last link.
  const link = nav(page).getByRole('link', { name: '녹취·보호' });
  await tabTo(page, link, { back: true });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/protection$/);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('녹취·보호');
  await expect(heading).toBeFocused();
  await expect(link).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('tab', { name: '피해 신고 사건' })).toHaveAttribute('aria-selected', 'true');

  // Open cases, the later call first: when, kind, agent, category, warnings, the protocol end, recordings, state.
  const table = page.getByRole('table', { name: /^피해 신고 사건 2건/ });
  await expect(table.locator('tbody tr[data-case]')).toHaveCount(2);
  await expect(table.locator('tbody tr[data-case]').first()).toHaveAttribute('data-case', reported.id);
  const row = caseRow(page, reported);
  await expect(row.locator('td').nth(0)).toHaveText('위협·협박');
  await expect(row.locator('td').nth(1)).toHaveText('김상담agent1');
  await expect(row.locator('td').nth(2)).toHaveText('상수도/요금');
  await expect(row.locator('td').nth(3)).toHaveText('안내 2회 · 구두 1회');
  await expect(row.locator('td').nth(4)).toHaveText('예');
  await expect(row.locator('td').nth(6)).toHaveText('진행 중녹취 보존 중');
  const second = caseRow(page, other);
  await expect(second.locator('td').nth(0)).toHaveText('성희롱');
  await expect(second.locator('td').nth(3)).toHaveText('없음');
  await expect(second.locator('td').nth(4)).toHaveText('아니요');
  await expect(second.locator('td').nth(5)).toHaveText('녹취 없음');

  // The case's recordings, under its row.
  const show = row.getByRole('button', { name: /^녹취 1건 보기/ });
  await tabTo(page, show);
  await page.keyboard.press('Enter');
  await expect(show).toHaveAttribute('aria-expanded', 'true');
  const recording = recordingRow(page);
  await expect(recording.locator('td')).toHaveText([`${SECONDS}초`, '상담석 녹음', reported.id, '사건 보존 중', /재생.*내려받기/]);

  // 재생: the dialog says the access is logged before it asks why; a reason of one letter is not one.
  const play = recording.getByRole('button', { name: /^재생/ });
  await tabTo(page, play);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: '녹취 재생' });
  await expect(dialog).toBeVisible();
  const reason = dialog.getByRole('textbox', { name: '열람 사유 (필수)' });
  await expect(reason).toBeFocused();
  const notice = dialog.getByText('열람 기록에 남습니다', { exact: true });
  await expect(notice).toBeVisible();
  expect(await notice.evaluate((n, field) => Boolean(n.compareDocumentPosition(field as Node) & Node.DOCUMENT_POSITION_FOLLOWING), await reason.elementHandle())).toBe(true);
  await expect(reason).toHaveAccessibleDescription(/민원 재확인, 피해 사건 조사/);
  await page.keyboard.type('가');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('열람 사유를 2자 이상 적어 주세요.');
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Backspace');
  // Through the Korean IME, as a lead types it: every syllable composed before it is committed.
  await typeKorean(page, '피해 사건 조사');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('status')).toHaveText('열람 기록에 남겼습니다 (사유: 피해 사건 조사). 재생기에서 들으세요.');
  const { audio, src } = await playerOf(dialog);
  await expect(audio).toBeFocused();
  expect(await stillPlays(page, src)).toBe(true);
  // Closed: the bytes go with it, and the focus is back on 재생.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(play).toBeFocused();
  expect(await stillPlays(page, src)).toBe(false);

  // 열람 기록: the playback with its reason, and the agent's refused try.
  const casesTab = page.getByRole('tab', { name: '피해 신고 사건' });
  // Arrows move along the tabs and Enter opens one: passing 녹취 찾기 lists nothing (a listing is logged).
  await tabTo(page, casesTab, { back: true });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: '열람 기록' })).toBeFocused();
  await expect(casesTab).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: '열람 기록' })).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/#\/protection\/access-log$/);
  const log = page.getByRole('table', { name: /^녹취 열람 기록/ });
  const lines = log.locator('tbody tr');
  await expect(lines.filter({ hasText: '피해 사건 조사' })).toHaveCount(1);
  await expect(lines.filter({ hasText: '피해 사건 조사' }).locator('td')).toHaveText(['lead1', '팀장', '재생', '피해 사건 조사', `녹취 ${recordingId}상담 기록 ${reported.id}`, '허용']);
  await expect(lines.filter({ hasText: '궁금해서 들어 봄' }).locator('td')).toHaveText(['agent1', '상담원', '재생', '궁금해서 들어 봄', `녹취 ${recordingId}`, '거부']);
  await expect(lines.filter({ hasText: '목록 조회' }).filter({ hasText: 'lead1' })).toHaveCount(1);

  // Back to the cases: closed with a note, it moves under the open one.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  await expect(casesTab).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/#\/protection$/);
  const close = caseRow(page, reported).getByRole('button', { name: /^사건 종결/ });
  await tabTo(page, close);
  await page.keyboard.press('Enter');
  const closing = page.getByRole('dialog', { name: /^사건 종결: 위협·협박/ });
  const note = closing.getByRole('textbox', { name: '종결 메모 (필수)' });
  await expect(note).toBeFocused();
  await typeKorean(page, '경찰 신고 후 종결, 상담원 면담 완료');
  await tabTo(page, closing.getByRole('button', { name: '종결하기' }));
  await page.keyboard.press('Enter');
  await expect(closing).toBeHidden();
  const done = page.getByRole('status').filter({ hasText: '사건을 종결했습니다' });
  await expect(done).toBeFocused();
  await expect(table.locator('tbody tr[data-case]').first()).toHaveAttribute('data-case', other.id);
  await expect(caseRow(page, reported)).toHaveAttribute('data-state', 'closed');
  await expect(caseRow(page, reported).locator('td').nth(6)).toHaveText(/^종결lead1 · .+경찰 신고 후 종결, 상담원 면담 완료$/);
  await expect(caseRow(page, reported).getByRole('button', { name: /^사건 종결/ })).toHaveCount(0);
  // By state: the open one alone, then the closed one alone.
  const state = page.getByRole('combobox', { name: '사건 상태' });
  await tabTo(page, state, { back: true });
  await page.keyboard.press('ArrowDown');
  await expect(state).toHaveValue('open');
  await expect(page.locator('tr[data-case]')).toHaveCount(1);
  await expect(caseRow(page, other)).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(state).toHaveValue('closed');
  await expect(page.locator('tr[data-case]')).toHaveCount(1);
  await expect(caseRow(page, reported)).toBeVisible();

  // 녹취 찾기: the last 7 days by default; the closed case's recording now has a date it goes.
  await tabTo(page, casesTab, { back: true });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/protection\/recordings$/);
  await expect(page.getByRole('status').filter({ hasText: /녹취 1건, 최근 순$/ })).toBeVisible();
  await expect(recordingRow(page).locator('td').nth(3)).toHaveText(/^\d{4}\. \d{1,2}\. \d{1,2}\.까지 보존$/);
  const unlinked = page.getByRole('checkbox', { name: '상담 기록과 연결되지 않은 녹취만' });
  await tabTo(page, unlinked);
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: '찾기' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('이 기간에 녹취가 없습니다.')).toBeVisible();
  expect(refused).toEqual([]);
});

test('the city’s auditor: 녹취·보호 alone, plays and downloads with a reason, closes nothing', async ({ page }) => {
  const refused = cspRefusals(page);
  await signIn(page, 'audit1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('녹취·보호');
  await expect(nav(page).getByRole('link')).toHaveText(['녹취·보호']);
  await expect(page.getByText('감사 담당자', { exact: true })).toBeVisible();
  // The open case, with no way to close it; who took the call, as the lead sees it.
  const open = caseRow(page, other);
  await expect(open).toHaveAttribute('data-state', 'open');
  await expect(page.getByRole('button', { name: /^사건 종결/ })).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: '사건 종결' })).toHaveCount(0);
  await expect(open.locator('td').nth(1)).toHaveText('김상담agent1');
  const auditor = await login(city.url, 'audit1', 'audit1');
  expect((await call(city.url, auditor, `/api/protection/cases/${other.id}/close`, { method: 'POST', body: JSON.stringify({ note: '감사 종결' }) })).status).toBe(403);

  await caseRow(page, reported).getByRole('button', { name: /^녹취 1건 보기/ }).click();
  await recordingRow(page).getByRole('button', { name: /^재생/ }).click();
  const dialog = page.getByRole('dialog', { name: '녹취 재생' });
  await dialog.getByRole('textbox', { name: '열람 사유 (필수)' }).fill('정기 감사');
  await dialog.getByRole('button', { name: '사유 남기고 재생' }).click();
  await playerOf(dialog);
  await dialog.getByRole('button', { name: '닫기' }).click();

  await page.getByRole('tab', { name: '녹취 찾기' }).click();
  await recordingRow(page).getByRole('button', { name: /^내려받기/ }).click();
  const saving = page.getByRole('dialog', { name: '녹취 내려받기' });
  await expect(saving.getByText('열람 기록에 남습니다', { exact: true })).toBeVisible();
  await saving.getByRole('textbox', { name: '열람 사유 (필수)' }).fill('정기 감사 자료');
  const download = page.waitForEvent('download');
  await saving.getByRole('button', { name: '사유 남기고 내려받기' }).click();
  expect((await download).suggestedFilename()).toMatch(/^recording-\d{4}-\d\d-\d\d-[0-9a-f]{8}\.wav$/);
  await expect(saving.getByRole('status').filter({ hasText: '열람 기록에 남기고 파일을 받았습니다' })).toBeVisible();
  await expect(saving.getByRole('button', { name: '닫기' })).toBeFocused();
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: '열람 기록' }).click();
  const lines = page.getByRole('table', { name: /^녹취 열람 기록/ }).locator('tbody tr');
  await expect(lines.filter({ hasText: '정기 감사 자료' }).locator('td').nth(1)).toHaveText('감사 담당자');
  await expect(lines.filter({ hasText: '정기 감사 자료' }).locator('td').nth(2)).toHaveText('내려받기');
  // A search's range, as the server logged it, read in Korea time: from one midnight to another.
  const searched = lines.filter({ hasText: 'audit1' }).filter({ hasText: '목록 조회' }).filter({ hasText: '~' });
  await expect(searched.locator('td').nth(3)).toHaveText(/^\d{4}\. \d{1,2}\. \d{1,2}\. 오전 12:00:00 ~ \d{4}\. \d{1,2}\. \d{1,2}\. 오전 12:00:00$/);
  // The knowledge portal is not theirs: said politely.
  await page.goto(`${portal}#/entries`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('이 계정으로 볼 수 없는 화면입니다');
  expect(refused).toEqual([]);
});

test('axe finds nothing serious: the cases with a recording, the play dialog, the search and the access log', async ({ browser }, info) => {
  // axe injects its script, which the portal's policy rightly refuses.
  const context = await browser.newContext({ viewport: DESK_VIEWPORT, bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, 'lead1');
  await nav(page).getByRole('link', { name: '녹취·보호' }).click();
  await page.getByRole('combobox', { name: '사건 상태' }).selectOption('all');
  await caseRow(page, reported).getByRole('button', { name: /^녹취 1건 보기/ }).click();
  await expect(recordingRow(page)).toBeVisible();
  await axeAndPictures(page, 'protection-cases', info);
  await caseRow(page, other).getByRole('button', { name: /^사건 종결/ }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await axeAndPictures(page, 'protection-close', info);
  await page.keyboard.press('Escape');
  await recordingRow(page).getByRole('button', { name: /^재생/ }).click();
  const dialog = page.getByRole('dialog', { name: '녹취 재생' });
  await axeAndPictures(page, 'protection-reason', info);
  await dialog.getByRole('textbox', { name: '열람 사유 (필수)' }).fill('화면 점검');
  await dialog.getByRole('button', { name: '사유 남기고 재생' }).click();
  await playerOf(dialog);
  await axeAndPictures(page, 'protection-player', info);
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: '녹취 찾기' }).click();
  await expect(recordingRow(page)).toBeVisible();
  await axeAndPictures(page, 'protection-recordings', info);
  await page.getByRole('tab', { name: '열람 기록' }).click();
  await expect(page.getByRole('table', { name: /^녹취 열람 기록/ })).toBeVisible();
  await axeAndPictures(page, 'protection-access-log', info);
  await context.close();
});
