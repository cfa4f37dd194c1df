import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESK_VIEWPORT } from '../helpers/browser';
import { agentState, ready } from '../helpers/desk-page';
import { freePort } from '../helpers/ports';
import { spawnMinwon, startCityServerProcess, waitForOutput, type CityServerProcess, type Spawned } from '../helpers/processes';

// Signing in at a shared desk, in real Chromium against a real desk host and a real city server
// process: the city's refusals in Korean, sign-out, the lock, and with the city server stopped,
// an offline sign-in from the session this desk cached.

let dir: string;
let city: CityServerProcess;
let cityPort: number;
let host: Spawned;
let url: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minwon-signin-'));
  cityPort = await freePort();
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, port: cityPort });
  host = spawnMinwon(['host', '--server', city.url, '--cache', join(dir, 'desk.sqlite'), '--interval', '1']);
  url = (await waitForOutput(host, /desk at (http:\S+)/))[1] as string;
});

test.afterAll(async () => {
  host.proc.kill('SIGTERM');
  await host.exited;
  await city.stop();
});

const user = (page: Page) => page.getByRole('textbox', { name: '아이디' });
const password = (page: Page) => page.getByRole('textbox', { name: '비밀번호' });

/** Tries a sign-in and waits for its answer (the button says 로그인 again, or the desk is there). */
async function signIn(page: Page, name: string, pw: string): Promise<void> {
  await user(page).fill(name);
  await password(page).fill(pw);
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('button', { name: '로그인하는 중…' })).toHaveCount(0);
}

test('refuses a wrong password and, after five, locks the account for a while — in Korean', async ({ browser }) => {
  const page = await browser.newPage({ viewport: DESK_VIEWPORT });
  await page.goto(url);
  await expect(page.getByRole('heading', { name: '민원데스크 로그인' })).toBeVisible();
  await expect(user(page)).toBeFocused();
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('alert')).toHaveText('아이디와 비밀번호를 입력하세요.');
  await signIn(page, 'agent2', 'nope');
  await expect(page.getByRole('alert')).toHaveText('아이디 또는 비밀번호가 맞지 않습니다.');
  // The wrong password is cleared; the name stays.
  await expect(password(page)).toHaveValue('');
  await expect(user(page)).toHaveValue('agent2');
  for (let i = 0; i < 4; i++) await signIn(page, 'agent2', `nope${i}`);
  await signIn(page, 'agent2', 'agent2');
  await expect(page.getByRole('alert')).toContainText('계정이 잠시 잠겼습니다');
  await expect(page.getByRole('searchbox', { name: '표준상담 DB 검색' })).toHaveCount(0);
  // A department phone's account has no desk.
  await signIn(page, '3511', '3511');
  await expect(page.getByRole('alert')).toContainText('부서 전화용');
  await page.close();
});

test('signs in, locks and unlocks with the same password, and signs out back to the sign-in', async ({ browser }) => {
  const page = await browser.newPage({ viewport: DESK_VIEWPORT });
  await page.goto(url);
  await signIn(page, 'agent1', 'agent1');
  await expect(page.getByRole('searchbox', { name: '표준상담 DB 검색' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '동기화됨' })).toBeVisible();
  const account = page.getByRole('button', { name: /계정 메뉴$/ });
  await expect(account).not.toContainText('오프라인');
  await ready(page);

  await account.click();
  await page.getByRole('menuitem', { name: '화면 잠금' }).click();
  const lock = page.getByRole('alertdialog', { name: /화면이 잠겼습니다/ });
  await expect(lock).toBeVisible();
  // Nobody is at the desk: it stops taking calls, and its keys do nothing.
  await expect(agentState(page)).toHaveText('상담 불가: 화면 잠금');
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('searchbox', { name: '표준상담 DB 검색' })).not.toBeFocused();
  await lock.getByRole('textbox', { name: '비밀번호' }).fill('agent2');
  await lock.getByRole('button', { name: '잠금 해제' }).click();
  await expect(lock.getByRole('alert')).toHaveText('비밀번호가 맞지 않습니다.');
  await lock.getByRole('textbox', { name: '비밀번호' }).fill('agent1');
  await lock.getByRole('button', { name: '잠금 해제' }).click();
  await expect(lock).toHaveCount(0);
  // A reload keeps the session (the desk's host keeps it, not the page).
  await page.reload();
  await expect(page.getByRole('searchbox', { name: '표준상담 DB 검색' })).toBeVisible();

  await page.getByRole('button', { name: /계정 메뉴$/ }).click();
  await page.getByRole('menuitem', { name: '로그아웃' }).click();
  await expect(page.getByRole('heading', { name: '민원데스크 로그인' })).toBeVisible();
  await expect(user(page)).toHaveValue('agent1');
  await expect(password(page)).toBeFocused();
  await page.close();
});

test('with the city server down: says so, and signs in offline from the session this desk cached', async ({ browser }) => {
  await city.stop();
  const page = await browser.newPage({ viewport: DESK_VIEWPORT });
  await page.goto(url);
  await signIn(page, 'agent1', 'agent1');
  await expect(page.getByRole('alert')).toHaveText('도시 서버에 연결할 수 없습니다. 이 컴퓨터에 저장된 세션으로 오프라인 로그인할 수 있습니다.');
  await page.getByRole('button', { name: '이 컴퓨터에 저장된 세션으로 오프라인 로그인' }).click();
  await expect(page.getByRole('button', { name: /계정 메뉴$/ })).toContainText('오프라인');
  await page.getByRole('searchbox', { name: '표준상담 DB 검색' }).fill('누수');
  await expect(page.getByRole('listbox', { name: '검색 결과' }).getByRole('option').first()).toContainText('누수');

  // The city comes back: the desk goes online by itself.
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, port: cityPort });
  await expect(page.getByRole('button', { name: /계정 메뉴$/ })).not.toContainText('오프라인', { timeout: 20_000 });
  await page.getByRole('button', { name: /계정 메뉴$/ }).click();
  await page.getByRole('menuitem', { name: '로그아웃' }).click();
  await expect(page.getByRole('heading', { name: '민원데스크 로그인' })).toBeVisible();

  // Offline, an agent with no cached session here is told so.
  await city.stop();
  await signIn(page, 'agent2', 'agent2');
  await expect(page.getByRole('alert')).toHaveText('도시 서버에 연결할 수 없습니다. 네트워크를 확인하고 다시 시도하세요.');
  await expect(page.getByRole('button', { name: '이 컴퓨터에 저장된 세션으로 오프라인 로그인' })).toHaveCount(0);
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, port: cityPort });
  await page.close();
});
