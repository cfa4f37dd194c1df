import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/ports';
import { spawnMinwon, startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type CityServerProcess, type Spawned } from '../helpers/processes';

// The agent's phone registers with the real Kamailio, with the SIP account the desk got at login.

let city: CityServerProcess;
let sip: Spawned;
let desk: Spawned & { url: string };
let url: string;
let dataDir: string;
let wsPort: number;
let cityPort: number;
let sipWs: string;

// Registrations granted for 10 s only: the desk must refresh by what the server grants.
const startSip = async () => {
  sip = await startSipProcess(dataDir, { ws: wsPort, sip: await freePort() }, { maxExpires: 10 });
};

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minwon-phone-'));
  wsPort = await freePort();
  cityPort = await freePort();
  sipWs = `ws://127.0.0.1:${wsPort}`;
  // Short tokens, so the desk logs in again (and learns a new SIP secret) within the test.
  city = await startCityServerProcess(join(dataDir, 'city'), { demo: true, sipWs, tokenTtl: 2, port: cityPort });
  dataDir = join(dataDir, 'city');
  await startSip();
  desk = await startDeskProcess({ server: city.url, cache: join(dataDir, '..', 'desk.sqlite'), user: 'agent1', extra: ['--sip-ws', sipWs, '--interval', '2'] });
  url = desk.url;
});

test.afterAll(async () => {
  for (const p of [desk, sip]) {
    p.proc.kill('SIGTERM');
    await p.exited;
  }
  await city.stop();
});

test('the phone registers with the account from login, and again after the SIP server restarts', async ({ page }) => {
  await page.goto(url);
  const phone = page.getByRole('status', { name: '전화 상태' });
  await expect(phone).toHaveText('전화: 등록됨 (agent1@127.0.0.1)', { timeout: 15_000 });
  sip.proc.kill('SIGTERM');
  await sip.exited;
  await expect(phone).toContainText('SIP 서버에 연결할 수 없습니다', { timeout: 15_000 });
  await startSip();
  await expect(phone).toHaveText('전화: 등록됨 (agent1@127.0.0.1)', { timeout: 40_000 });
});

test('a rotated SIP secret fails clearly, and the desk recovers at its next login', async ({ page }) => {
  await page.goto(url);
  const phone = page.getByRole('status', { name: '전화 상태' });
  await expect(phone).toHaveText('전화: 등록됨 (agent1@127.0.0.1)', { timeout: 40_000 });
  // IT rotates the secret while the city server is down: the desk cannot learn the new one yet.
  await city.stop();
  const rotate = spawnMinwon(['user', 'sip-reset', 'agent1', '--data', dataDir]);
  expect((await rotate.exited).code).toBe(0);
  // A fresh page registers with the secret the desk still holds: refused, and said plainly.
  await page.reload();
  await expect(phone).toContainText('SIP 인증 오류', { timeout: 15_000 });
  // With the city server back, the desk's next login brings the new secret; the phone re-registers.
  city = await startCityServerProcess(dataDir, { sipWs, tokenTtl: 2, port: cityPort });
  await expect(phone).toHaveText('전화: 등록됨 (agent1@127.0.0.1)', { timeout: 30_000 });
});

test('honours the Expires the server grants: still reachable long after a 10-second registration', async ({ page, context }) => {
  test.setTimeout(150_000);
  await page.goto(url);
  await expect(page.getByRole('status', { name: '전화 상태' })).toHaveText('전화: 등록됨 (agent1@127.0.0.1)', { timeout: 40_000 });
  await page.getByRole('button', { name: '상담 대기' }).click();
  // Three lifetimes of the granted registration.
  await page.waitForTimeout(30_000);
  const practice = await startPracticeProcess({ server: city.url, user: 'citizen1' });
  try {
    const caller = await context.newPage();
    await caller.goto(practice.url);
    await expect(caller.getByRole('status', { name: '전화 상태' })).toHaveText(/등록됨/, { timeout: 15_000 });
    await caller.getByRole('textbox', { name: '전화번호 또는 내선' }).fill('agent1');
    await caller.getByRole('button', { name: '전화 걸기' }).click();
    await expect(page.getByRole('region', { name: '통화', exact: true })).toHaveAttribute('data-call-state', 'ringing', { timeout: 15_000 });
    await caller.keyboard.press('F4');
    await expect(page.getByRole('region', { name: '통화', exact: true })).toHaveAttribute('data-call-state', 'ended');
  } finally {
    practice.proc.kill('SIGTERM');
    await practice.exited;
  }
});
