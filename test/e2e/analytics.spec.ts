import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../../shared/analytics';
import { CALLBACK_SOURCES, type CallbackSource } from '../../shared/callback';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { seoulDay, seoulInstant } from '../../shared/seoul-time';
import { generateConsultations } from '../../server/demo/consultations';
import { DEFAULT_PHONE, startCityServer, type RunningCityServer } from '../../server/main';
import { cancelCallback, requestCallback } from '../../server/store/callbacks';
import { rebuildQueueRollup } from '../../server/store/queue-log';
import { intakeBatch } from '../../server/store/records';
import { createUser, findUser } from '../../server/store/users';
import { DESK_VIEWPORT } from '../helpers/browser';
import { call, login } from '../helpers/http';
import { cspRefusals, portalNav, signInByKeyboard, axeAndPictures } from '../helpers/portal-page';

// The analysis (민원 분석) in Chromium against a city server in this process, holding 60 days of
// consultations from a fixed seed (categories, channels, districts, repeats, transfers), of calls
// to the representative number and of callbacks: a team lead opens it from the keyboard, every chart draws in
// Korean with its table and drill-down; an analyst sees the analysis alone and never a note; an
// agent and a department editor are turned away; axe finds nothing serious; nothing breaks the CSP.

let city: RunningCityServer;
let portal: string;
const quiet = { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

/** The charts of the dashboard, by their cards' data-chart (the manual's coverage is lists only). */
const CHARTS = ['volume', 'subcategories', 'outcomes', 'heatmap', 'repeats', 'transfers', 'districts', 'callback-sources', 'callback-states', 'rising-categories', 'rising-keywords'];

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-analytics-'));
  city = await startCityServer({ dataDir: join(dir, 'city'), port: 0, demo: true, logger: quiet });
  portal = `${city.url}/portal/`;
  const now = new Date();
  await createUser(city.db, { username: 'policy1', displayName: '김정책', role: 'analyst', password: 'policy1' }, now);
  // 60 days up to yesterday: the default view (the last 30 days) and the 30 before it, for what rose.
  const from = addDays(seoulDay(now).day, -60);
  const agent = ((await findUser(city.db, 'agent1')) as { id: string }).id;
  // Ids of their own: the demo's records may come from the same generator.
  const records = generateConsultations({ seed: 22, from, days: 60, n: 400 }).map((g) => ({ ...g.draft, id: randomUUID() }));
  const result = await intakeBatch(city.db, { batchKey: randomUUID(), records }, agent, DEFAULT_PHONE, now);
  expect(result.rejected).toEqual([]);
  // Calls to the representative number as the SIP server's log leaves them: office hours, one in eight given up.
  await city.db.write(async (tx) => {
    for (let i = 0; i < 300; i++) {
      const arrived = seoulInstant(addDays(from, i % 60), `${String(9 + (i % 9)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`);
      await tx.run('INSERT INTO queue_calls(call_id, arrived_at, answered, wait_ms) VALUES (?, ?, ?, ?)', [randomUUID(), arrived.toISOString(), i % 8 === 0 ? 0 : 1, 5_000 + ((i * 1_337) % 60_000)]);
    }
  });
  await rebuildQueueRollup(city.db);
  // Searches agents made in vain yesterday: the manual's gaps.
  const at = seoulInstant(addDays(seoulDay(now).day, -1), '11:00').toISOString();
  const misses = ['동파 수도계량기 교체 비용', '동파 계량기 교체비용', '계량기 동파 교체 비용 얼마'].map((query) => ({ id: randomUUID(), query, at, category: '상수도/동파' }));
  expect((await call(city.url, await login(city.url, 'agent1', 'agent1'), '/api/knowledge/misses', { method: 'POST', body: JSON.stringify({ misses }) })).status).toBe(200);
  // Callbacks asked for over the last 30 days, from each source; a third called off.
  for (let i = 0; i < 24; i++) {
    const asked = seoulInstant(addDays(from, 30 + i), '10:00');
    const { callback } = await requestCallback(
      city.db,
      { source: CALLBACK_SOURCES[i % 4] as CallbackSource, number: `+82105555${1000 + i}`, numberRaw: `010-5555-${1000 + i}` },
      { now: asked, policy: DEFAULT_SETTINGS.callbacks, hours: DEFAULT_SETTINGS.openingHours },
    );
    if (i % 3 === 0) await cancelCallback(city.db, callback.id, asked);
  }
});

test.afterAll(async () => {
  await city.close();
});

const nav = portalNav;
const card = (page: Page, name: string) => page.locator(`[data-chart="${name}"]`);
/** The seeded records' notes ("계량기 검침 문의"), not a category ("상수도/일반 문의"). */
const notes = (dialog: Locator) => dialog.locator('td').filter({ hasText: /^[^/]+ 문의$/ });

const signIn = (page: Page, user: string) => signInByKeyboard(page, portal, user);

