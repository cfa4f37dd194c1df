import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call as api, login } from '../helpers/http';
import { startCityServerProcess, type CityServerProcess } from '../helpers/processes';

// The citizens' page for callbacks and reservations (issue 19), as a citizen uses it on a phone
// or a desktop: it looks as the committed pictures do at the desks' two sizes and a phone's, axe
// finds nothing serious, and both forms work from the keyboard alone, errors included.

const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
] as const;

let city: CityServerProcess;
let lead: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  city = await startCityServerProcess(join(mkdtempSync(join(tmpdir(), 'minwon-public-')), 'city'), { demo: true });
  lead = await login(city.url, 'lead1', 'lead1');
  // Fixed slots far ahead, so the pictures do not change from day to day.
  const slots = {
    reminderMinutes: 60,
    slots: [
      { id: 'passport-am', topic: '여권 상담', start: '2030-03-05T10:00:00+09:00', minutes: 30, capacity: 2 },
      { id: 'tax-pm', topic: '지방세 상담', department: '세정과', start: '2030-03-05T14:00:00+09:00', minutes: 30, capacity: 1 },
    ],
  };
  expect((await api(city.url, lead, '/api/settings/reservations', { method: 'PUT', body: JSON.stringify(slots) })).status).toBe(200);
});
test.afterAll(() => city?.stop());

/** Presses Tab until `target` has the focus (at most `max` times): proof it is reachable from the keyboard. */
async function tabTo(page: Page, target: Locator, max = 20): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(', ')}`);
  expect(serious, state).toEqual([]);
}

test('looks as it should at every size, in Korean and in English, and axe finds nothing serious', async ({ page }) => {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.goto(`${city.url}/public`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('전화 상담 예약');
    await expect(page).toHaveScreenshot(`public-${size.width}.png`, { fullPage: true });
  }
  await expectAccessible(page, 'ko');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expectAccessible(page, 'en');
});

test('a callback from the keyboard alone: the errors are announced, linked and keep what was typed; then it is taken', async ({ page }) => {
  await page.setViewportSize(SIZES[1]);
  await page.goto(`${city.url}/public`);
  // Tab to the number, type a wrong one, submit with Enter.
  await tabTo(page, page.getByLabel('전화번호').first());
  await page.keyboard.type('010-12');
  await page.keyboard.press('Enter');
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('입력한 내용을 확인해 주세요.');
  await expect(page.getByLabel('전화번호').first()).toHaveValue('010-12');
  await expect(page.getByLabel('전화번호').first()).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveScreenshot('public-error-1366.png', { fullPage: true });
  await expectAccessible(page, 'with errors');
  // The summary's link leads to the field.
  await summary.getByRole('link').first().focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#callback-number$/);
  const number = page.getByLabel('전화번호').first();
  await number.focus();
  await number.fill('');
  await page.keyboard.type('010-7000-4321');
  // Past the time's parts (year, month, day, hour, minute: each a stop of its own) to the topic.
  await tabTo(page, page.getByLabel('문의 분야'));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: '콜백 신청' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2 })).toContainText('콜백 신청이 접수되었습니다.');
  const queue = (await api(city.url, lead, '/api/callbacks')).body as { callbacks: { number: string; sources: string[]; topic: string }[] };
  expect(queue.callbacks.find((c) => c.number === '+821070004321')).toMatchObject({ sources: ['web'], topic: 'traffic' });
});

test('a reservation from the keyboard: a time chosen with Space, then the slot full for the next citizen', async ({ page }) => {
  await page.setViewportSize(SIZES[2]);
  await page.goto(`${city.url}/public`);
  const taxSlot = page.getByLabel(/지방세 상담/);
  await taxSlot.focus();
  await page.keyboard.press('Space');
  await expect(taxSlot).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.type('010-7000-8765');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2 })).toContainText('지방세 상담 3월 5일(화) 14:00 예약이 접수되었습니다.');
  await page.goto(`${city.url}/public`);
  await expect(page.getByLabel(/지방세 상담/)).toBeDisabled();
  await expect(page.getByText(/지방세 상담 .*0자리 남음/)).toBeVisible();
});
