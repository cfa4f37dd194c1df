import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seoulDay, seoulInstant } from '../../shared/seoul-time';
import { startCityServer, type RunningCityServer } from '../../server/main';
import { DESK_VIEWPORT } from '../helpers/browser';
import { typeKorean } from '../helpers/desk-page';
import { call, login } from '../helpers/http';
import { startDeskProcess, type Spawned } from '../helpers/processes';
import { cspRefusals, portalNav, signInByKeyboard, axeAndPictures } from '../helpers/portal-page';

// The knowledge portal (issue 21) in Chromium against a city server in this process, whose clock
// the tests move (tokens lapse, scheduled entries come due), and an agent's desk synced from it:
// a department's editor revises an entry, a reviewer approves it, and the agent finds the new words;
// a scheduled approval waits for its Seoul midnight; nobody approves their own draft; an editor stays
// in their department; an agent is turned away; and axe finds nothing serious on any view.

const DAY_MS = 86_400_000;
/** The fake clock: the server's time is the real time plus this. */
let offsetMs = 0;
let city: RunningCityServer;
let desk: Spawned & { url: string };
let portal: string;

const quiet = { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-portal-'));
  city = await startCityServer({ dataDir: join(dir, 'city'), port: 0, demo: true, logger: quiet, publishCheckMs: 500, clock: () => new Date(Date.now() + offsetMs) });
  portal = `${city.url}/portal/`;
  desk = await startDeskProcess({ server: city.url, cache: join(dir, 'desk.sqlite'), user: 'agent1', extra: ['--interval', '2'] });
});

test.afterAll(async () => {
  desk.proc.kill('SIGTERM');
  await desk.exited;
  await city.close();
});

const nav = portalNav;

const signIn = (page: Page, user: string) => signInByKeyboard(page, portal, user);

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '로그아웃' }).click();
  await expect(page.getByRole('textbox', { name: '아이디' })).toBeVisible();
}

/** Opens a draft waiting for review from the 초안·검토 list. */
async function openReview(page: Page, title: string): Promise<void> {
  await nav(page).getByRole('link', { name: '초안·검토' }).click();
  await page.getByRole('region', { name: /^검토 대기/ }).getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`검토: ${title}`);
}

/** The agent's desk page, searching the manual. */
async function deskSearch(browser: Browser) {
  const page = await browser.newPage({ viewport: DESK_VIEWPORT });
  await page.goto(desk.url);
  await expect(page.getByRole('status').filter({ hasText: '동기화됨' })).toBeVisible({ timeout: 20_000 });
  const box = page.getByRole('searchbox', { name: '표준상담 DB 검색' });
  const results = page.getByRole('listbox', { name: '검색 결과' });
  return { page, box, results };
}