/** Every chart drawn: an SVG in each card, named for screen readers by its Korean description. */
async function chartsDrawn(page: Page): Promise<void> {
  for (const name of CHARTS) {
    await expect(card(page, name).locator('[data-chart-box] svg')).toBeVisible();
    await expect(card(page, name).locator('[data-chart-box]')).toHaveAttribute('role', 'img');
    await expect(card(page, name).locator('[data-chart-box]')).toHaveAttribute('aria-label', /.+: .+/);
  }
}

test('a team lead opens the analysis from the keyboard: figures, Korean charts, tables, drill-down, exports', async ({ page }) => {
  const refused = cspRefusals(page);
  await signIn(page, 'lead1');
  const link = nav(page).getByRole('link', { name: '민원 분석' });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('민원 분석');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(link).toHaveAttribute('aria-current', 'page');
  // The default question: the last 30 full Seoul days, every channel.
  await expect(page.getByRole('button', { name: '최근 30일' })).toHaveAttribute('aria-pressed', 'true');
  await chartsDrawn(page);

  // Korean in the charts themselves: the categories in the SVG's text and in the description.
  const volume = card(page, 'volume');
  await expect(volume.locator('[data-chart-box] svg text').filter({ hasText: /^상수도/ }).first()).toBeVisible();
  await expect(volume.locator('[data-chart-box]')).toHaveAttribute('aria-label', /^기간별 상담 건수: .*상수도 [\d,]+건 \([\d.]+%\)/);
  await expect(card(page, 'heatmap').locator('[data-chart-box] svg text').filter({ hasText: /^월$/ })).toBeVisible();
  await expect(card(page, 'outcomes').locator('[data-chart-box] svg text').filter({ hasText: '답변 완료' }).first()).toBeVisible();
  await expect(card(page, 'coverage').getByRole('table', { name: '매뉴얼에 답이 없던 질문' })).toContainText('동파');
  await expect(card(page, 'rising-keywords').locator('[data-chart-box]')).toHaveAttribute('aria-label', /동파 \+[\d.]+%p/);

  // The table shows the chart's numbers: the volume's total is the tiles' count of consultations.
  const consultations = (await page.locator('[data-kpi="consultations"] dd').first().textContent()) ?? '';
  expect(consultations).toMatch(/^[\d,]+건$/);
  const toggle = volume.getByRole('button', { name: '표 보기: 기간별 상담 건수' });
  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const table = volume.getByRole('table', { name: '기간별 상담 건수' });
  await expect(table.getByRole('columnheader', { name: '상수도' })).toBeVisible();
  await expect(table.locator('tfoot td').last()).toHaveText(consultations);
  await expect(volume.locator('[data-chart-box] svg')).toBeHidden();
  await page.keyboard.press('Space');
  await expect(volume.locator('[data-chart-box] svg')).toBeVisible();
  for (const name of CHARTS) {
    await card(page, name).getByRole('button', { name: /^표 보기: / }).click();
    await expect(card(page, name).getByRole('table')).toBeVisible();
    await expect(card(page, name).getByRole('table').locator('tbody tr').first()).toBeVisible();
  }

  // A category's row opens its records from the keyboard; the lead reads the (masked) notes; Escape goes back to the row.
  const water = card(page, 'outcomes').getByRole('button', { name: '상수도 상담 기록 보기' });
  await water.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: '상담 기록: 상수도' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(/^[\d,]+건 중 [\d,]+건 \(최근 순\)$/)).toBeVisible();
  await expect(dialog.getByRole('columnheader', { name: '메모' })).toBeVisible();
  await expect(dialog.locator('tbody tr').first()).toContainText('상수도/');
  await expect(notes(dialog).first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(water).toBeFocused();

  // A bar of a chart opens its records too: the first (largest) category's, in the first series colour.
  const top = (await card(page, 'subcategories').locator('tbody th').first().textContent()) ?? '';
  await card(page, 'subcategories').getByRole('button', { name: /^표 보기: / }).click();
  const first = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--desk-chart-1').trim());
  await card(page, 'subcategories').locator(`[data-chart-box] svg path[fill="${first}"]`).first().click();
  await expect(page.getByRole('dialog', { name: `상담 기록: ${top}` })).toBeVisible();
  await page.keyboard.press('Escape');
  await card(page, 'districts').getByRole('button', { name: '남구 상담 기록 보기', exact: true }).click();
  await expect(page.getByRole('dialog', { name: '상담 기록: 남구' }).locator('tbody tr').first()).toContainText('남구');
  await page.getByRole('button', { name: '닫기' }).click();

  // A new question keeps the focus where it is and lives in the address (a bookmark).
  const week = page.getByRole('radio', { name: '주' });
  await week.focus();
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/#\/analytics\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&channels=call,text,callback&grain=week$/);
  await expect(week).toBeFocused();
  await page.getByRole('checkbox', { name: '문자' }).uncheck();
  await expect(page).toHaveURL(/channels=call,callback&/);
  await expect(page.getByRole('status').filter({ hasText: '전화, 콜백' })).toBeVisible();
  await page.getByRole('button', { name: '최근 7일' }).click();
  await expect(page.getByRole('button', { name: '최근 7일' })).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByRole('button', { name: '최근 7일' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('checkbox', { name: '문자' })).not.toBeChecked();
  await chartsDrawn(page);

  // Files through the token: the server names them.
  for (const [button, ext] of [
    ['CSV', 'csv'],
    ['Excel(xlsx)', 'xlsx'],
    ['월간 보고서 PDF', 'pdf'],
  ] as const) {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: button, exact: true }).click();
    expect((await download).suggestedFilename()).toMatch(new RegExp(`\\.${ext}$`));
    await expect(page.getByRole('status').filter({ hasText: '파일을 받았습니다' })).toBeVisible();
  }
  expect(refused).toEqual([]);
});

