import { expect, type Page } from '@playwright/test';

// What e2e tests do on a desk (or practice phone) page, by the names a screen reader hears.

export const REP = '2708282';

export const callCard = (page: Page) => page.getByRole('region', { name: '통화', exact: true });
export const agentState = (page: Page) => page.getByRole('region', { name: '상담원 상태' }).getByRole('status');

/** Dials `target` from the page's dial pad. */
export async function dial(page: Page, target: string): Promise<void> {
  await page.getByRole('textbox', { name: '전화번호 또는 내선' }).fill(target);
  await page.getByRole('button', { name: '전화 걸기', exact: true }).click();
}

/** Clears a finished call from each page's view. */
export async function dismiss(...pages: Page[]): Promise<void> {
  for (const p of pages) {
    const close = callCard(p).getByRole('button', { name: '닫기' });
    if (await close.count()) await close.click();
  }
}

/** Puts the agent in the ready state (ending after-call work if need be). */
export async function ready(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: /^(상담 대기|후처리 완료)$/ });
  if (await button.count()) await button.click();
  await expect(agentState(page)).toHaveText('상담 대기 중');
}

export async function notReady(page: Page): Promise<void> {
  await page.getByRole('button', { name: '상담 불가로 전환' }).click();
  await expect(agentState(page)).toContainText('상담 불가');
}

/** Waits for the page's phone to ring, answers with F2 and waits until the call is connected. */
export async function answerWhenRinging(page: Page): Promise<void> {
  await expect(callCard(page)).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
  await page.keyboard.press('F2');
  await expect(callCard(page)).toHaveAttribute('data-call-state', 'connected');
}

/**
 * Waits for two of the desk's syncs to finish (the status bar shows each one's time): the second
 * began after the first ended, so after this was called, and brought what the city changed before.
 */
export async function freshSync(page: Page): Promise<void> {
  const synced = page.getByRole('status').filter({ hasText: '동기화됨' });
  for (let i = 0; i < 2; i++) {
    const before = await synced.textContent();
    await expect(synced).not.toHaveText(before ?? '', { timeout: 10_000 });
  }
}