test('an editor revises an entry in Korean, through a lapsed sign-in; a reviewer approves; the agent finds the new words', async ({ page, browser }) => {
  const refused = cspRefusals(page);
  await signIn(page, 'water1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('상수도사업본부 급수과 매뉴얼 항목');
  // The filter takes Korean as the IME composes it.
  await page.getByRole('searchbox', { name: '항목 찾기' }).focus();
  await typeKorean(page, '옥내');
  await expect(page.getByRole('link', { name: '수도계량기 동파 신고 및 예방' })).toBeHidden();
  await page.getByRole('link', { name: '옥내·옥외 누수 판단 및 책임 구분' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('옥내·옥외 누수 판단 및 책임 구분');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

  await page.getByRole('button', { name: '수정 초안' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('초안: 옥내·옥외 누수 판단 및 책임 구분');
  const body = page.getByRole('textbox', { name: '업무개요' });
  await body.click();
  await body.press('Control+End');
  await typeKorean(page, ' 두꺼비집 점검도 안내합니다.');
  await expect(body).toHaveValue(/두꺼비집 점검도 안내합니다\.$/);
  // The SMS form counts as the carriers count it.
  const sms = page.getByRole('textbox', { name: '문자 안내' });
  await sms.fill('누수 확인: 계량기 별표');
  await expect(page.getByText(/^SMS \d+ \/ 90바이트$/)).toBeVisible();

  // Sixteen minutes later the token has lapsed: saving asks to sign in again, then saves what was typed.
  offsetMs += 16 * 60_000;
  await page.getByRole('button', { name: '저장', exact: true }).click();
  const again = page.getByRole('alertdialog', { name: '다시 로그인하세요' });
  await expect(again).toBeVisible();
  await again.getByLabel('비밀번호').fill('water1');
  await again.getByLabel('비밀번호').press('Enter');
  await expect(again).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: '저장했습니다.' })).toBeVisible();
  await expect(body).toHaveValue(/두꺼비집 점검도 안내합니다\.$/);
  offsetMs = 0;

  await page.getByRole('button', { name: '검토 요청' }).click();
  await expect(page.getByRole('status').filter({ hasText: '검토를 요청했습니다' })).toBeVisible();
  expect(refused).toEqual([]);
  await signOut(page);

  await signIn(page, 'review1');
  await openReview(page, '옥내·옥외 누수 판단 및 책임 구분');
  await expect(page.locator('tr[data-field="body"] ins')).toContainText('두꺼비집');
  await page.getByRole('button', { name: '승인', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '게시되었습니다 (v2)' })).toBeVisible();

  const agent = await deskSearch(browser);
  await agent.box.fill('두꺼비집');
  await expect(agent.results.getByRole('option').first()).toHaveAttribute('data-entry-id', 'M-WAT-018', { timeout: 20_000 });
  await agent.page.close();
});

test('an approval for tomorrow waits for Seoul midnight before it reaches the desk', async ({ page, browser }) => {
  const water = await login(city.url, 'water1', 'water1');
  const content = { category: '상수도/급수공사', title: '빗물저금통 설치 지원', body: '빗물저금통을 설치하는 가정에 설치비 일부를 지원합니다.', keywords: ['빗물저금통'] };
  const created = await call(city.url, water, '/api/portal/drafts', { method: 'POST', body: JSON.stringify({ content }) });
  expect(created.status).toBe(200);
  const draft = (created.body as { draft: { id: string; entryId: string } }).draft;
  expect((await call(city.url, water, `/api/portal/drafts/${draft.id}/submit`, { method: 'POST' })).status).toBe(200);

  await signIn(page, 'review1');
  await openReview(page, content.title);
  const tomorrow = seoulDay(new Date(Date.now() + offsetMs + DAY_MS)).day;
  await page.getByRole('radio', { name: '정한 날 0시(한국 시간)에 게시' }).check();
  await page.getByLabel('게시일', { exact: true }).fill(tomorrow);
  await page.getByRole('button', { name: '승인', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '빗물저금통 설치 지원. ' })).toContainText('게시됩니다');
  await expect(page.getByRole('region', { name: /^게시 예정/ }).getByRole('row', { name: new RegExp(content.title) })).toBeVisible();

  const agent = await deskSearch(browser);
  await agent.box.fill('빗물저금통');
  // Two syncs later it is still not on the desk.
  for (let i = 0; i < 2; i++) {
    const before = await agent.page.getByRole('status').filter({ hasText: '동기화됨' }).textContent();
    await expect(agent.page.getByRole('status').filter({ hasText: '동기화됨' })).not.toHaveText(before ?? '', { timeout: 10_000 });
  }
  await expect(agent.results.locator(`[data-entry-id="${draft.entryId}"]`)).toHaveCount(0);

  // Past that midnight (Seoul) the server publishes it, and the desk's next sync brings it.
  offsetMs = seoulInstant(tomorrow, '00:00').getTime() - Date.now() + 5_000;
  await expect(agent.results.getByRole('option').first()).toHaveAttribute('data-entry-id', draft.entryId, { timeout: 20_000 });
  await agent.page.close();
});

