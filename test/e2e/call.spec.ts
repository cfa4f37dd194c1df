import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/ports';
import { startCityServerProcess, startDeskProcess, startSipProcess, type CityServerProcess, type Spawned } from '../helpers/processes';

// A call between two desks through the real Kamailio, each desk its own Chromium process with
// its own fake microphone tone; a WebAudio analyser on the played remote stream proves who hears whom.

const BROWSER_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required', '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
];

let dir: string;
let city: CityServerProcess;
const procs: Spawned[] = [];
const browsers: Browser[] = [];
const desks: Record<string, string> = {};

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minwon-call-'));
  const wsPort = await freePort();
  const sipWs = `ws://127.0.0.1:${wsPort}`;
  city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  procs.push(await startSipProcess(join(dir, 'city'), { ws: wsPort, sip: await freePort() }));
  for (const user of ['agent1', 'agent2']) {
    const desk = await startDeskProcess({ server: city.url, cache: join(dir, `${user}.sqlite`), user, extra: ['--sip-ws', sipWs] });
    procs.push(desk);
    desks[user] = desk.url;
  }
});

test.afterAll(async () => {
  for (const b of browsers) await b.close();
  for (const p of procs.reverse()) {
    p.proc.kill('SIGTERM');
    await p.exited;
  }
  await city.stop();
});

/** A desk in its own Chromium whose microphone plays a sine tone of `hz`. */
async function openDesk(user: string, hz: number): Promise<Page> {
  const wav = join(dir, `${hz}.wav`);
  execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', wav, 'synth', '60', 'sine', String(hz), 'vol', '0.5']);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...BROWSER_ARGS, `--use-file-for-fake-audio-capture=${wav}`] });
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(desks[user] as string);
  await expect(page.getByRole('status', { name: '전화 상태' })).toHaveText(`전화: 등록됨 (${user}@127.0.0.1)`, { timeout: 15_000 });
  return page;
}

/** Loudest level (dB) near `hz` in what the page plays from the other party. */
function heard(page: Page, hz: number): Promise<number> {
  return page.evaluate(async (f) => {
    const el = document.querySelector<HTMLAudioElement>('[data-remote-audio]');
    const stream = el?.srcObject as MediaStream | null;
    // On hold the remote track is withdrawn altogether: nothing to hear.
    if (!stream || stream.getAudioTracks().length === 0) return -Infinity;
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    ctx.createMediaStreamSource(stream).connect(analyser);
    await new Promise((r) => setTimeout(r, 600));
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    const at = Math.round(f / (ctx.sampleRate / analyser.fftSize));
    let max = -Infinity;
    for (let i = at - 3; i <= at + 3; i++) max = Math.max(max, bins[i] ?? -Infinity);
    await ctx.close();
    return max;
  }, hz);
}

const PRESENT = -60;
const ABSENT = -85;

test('a ready agent is called and both hear each other; mute and hold silence, resume restores; hang-up ends both', async () => {
  const agent1 = await openDesk('agent1', 440);
  const agent2 = await openDesk('agent2', 880);
  const state1 = agent1.getByRole('region', { name: '상담원 상태' }).getByRole('status');

  // A not-ready agent is not offered the call: the caller gets busy and nothing rings.
  await agent1.getByRole('combobox', { name: '상담 불가 사유' }).selectOption('meeting');
  await agent1.getByRole('button', { name: '상담 불가로 전환' }).click();
  await expect(state1).toHaveText('상담 불가: 회의');
  await agent2.getByRole('textbox', { name: '전화번호 또는 내선' }).fill('agent1');
  await agent2.getByRole('button', { name: '전화 걸기' }).click();
  await expect(agent2.getByRole('region', { name: '통화' })).toHaveAttribute('data-call-state', 'ended');
  await expect(agent2.getByRole('region', { name: '통화' })).toContainText('Busy');
  await expect(agent1.getByRole('region', { name: '통화' })).toHaveCount(0);
  await agent2.getByRole('button', { name: '닫기' }).click();

  await agent1.getByRole('button', { name: '상담 대기' }).click();
  await expect(state1).toHaveText('상담 대기 중');
  await agent2.getByRole('button', { name: '전화 걸기' }).click();
  const ringing = agent1.getByRole('region', { name: '통화' });
  await expect(ringing).toHaveAttribute('data-call-state', 'ringing');
  await expect(ringing).toContainText('수신 전화: agent2');
  // Answered from the keyboard (F2), as agents do with a headset on.
  await agent1.keyboard.press('F2');
  await expect(ringing).toHaveAttribute('data-call-state', 'connected');
  await expect(agent2.getByRole('region', { name: '통화' })).toHaveAttribute('data-call-state', 'connected');
  await expect(ringing.getByLabel('통화 시간')).toHaveText(/^00:0\d$/);

  await expect.poll(() => heard(agent1, 880), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(agent2, 440), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  expect(await heard(agent1, 440)).toBeLessThan(ABSENT);

  await agent1.getByRole('button', { name: '음소거' }).click();
  await expect.poll(() => heard(agent2, 440), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await agent1.keyboard.press('F6');
  await expect(agent1.getByRole('button', { name: '음소거' })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => heard(agent2, 440), { timeout: 10_000 }).toBeGreaterThan(PRESENT);

  // Hold (a re-INVITE through Kamailio's in-dialog routing) silences both ways; resume restores both.
  await agent1.getByRole('button', { name: '보류' }).click();
  await expect.poll(() => heard(agent2, 440), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await expect.poll(() => heard(agent1, 880), { timeout: 10_000 }).toBeLessThan(ABSENT);
  await agent1.getByRole('button', { name: '보류' }).click();
  await expect.poll(() => heard(agent2, 440), { timeout: 10_000 }).toBeGreaterThan(PRESENT);
  await expect.poll(() => heard(agent1, 880), { timeout: 10_000 }).toBeGreaterThan(PRESENT);

  await agent2.getByRole('button', { name: '끊기' }).click();
  await expect(ringing).toHaveAttribute('data-call-state', 'ended');
  await expect(agent2.getByRole('region', { name: '통화' })).toHaveAttribute('data-call-state', 'ended');
  // After the call: after-call work (the city's wrap-up time), which the agent may end early.
  await expect(state1).toContainText('후처리 중');
  await agent1.getByRole('button', { name: '후처리 완료' }).click();
  await expect(state1).toHaveText('상담 대기 중');
});