test('an analyst sees the analysis alone, and never a note', async ({ page }) => {
  const refused = cspRefusals(page);
  await signIn(page, 'policy1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('민원 분석');
  await expect(nav(page).getByRole('link')).toHaveText(['민원 분석']);
  await expect(page.getByText('분석 담당자')).toBeVisible();
  await chartsDrawn(page);
  await card(page, 'outcomes').getByRole('button', { name: /^표 보기: / }).click();
  await card(page, 'outcomes').getByRole('button', { name: '상수도 상담 기록 보기' }).click();
  const dialog = page.getByRole('dialog', { name: '상담 기록: 상수도' });
  await expect(dialog.locator('tbody tr').first()).toBeVisible();
  await expect(dialog.getByRole('columnheader', { name: '메모' })).toHaveCount(0);
  await expect(notes(dialog)).toHaveCount(0);
  await page.keyboard.press('Escape');
  // The manual's entries are not theirs: listed, not linked.
  await expect(card(page, 'coverage').getByRole('link')).toHaveCount(0);
  const analyst = await login(city.url, 'policy1', 'policy1');
  const r = await call(city.url, analyst, `/api/analytics/records?from=${addDays(seoulDay(new Date()).day, -30)}&to=${seoulDay(new Date()).day}&limit=5`);
  expect((r.body as { records: object[] }).records.every((x) => !('notes' in x))).toBe(true);

  // The portal's sections, by address: said politely.
  await page.goto(`${portal}#/entries`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('이 계정으로 볼 수 없는 화면입니다');
  await expect(page.getByText('분석 담당자 계정에는 이 화면의 권한이 없습니다.', { exact: false })).toBeVisible();
  await page.getByRole('link', { name: '첫 화면으로 가기' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('민원 분석');
  expect(refused).toEqual([]);
});

test('an agent is turned away at the sign-in, a department editor at the analysis', async ({ page }) => {
  await page.goto(portal);
  await page.getByRole('textbox', { name: '아이디' }).fill('agent1');
  await page.getByLabel('비밀번호').fill('agent1');
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('alert')).toHaveText(/^이 계정으로는 지식 포털과 민원 분석을 쓸 수 없습니다/);
  await expect(nav(page)).toHaveCount(0);
  const agent = await login(city.url, 'agent1', 'agent1');
  const today = seoulDay(new Date()).day;
  expect((await call(city.url, agent, `/api/analytics/dashboard?from=${today}&to=${today}`)).status).toBe(403);

  await signIn(page, 'water1');
  await expect(nav(page).getByRole('link', { name: '민원 분석' })).toHaveCount(0);
  await page.goto(`${portal}#/analytics`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('이 계정으로 볼 수 없는 화면입니다');
});

/** Every chart in view drawn again at its box's new width (ECharts follows a ResizeObserver). */
async function resized(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('[data-chart-box]')].every((box) => box.clientWidth === 0 || box.querySelector('svg')?.getAttribute('width') === String(box.clientWidth)),
  );
}

test('axe finds nothing serious, with charts, tables and the drill-down', async ({ browser }, info) => {
  // axe injects its script, which the portal's policy rightly refuses.
  const context = await browser.newContext({ viewport: DESK_VIEWPORT, bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, 'lead1');
  await nav(page).getByRole('link', { name: '민원 분석' }).click();
  await chartsDrawn(page);
  await axeAndPictures(page, 'analytics', info, resized);
  for (const name of ['subcategories', 'heatmap', 'rising-categories']) await card(page, name).getByRole('button', { name: /^표 보기: / }).click();
  await page.getByRole('radio', { name: '포기 호' }).check();
  await axeAndPictures(page, 'analytics-tables', info, resized);
  await card(page, 'subcategories').getByRole('button', { name: /상담 기록 보기$/ }).first().click();
  await expect(page.getByRole('dialog').locator('tbody tr').first()).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  for (const size of [DESK_VIEWPORT, { width: 1366, height: 768 }]) {
    await page.setViewportSize(size);
    await resized(page);
    await page.screenshot({ path: info.outputPath(`drill-down-${size.width}.png`) });
  }
  await context.close();
});
