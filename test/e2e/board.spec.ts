import { expect, test } from '@playwright/test';
import { DESK_VIEWPORT } from '../helpers/browser';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCityServerProcess, startDeskProcess, type CityServerProcess, type Spawned } from '../helpers/processes';

// The team lead's board in real Chromium: the lead's desk and an agent's desk, each a real core
// synced from a real city server; the board follows the agent without reloading.

let city: CityServerProcess;
let agentDesk: Spawned & { url: string };
let leadDesk: Spawned & { url: string };

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-board-e2e-'));
  city = await startCityServerProcess(join(dir, 'city'), { demo: true });
  [agentDesk, leadDesk] = await Promise.all([
    startDeskProcess({ server: city.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1' }),
    startDeskProcess({ server: city.url, cache: join(dir, 'lead1.sqlite'), user: 'lead1' }),
  ]);
});

test.afterAll(async () => {
  for (const d of [agentDesk, leadDesk]) {
    d.proc.kill('SIGTERM');
    await d.exited;
  }
  await city.stop();
});

test('follows an agent’s state live on the lead’s desk, and only there', async ({ browser }) => {
  const lead = await browser.newPage({ viewport: DESK_VIEWPORT });
  const agent = await browser.newPage({ viewport: DESK_VIEWPORT });
  await lead.goto(leadDesk.url);
  await agent.goto(agentDesk.url);
  const board = lead.getByRole('region', { name: '팀 현황' });
  await expect(board).toBeVisible();
  const agent1 = board.locator('tr[data-agent="agent1"]');
  await expect(agent1.getByRole('rowheader')).toHaveText(/.+/);
  await expect(board.locator('tr[data-agent="agent2"]')).toBeVisible();
  await expect(agent1.getByRole('cell').first()).toHaveText(/상담 불가|로그아웃/);

  await agent.getByRole('button', { name: '상담 대기', exact: true }).click();
  await expect(agent1).toHaveAttribute('data-state', 'ready');
  await expect(agent1.getByRole('cell').first()).toHaveText('대기');
  await expect(board.getByRole('status')).toContainText('대기 1명');
  // Time in state counts up without a reload.
  const first = await agent1.getByRole('cell').nth(1).textContent();
  await expect(agent1.getByRole('cell').nth(1)).not.toHaveText(first ?? '', { timeout: 3000 });

  await expect(agent.getByRole('region', { name: '팀 현황' })).toHaveCount(0);
  await lead.close();
  await agent.close();
});
