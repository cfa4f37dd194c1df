import type { Browser, Page } from '@playwright/test';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPhonePage, stopAll } from '../helpers/browser';
import { freePort } from '../helpers/ports';
import { pidsByCommandLine, startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type Spawned } from '../helpers/processes';
import { fmt, summarise, type Figure } from './stats';

// Team-lead monitoring over the real stack (city server, Kamailio, two desks, the practice phone),
// each party a Chromium with its own tone. Times are taken in the pages on the shared wall clock.

const REP = '2708282';
const TONE = { citizen: 440, agent: 660, lead: 1000 } as const;
const SWITCHES = 20;
const CPU_WINDOW_MS = 10_000;

/**
 * In the listening page: one analyser, kept running, over what the page plays; `__waitTone(hz,
 * present)` resolves with the wall-clock time the tone appears (present) or goes (absent).
 */
const DETECTOR = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  let an = null, ctx = null;
  window.__startDetector = () => {
    ctx = new AudioContext();
    an = ctx.createAnalyser();
    an.fftSize = 1024;
    an.smoothingTimeConstant = 0;
    for (const el of document.querySelectorAll('[data-remote-audio]')) if (el.srcObject) ctx.createMediaStreamSource(el.srcObject).connect(an);
  };
  window.__waitTone = (hz, present) => new Promise((resolve) => {
    const bins = new Float32Array(an.frequencyBinCount);
    const bin = Math.round(hz / (ctx.sampleRate / an.fftSize));
    const started = now();
    const tick = () => {
      an.getFloatFrequencyData(bins);
      let level = -Infinity;
      for (let i = bin - 1; i <= bin + 1; i++) level = Math.max(level, bins[i]);
      if (present ? level > -60 : level < -85) return resolve(now());
      if (now() - started > 5000) return resolve(null);
      setTimeout(tick, 2);
    };
    tick();
  });
})();`;

/** CPU seconds used so far by the Chromium processes started with `marker` in their command line. */
function cpuSeconds(marker: string): number {
  const pids = pidsByCommandLine(marker);
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended in between.
    }
  }
  return ticks / 100;
}

async function cpuOver(marker: string, ms: number): Promise<number> {
  const before = cpuSeconds(marker);
  await new Promise((r) => setTimeout(r, ms));
  return (cpuSeconds(marker) - before) / (ms / 1000);
}

/** Clicks the button whose label ends with (or text starts with) `name`, in the page itself without a Playwright round trip; the wall-clock time of the click. */
const clickAt = (page: Page, name: string): Promise<number> =>
  page.evaluate((label) => {
    const button = [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? '').endsWith(label) || (b.textContent ?? '').startsWith(label));
    if (!button) throw new Error(`no button ${label}`);
    const t = performance.timeOrigin + performance.now();
    button.click();
    return t;
  }, name);

/** From a click in `actor` to the tone's change heard in `listener`, ms. */
async function latency(actor: Page, button: string, listener: Page, hz: number, present: boolean): Promise<number> {
  const heard = listener
    .evaluate(([f, p]) => (window as unknown as { __waitTone(hz: number, present: boolean): Promise<number | null> }).__waitTone(f as number, p as boolean), [hz, present] as const)
    .catch(() => null);
  await new Promise((r) => setTimeout(r, 50));
  const clicked = await clickAt(actor, button);
  const at = await heard;
  if (at === null) throw new Error(`${button}: the change was never heard`);
  // Heard at or before the click: the tone was already as awaited (the wrong state waited for,
  // or the previous switch not settled), so this is no latency of the click at all.
  if (at <= clicked) throw new Error(`${button}: the tone was ${present ? 'present' : 'absent'} ${fmt(clicked - at)} ms before the click, not after it`);
  return at - clicked;
}

export async function benchMonitor(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-bench-monitor-'));
  const procs: Spawned[] = [];
  const browsers: Browser[] = [];
  const ports = { ws: await freePort(), sip: await freePort() };
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  const server = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  try {
    procs.push(await startSipProcess(join(dir, 'city'), ports));
    const open = (url: string, hz: number, init = '') => openPhonePage({ dir, browsers, url, hz, scripts: init ? [DETECTOR, init] : [DETECTOR] });
    const agentDesk = await startDeskProcess({ server: server.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1', extra: ['--sip-ws', sipWs] });
    const leadDesk = await startDeskProcess({ server: server.url, cache: join(dir, 'lead1.sqlite'), user: 'lead1', extra: ['--sip-ws', sipWs] });
    const practice = await startPracticeProcess({ server: server.url, user: 'citizen1' });
    procs.push(agentDesk, leadDesk, practice);
    const agent = await open(agentDesk.url, TONE.agent, "localStorage.setItem('minwon.autoAnswerSeconds', '0')");
    const lead = await open(leadDesk.url, TONE.lead);
    const caller = await open(practice.url, TONE.citizen);

    await agent.getByRole('button', { name: '상담 대기', exact: true }).click();
    await caller.getByRole('textbox', { name: '전화번호 또는 내선' }).fill(REP);
    await caller.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await caller.locator('[data-call-state="connected"]').waitFor({ timeout: 15_000 });
    await agent.locator('[data-call-state="connected"]').waitFor({ timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 2000));
    await caller.evaluate('window.__startDetector()');

    const agentMarker = join(dir, `${TONE.agent}.wav`);
    const plainCpu = await cpuOver(agentMarker, CPU_WINDOW_MS);
    // Baseline: the agent's own mute, heard (gone and back) at the caller's end, on the same path.
    const mute: number[] = [];
    for (let i = 0; i < SWITCHES; i++) mute.push(await latency(agent, '음소거', caller, TONE.agent, i % 2 === 1));

    const listen = lead.locator('tr[data-agent="agent1"]').getByRole('button', { name: /통화 듣기/ });
    await listen.and(lead.locator(':enabled')).waitFor({ timeout: 15_000 });
    await listen.click();
    await lead.getByRole('status', { name: '모니터링' }).filter({ hasText: '듣기 중' }).waitFor({ timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 2000));
    const monitoredCpu = await cpuOver(agentMarker, CPU_WINDOW_MS);
    // Barge (the caller starts hearing the team lead) and whisper (stops), alternately.
    const switches: number[] = [];
    for (let i = 0; i < SWITCHES; i++) {
      const barge = i % 2 === 0;
      switches.push(await latency(lead, barge ? ' 통화에 끼어들기' : '에게 귓속말', caller, TONE.lead, barge));
    }
    const s = summarise(switches);
    const m = summarise(mute);
    return [
      {
        name: `Monitoring mode switch (whisper ↔ barge) until the caller hears the change (${SWITCHES} switches)`,
        value: `p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, max ${fmt(s.max)} ms`,
        baseline: `the agent's own mute/unmute heard at the caller's end: p50 ${fmt(m.p50)} ms, p95 ${fmt(m.p95)} ms`,
        ratio: `p50 ${fmt(s.p50 / m.p50)}× a local mute`,
        target: 'p95 < 300 ms',
        pass: s.p95 < 300,
      },
      {
        name: `Agent's browser CPU during a monitored call (listen: mixing in the page), over ${CPU_WINDOW_MS / 1000} s`,
        value: `${fmt(monitoredCpu * 100, 1)}% of a core`,
        baseline: `the same call unmonitored: ${fmt(plainCpu * 100, 1)}% of a core`,
        ratio: `${fmt(monitoredCpu / plainCpu)}× the unmonitored call`,
        target: null,
        // No CPU at all would mean no browser process carried the marker: nothing was measured.
        complete: plainCpu > 0 && monitoredCpu > 0,
      },
    ];
  } finally {
    await stopAll(browsers, procs, server);
    rmSync(dir, { recursive: true, force: true });
  }
}
