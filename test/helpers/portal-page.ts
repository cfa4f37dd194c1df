import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { DESK_VIEWPORT } from './browser';

/** What the page's Content-Security-Policy refused, from now on: the city's web app must need nothing it forbids. */
export function cspRefusals(page: Page): string[] {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  return refused;
}

/** The city web app's navigation. */
export const portalNav = (page: Page) => page.getByRole('navigation', { name: '지식 포털 메뉴' });

/** Signs in at the web app's first screen (`portal`) from the keyboard alone; passwords equal the names. */
export async function signInByKeyboard(page: Page, portal: string, user: string): Promise<void> {
  await page.goto(portal);
  await expect(page.getByRole('textbox', { name: '아이디' })).toBeFocused();
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(user);
  await page.keyboard.press('Enter');
  await expect(portalNav(page)).toBeVisible();
}

/**
 * Axe on the page as it stands (nothing serious or critical), then full-page pictures of it at
 * the two screen sizes, each after `settle` (charts drawn again at their new width).
 */
export async function axeAndPictures(page: Page, name: string, info: TestInfo, settle: (page: Page) => Promise<void> = async () => {}): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
  for (const size of [DESK_VIEWPORT, { width: 1366, height: 768 }]) {
    await page.setViewportSize(size);
    await settle(page);
    await page.screenshot({ path: info.outputPath(`${name}-${size.width}.png`), fullPage: true });
  }
  await page.setViewportSize(DESK_VIEWPORT);
}
