import { expect, type Locator, type Page } from '@playwright/test';
import { getChoseong } from 'es-hangul';

// What e2e tests do on a desk (or practice phone) page, by the names a screen reader hears.

export const REP = '2708282';

export const callCard = (page: Page) => page.getByRole('region', { name: '통화', exact: true });
export const agentState = (page: Page) => page.getByRole('region', { name: '상담원 상태' }).getByRole('status');

/** Dials `target`: from the desk's "새 전화" popover, or the practice phone's dial field. */
export async function dial(page: Page, target: string): Promise<void> {
  const newCall = page.getByRole('button', { name: '새 전화' });
  if (await newCall.count()) await newCall.click();
  await page.getByRole('textbox', { name: '전화번호 또는 내선' }).fill(target);
  await page.getByRole('button', { name: '전화 걸기', exact: true }).click();
}

/** Opens the dial pad of the page's call (a popover); returns the pad. */
export async function openDialPad(page: Page): Promise<Locator> {
  await callCard(page).getByRole('button', { name: '다이얼 패드' }).click();
  const pad = page.getByRole('group', { name: '다이얼 패드' });
  await expect(pad).toBeVisible();
  return pad;
}

/** Closes the open dial pad. */
export async function closeDialPad(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(page.getByRole('group', { name: '다이얼 패드' })).toHaveCount(0);
}

/** Sends DTMF `keys` on the page's call from its dial pad, then closes the pad. */
export async function pressKeys(page: Page, keys: readonly string[]): Promise<void> {
  const pad = await openDialPad(page);
  for (const k of keys) await pad.getByRole('button', { name: `${k} 누르기` }).click();
  await closeDialPad(page);
}

/** Brings a tab of the right pane forward (상담기록, 부서연결, or 민원인 on a narrow screen). */
export async function showTab(page: Page, name: '민원인' | '상담기록' | '부서연결' | '콜백·예약' | '문자상담'): Promise<void> {
  const tab = page.getByRole('tab', { name });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** The transfer form's target field, brought forward with F7 as an agent would. */
export async function transferField(page: Page): Promise<Locator> {
  await page.keyboard.press('F7');
  const field = page.getByRole('textbox', { name: '호전환 대상 (번호 또는 내선)' });
  await expect(field).toBeFocused();
  return field;
}

/** Opens the settings dialog; returns it. */
export async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: '설정' }).click();
  const dialog = page.getByRole('dialog', { name: '설정' });
  await expect(dialog).toBeVisible();
  return dialog;
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

/** Not ready, for the city's first reason, from the state menu. */
export async function notReady(page: Page): Promise<void> {
  await page.getByRole('button', { name: '상태 변경' }).click();
  await page.getByRole('menuitem', { name: /^상담 불가: / }).first().click();
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

/**
 * Types Korean as a 두벌식 IME does: each syllable composed (its initial consonant, then the
 * syllable) before it is committed; `midComposition` runs while a syllable is still composing.
 */
export async function typeKorean(page: Page, text: string, midComposition?: () => Promise<void>): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  for (const ch of text) {
    if (/[가-힣]/.test(ch)) {
      for (const step of [getChoseong(ch), ch]) await cdp.send('Input.imeSetComposition', { text: step, selectionStart: 1, selectionEnd: 1 });
      if (midComposition) await midComposition();
    }
    await cdp.send('Input.insertText', { text: ch });
  }
  await cdp.detach();
}
