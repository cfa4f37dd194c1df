import { expect, type Page } from '@playwright/test';

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
