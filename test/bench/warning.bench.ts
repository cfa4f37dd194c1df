import type { Browser, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPhonePage, PARTY_TONE, stopAll } from '../helpers/browser';
import { freePort } from '../helpers/ports';
import { startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type Spawned } from '../helpers/processes';
import { fmt, summarise, type Figure } from './stats';

// The abusive-caller warning over the real stack (city server, Kamailio, the agent's desk, the
// practice phone as the citizen), each party a Chromium with its own tone. From the agent's press
// of 폭언 경고 to the first audio of the warning in what the citizen's page plays, against the
// same path's own baseline: the agent's unmute to the first audio of the agent's tone. Both are
// timed in the pages on the shared wall clock, with one detector (energy over 1024 samples, about
// 21 ms, polled every 2 ms), while nothing else sounds: the agent is muted between the measures.

const PRESSES = 20;
/** The citizen's page hears something (dBFS RMS): the warning's first syllable, or the agent's tone. */
const ONSET_DB = -55;
/** …and nothing (the muted agent, the warning over): below this for QUIET_MS. */
const QUIET_DB = -70;
const QUIET_MS = 300;

/** In the citizen's page: `__startDetector()` taps what it plays; `__waitSound(loud)` resolves with when sound starts (or stays gone). */
const DETECTOR = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  let an = null;
  window.__startDetector = () => {
    const ctx = new AudioContext();
    an = ctx.createAnalyser();
    an.fftSize = 1024;
    for (const el of document.querySelectorAll('[data-remote-audio]')) if (el.srcObject) ctx.createMediaStreamSource(el.srcObject).connect(an);
    return ctx.state;
  };
  const level = (buf) => {
    an.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const v of buf) sum += v * v;
    return 10 * Math.log10(sum / buf.length + 1e-20);
  };
  window.__waitSound = (loud, onsetDb, quietDb, quietMs) => new Promise((resolve) => {
    const buf = new Float32Array(an.fftSize);
    const started = now();
    let quietSince = null;
    const tick = () => {
      const db = level(buf);
      if (loud && db > onsetDb) return resolve(now());
      if (!loud) {
        if (db > quietDb) quietSince = null;
        else if (quietSince === null) quietSince = now();
        else if (now() - quietSince >= quietMs) return resolve(now());
      }
      if (now() - started > 20000) return resolve(null);
      setTimeout(tick, 2);
    };
    tick();
  });
})();`;

/** Clicks the button whose text starts with `label`, in the page itself (no Playwright round trip); the wall-clock time of the click. */
const clickAt = (page: Page, label: string): Promise<number> =>
  page.evaluate((l) => {
    const button = [...document.querySelectorAll('button')].find((b) => (b.textContent ?? '').trim().startsWith(l));
    if (!button) throw new Error(`no button ${l}`);
    const t = performance.timeOrigin + performance.now();
    button.click();
    return t;
  }, label);

const waitSound = (page: Page, loud: boolean): Promise<number | null> =>
  page.evaluate(
    ([l, onset, quiet, ms]) => (window as unknown as { __waitSound(loud: boolean, onset: number, quiet: number, ms: number): Promise<number | null> }).__waitSound(l as boolean, onset as number, quiet as number, ms as number),
    [loud, ONSET_DB, QUIET_DB, QUIET_MS] as const,
  );

/** Waits until the citizen hears nothing for a while. */
async function quiet(citizen: Page, what: string): Promise<void> {
  if ((await waitSound(citizen, false)) === null) throw new Error(`${what}: the citizen's line never went quiet`);
}

/** From a click on `label` in the agent's page to the first sound in the citizen's, ms. */
async function onset(agent: Page, label: string, citizen: Page): Promise<number> {
  const heard = waitSound(citizen, true).catch(() => null);
  // The detector runs before the click.
  await new Promise((r) => setTimeout(r, 50));
  const clicked = await clickAt(agent, label);
  const at = await heard;
  if (at === null) throw new Error(`${label}: nothing was heard`);
  if (at <= clicked) throw new Error(`${label}: sound ${fmt(clicked - at)} ms before the click, not after it`);
  return at - clicked;
}

export async function benchWarning(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-bench-warning-'));
  const procs: Spawned[] = [];
  const browsers: Browser[] = [];
  const ports = { ws: await freePort(), sip: await freePort() };
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  const server = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  try {
    procs.push(await startSipProcess(join(dir, 'city'), ports));
    const open = (url: string, hz: number, init = '') => openPhonePage({ dir, browsers, url, hz, scripts: init ? [DETECTOR, init] : [DETECTOR] });
    const desk = await startDeskProcess({ server: server.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1', extra: ['--sip-ws', sipWs] });
    const practice = await startPracticeProcess({ server: server.url, user: 'citizen1' });
    procs.push(desk, practice);
    const agent = await open(desk.url, PARTY_TONE.agent1, "localStorage.setItem('minwon.autoAnswerSeconds', '0')");
    const citizen = await open(practice.url, PARTY_TONE.citizen);

    await agent.getByRole('button', { name: '상담 대기', exact: true }).click();
    await citizen.getByRole('textbox', { name: '전화번호 또는 내선' }).fill('2708282');
    await citizen.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await citizen.locator('[data-call-state="connected"]').waitFor({ timeout: 15_000 });
    await agent.locator('[data-call-state="connected"]').waitFor({ timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 2000));
    const state = await citizen.evaluate('window.__startDetector()');
    if (state !== 'running') throw new Error(`the citizen's page audio is ${String(state)}`);
    // The agent muted: the citizen's line is silent but for what is measured.
    await clickAt(agent, '음소거');
    await quiet(citizen, 'mute');

    const warning: number[] = [];
    const unmute: number[] = [];
    for (let i = 0; i < PRESSES; i++) {
      warning.push(await onset(agent, '폭언 경고', citizen));
      // The warning plays to its end (about 9 s) before the next measure.
      await agent.locator('[data-announcing]').waitFor({ state: 'detached', timeout: 20_000 });
      await quiet(citizen, 'warning');
      unmute.push(await onset(agent, '음소거', citizen));
      await clickAt(agent, '음소거');
      await quiet(citizen, 'mute');
      if ((i + 1) % 5 === 0) process.stderr.write(`bench: warning: ${i + 1} presses\n`);
    }
    const w = summarise(warning);
    const u = summarise(unmute);
    return [
      {
        name: `Warning button (폭언 경고) → first audio of the warning at the citizen (${w.n} presses, WebRTC desk ↔ practice phone)`,
        value: `p50 ${fmt(w.p50)} ms, p95 ${fmt(w.p95)} ms, max ${fmt(w.max)} ms`,
        baseline: `the agent's unmute → first audio of the agent's tone at the citizen, same call: p50 ${fmt(u.p50)} ms, p95 ${fmt(u.p95)} ms`,
        ratio: `p50 ${fmt(w.p50 / u.p50)}×, p95 ${fmt(w.p95 / u.p95)}× the unmute`,
        // The warning rides the microphone's own path (the call's mix, its sender): it should cost
        // about what the microphone costs, whatever the machine's speed.
        target: 'p95 ≤ 1.5× the unmute’s p95',
        pass: w.n === PRESSES && u.n === PRESSES && w.p95 <= 1.5 * u.p95,
      },
    ];
  } finally {
    await stopAll(browsers, procs, server);
    rmSync(dir, { recursive: true, force: true });
  }
}
