import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSettings } from '../helpers/desk-page';
import { call, login } from '../helpers/http';
import { startCityServerProcess, startDeskProcess, type CityServerProcess, type Spawned } from '../helpers/processes';

// The agent's search in real Chromium, against a real agent core (minwon host) synced from a
// real city server: typing, results as you type, keyboard use, languages, and working offline.

let city: CityServerProcess;
let desk: Spawned & { url: string };
let url: string;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-e2e-'));
  city = await startCityServerProcess(join(dir, 'city'), { demo: true });
  desk = await startDeskProcess({ server: city.url, cache: join(dir, 'desk.sqlite'), user: 'agent1', extra: ['--interval', '1'] });
  url = desk.url;
});

test.afterAll(async () => {
  desk.proc.kill('SIGTERM');
  await desk.exited;
  await city.stop();
});

test('finds manual entries as the agent types, from the keyboard alone', async ({ page }) => {
  await page.goto(url);
  await expect(page.getByRole('status').filter({ hasText: '동기화됨' })).toBeVisible();
  const box = page.getByRole('searchbox', { name: '표준상담 DB 검색' });
  await expect(box).toBeFocused();
  await box.pressSequentially('ㅈㅁㄷㄹ');
  const results = page.getByRole('listbox', { name: '검색 결과' });
  await expect(results).toHaveAttribute('data-query', 'ㅈㅁㄷㄹ');
  await expect(results.getByRole('option').first()).toContainText('주민등록');

  await box.fill('');
  await box.pressSequentially('누수 감면');
  // The answer to the whole query, not an earlier keystroke's (a new answer starts at the top).
  await expect(results).toHaveAttribute('data-results-for', '누수 감면');
  await expect(results.getByRole('option').first().locator('mark').first()).toHaveText(/누수|감면/);

  // Typing puts the list's place on the first result; the arrow moves it, the field keeps the focus.
  await box.press('ArrowDown');
  await expect(box).toHaveAttribute('aria-activedescendant', (await results.getByRole('option').nth(1).getAttribute('id')) as string);
  await expect(box).toBeFocused();
  await box.press('Enter');
  const entry = page.getByRole('article', { name: '상담 매뉴얼 본문' });
  await expect(entry).toBeVisible();
  await expect(entry).toHaveAttribute('data-entry-id', (await results.getByRole('option').nth(1).getAttribute('data-entry-id')) as string);
  await box.press('Escape');
  await expect(entry).toBeHidden();
  await expect(box).toHaveValue('누수 감면');
  await box.press('Escape');
  await expect(box).toHaveValue('');
  await expect(box).toBeFocused();
});

test('shows the results of the last query even when typing outruns the core', async ({ page }) => {
  await page.goto(url);
  const box = page.getByRole('searchbox', { name: '표준상담 DB 검색' });
  const results = page.getByRole('listbox', { name: '검색 결과' });
  // Every keystroke is a query; only the last one's answer may stay on screen.
  for (const q of ['ㄴ', 'ㄴㅅ', '누수', '누수 ', '여', '여권', '여권 재', '여권 재발급']) await box.fill(q);
  await expect(results).toHaveAttribute('data-query', '여권 재발급');
  await expect(results.getByRole('option').first()).toContainText('여권');
  await page.waitForTimeout(300);
  await expect(results).toHaveAttribute('data-query', '여권 재발급');
});

test('answers keystrokes from the page’s own index, and a manual edit reaches it with the next sync', async ({ page }) => {
  await page.goto(url);
  const box = page.getByRole('searchbox', { name: '표준상담 DB 검색' });
  const results = page.getByRole('listbox', { name: '검색 결과' });
  // Once loaded, every keystroke is answered in the page, in the frame that paints it.
  await expect(async () => {
    await box.fill('');
    await box.fill('여권 재발급');
    await expect(results).toHaveAttribute('data-answered-by', 'page', { timeout: 200 });
  }).toPass();
  await expect(results.getByRole('option').first()).toContainText('여권');

  const lead = await login(city.url, 'lead1', 'lead1');
  const entry = { id: 'M-E2E-LOCAL', category: '민원/기타', title: '반려식물 등록 안내', body: '반려식물 등록은 구청 민원실에서 받습니다.' };
  expect((await call(city.url, lead, `/api/manual/${entry.id}`, { method: 'PUT', body: JSON.stringify(entry) })).status).toBe(200);
  await box.fill('반려식물');
  // The desk syncs every second; the page rebuilds its index and asks again by itself.
  await expect(results.getByRole('option').first()).toContainText('반려식물 등록 안내');
  await expect(results).toHaveAttribute('data-answered-by', 'page');
  expect((await call(city.url, lead, `/api/manual/${entry.id}`, { method: 'DELETE' })).status).toBe(200);
  await expect(results.getByRole('option').filter({ hasText: '반려식물 등록 안내' })).toHaveCount(0);
});

test('treats English-mode keystrokes and FTS syntax as the agent meant them', async ({ page }) => {
  await page.goto(url);
  const box = page.getByRole('searchbox', { name: '표준상담 DB 검색' });
  await box.fill('dutrnjs');
  await expect(page.getByRole('listbox', { name: '검색 결과' }).getByRole('option').first()).toContainText('여권');
  await box.fill('"NEAR( OR *');
  await expect(page.getByRole('status').filter({ hasText: '검색 결과가 없습니다' })).toBeVisible();
});

test('switches to English and remembers it', async ({ page }) => {
  await page.goto(url);
  const settings = await openSettings(page);
  await settings.getByRole('radio', { name: 'English' }).check();
  // The dialog itself switches language at once.
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('searchbox', { name: 'Search the consultation DB' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Search the consultation DB' })).toBeVisible();
});

test('keeps answering from the cache when the city server is down, and says so', async ({ page }) => {
  await page.goto(url);
  await city.kill();
  await expect(page.getByRole('status').filter({ hasText: '오프라인' })).toBeVisible({ timeout: 20_000 });
  const box = page.getByRole('searchbox', { name: '표준상담 DB 검색' });
  await box.fill('단수');
  await expect(page.getByRole('listbox', { name: '검색 결과' }).getByRole('option').first()).toContainText('단수');
});