test('a reviewer never approves a draft they wrote', async ({ page }) => {
  await signIn(page, 'review1');
  await page.getByRole('link', { name: '새 항목 초안' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('새 항목 초안');
  await page.getByLabel('부서', { exact: true }).selectOption({ label: '상수도사업본부 급수과' });
  await page.getByRole('combobox', { name: '분류', exact: true }).fill('상수도/누수');
  await page.getByRole('textbox', { name: '제목', exact: true }).fill('옥내 누수 판단');
  await page.getByRole('textbox', { name: '업무개요' }).fill('계량기 별표가 돌면 집 안 배관에서 새는 것입니다.');
  await page.getByRole('button', { name: '저장', exact: true }).click();
  // A title like a live entry's: the portal shows it before anything is saved.
  const similar = page.getByRole('region', { name: '비슷한 항목이 이미 있습니다' });
  await expect(similar.getByRole('link', { name: /옥내·옥외 누수 판단 및 책임 구분/ })).toBeVisible();
  await similar.getByRole('button', { name: '그래도 저장' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('초안: 옥내 누수 판단');
  const draftId = decodeURIComponent(/#\/drafts\/([^/?]+)/.exec(page.url())?.[1] ?? '');
  expect(draftId).not.toBe('');

  // The reviewer sends it to review like any author.
  await page.getByRole('button', { name: '검토 요청', exact: true }).click();
  await expect(page.getByText('검토 중', { exact: false }).first()).toBeVisible();

  await openReview(page, '옥내 누수 판단');
  const approve = page.getByRole('button', { name: '승인', exact: true });
  await expect(approve).toBeDisabled();
  await expect(page.getByText('본인이 작성하거나 고친 초안은 승인할 수 없습니다')).toBeVisible();
  await expect(approve).toHaveAccessibleDescription('본인이 작성하거나 고친 초안은 승인할 수 없습니다');
  const reviewer = await login(city.url, 'review1', 'review1');
  const r = await call(city.url, reviewer, `/api/portal/drafts/${draftId}/decision`, { method: 'POST', body: JSON.stringify({ decision: 'approve' }) });
  expect(r.status).toBe(403);
  expect((r.body as { error: string }).error).toBe('own-draft');
});

test('an editor cannot open or draft another department’s entry', async ({ page }) => {
  await signIn(page, 'water1');
  await page.goto(`${portal}#/entries/M-TAX-001`);
  await expect(page.getByRole('alert')).toHaveText(/^다른 부서의 항목입니다/);
  await expect(page.getByRole('button', { name: '수정 초안' })).toHaveCount(0);
  const water = await login(city.url, 'water1', 'water1');
  const r = await call(city.url, water, '/api/portal/drafts', { method: 'POST', body: JSON.stringify({ entryId: 'M-TAX-001' }) });
  expect(r.status).toBe(403);
  expect((r.body as { error: string }).error).toBe('other-department');
});

test('an agent is told the portal is not for their account', async ({ page }) => {
  await page.goto(portal);
  await page.getByRole('textbox', { name: '아이디' }).fill('agent1');
  await page.getByLabel('비밀번호').fill('agent1');
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('alert')).toHaveText(/^이 계정으로는 지식 포털과 민원 분석을 쓸 수 없습니다/);
  await expect(nav(page)).toHaveCount(0);
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
});

test('axe finds nothing serious on any view', async ({ browser }, info) => {
  // Something in the inbox and the gaps: a flag and a few searches that found nothing, from the agent's desk.
  const agent = await login(city.url, 'agent1', 'agent1');
  const at = new Date().toISOString();
  const flags = [{ id: crypto.randomUUID(), entryId: 'M-WAT-020', entryVersion: 1, kind: 'outdated', note: '수리업체 목록 주소가 바뀌었습니다', at, duringCall: true }];
  expect((await call(city.url, agent, '/api/manual/flags', { method: 'POST', body: JSON.stringify({ flags }) })).status).toBe(200);
  const misses = ['누수 탐지 업체 추천', '누수탐지 업체', '누수 탐지업체 어디'].map((query) => ({ id: crypto.randomUUID(), query, at, category: '상수도/누수' }));
  expect((await call(city.url, agent, '/api/knowledge/misses', { method: 'POST', body: JSON.stringify({ misses }) })).status).toBe(200);

  // axe injects its script, which the portal's policy rightly refuses.
  const context = await browser.newContext({ viewport: DESK_VIEWPORT, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(portal);
  await axeAndPictures(page, 'sign-in', info);
  await signIn(page, 'water1');
  await axeAndPictures(page, 'entries', info);

  await page.goto(`${portal}#/entries/M-WAT-018`);
  await page.getByRole('button', { name: '이전 판과 비교 (v2)' }).click();
  await expect(page.getByRole('heading', { name: 'v1과(와) v2 비교' })).toBeFocused();
  await axeAndPictures(page, 'entry', info);
  // The department names who answers for the entry, from its editors.
  await page.getByLabel('담당자', { exact: true }).selectOption('water1');
  await page.getByRole('button', { name: '담당자 지정' }).click();
  await expect(page.getByText('담당자를 water1(으)로 지정했습니다.')).toBeVisible();

  await page.goto(`${portal}#/entries/M-WAT-020`);
  await page.getByRole('button', { name: '수정 초안' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^초안: /);
  await axeAndPictures(page, 'draft', info);

  await nav(page).getByRole('link', { name: '신고함' }).click();
  await expect(page.getByText('수리업체 목록 주소가 바뀌었습니다')).toBeVisible();
  await axeAndPictures(page, 'flags', info);

  await nav(page).getByRole('link', { name: '지식 공백' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('매뉴얼에 답이 없는 질문');
  await expect(page.locator('[data-gap]').first()).toContainText('누수');
  await axeAndPictures(page, 'gaps', info);

  await nav(page).getByRole('link', { name: '가져오기·내보내기' }).click();
  await axeAndPictures(page, 'transfer', info);

  await signOut(page);
  await signIn(page, 'review1');
  await nav(page).getByRole('link', { name: '초안·검토' }).click();
  await axeAndPictures(page, 'review-list', info);
  await openReview(page, '옥내 누수 판단');
  await axeAndPictures(page, 'review', info);
  await context.close();
});
