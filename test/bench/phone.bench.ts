import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_ARGS, stopAll, DESK_VIEWPORT } from '../helpers/browser';
import { call as api, login } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type CityServerProcess, type Spawned } from '../helpers/processes';
import { firstCalls, markCall, markNow, marksScript, pairByCall, readMarks, type Marks } from './page-marks';
import { fmt, summarise, type Figure } from './stats';

// The phone's figures in Chromium over the real stack (city server, Kamailio, browser host, the
// practice phone as the caller). Timestamps are taken in the pages on the shared wall clock
// (performance.timeOrigin + performance.now()), so no Playwright round trip is counted.

const REP = '2708282';

const MARK_NAMES = ['invite', 'inviteFrame', 'ringing', 'ringingFrame', 'connected', 'dialled'] as const;
type PhoneMarks = Marks<(typeof MARK_NAMES)[number]>;

/** In every page: when an initial INVITE arrives, when the call state changes in the DOM, and the frames after. */
const MARKS = marksScript(
  MARK_NAMES,
  "mark('invite'); markNextFrame('inviteFrame');",
  `let last = null;
  new MutationObserver(() => {
    const state = document.querySelector('[data-call-state]')?.getAttribute('data-call-state') ?? null;
    if (state === last) return;
    last = state;
    if (state === 'ringing') {
      mark('ringing');
      markNextFrame('ringingFrame');
    }
    if (state === 'connected') mark('connected');
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-call-state'] });`,
);

interface Stack {
  city: CityServerProcess;
  procs: Spawned[];
  browsers: Browser[];
  agent: Page;
  caller: Page;
  cdp: CDPSession;
  close(): Promise<void>;
}

async function startStack(dir: string, stun: string | null): Promise<Stack> {
  const ports = { ws: await freePort(), sip: await freePort() };
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  const city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs, ...(stun ? { stun } : {}) });
  const procs: Spawned[] = [await startSipProcess(join(dir, 'city'), ports)];
  // Back to ready at once after each call: the figures are about the phone, not after-call work.
  const lead = await login(city.url, 'lead1', 'lead1');
  await api(city.url, lead, '/api/settings/wrapUpSeconds', { method: 'PUT', body: '0' });
  const desk = await startDeskProcess({ server: city.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1', extra: ['--sip-ws', sipWs] });
  const practice = await startPracticeProcess({ server: city.url, user: 'citizen1' });
  procs.push(desk, practice);
  const browsers: Browser[] = [];
  const open = async (url: string, init: string) => {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: BROWSER_ARGS });
    browsers.push(browser);
    const context = await browser.newContext({ viewport: DESK_VIEWPORT });
    await context.addInitScript(MARKS);
    await context.addInitScript(init);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('status', { name: '전화 상태' }).filter({ hasText: '등록됨' }).waitFor({ timeout: 20_000 });
    return page;
  };
  // The agent answers by itself at once, so set-up time is the phones' and the network's, not a person's.
  const agent = await open(desk.url, "localStorage.setItem('minwon.autoAnswerSeconds', '0')");
  const caller = await open(practice.url, '');
  await agent.getByRole('button', { name: '상담 대기' }).click();
  await agent.getByText('상담 대기 중').waitFor();
  const cdp = await agent.context().newCDPSession(agent);
  return {
    city,
    procs,
    browsers,
    agent,
    caller,
    cdp,
    close: () => stopAll(browsers, procs, city),
  };
}

/** Call number `call` from the practice phone to the representative number, answered by the desk, hung up by the caller. */
async function oneCall(s: Stack, call: number): Promise<void> {
  const region = (p: Page) => p.locator('[data-call-state]').first();
  await markCall(s.agent, call);
  await markCall(s.caller, call);
  await s.caller.getByRole('textbox', { name: '전화번호 또는 내선' }).fill(REP);
  await markNow(s.caller, 'dialled');
  await s.caller.getByRole('button', { name: '전화 걸기' }).click();
  await s.agent.locator('[data-call-state="connected"]').waitFor({ timeout: 15_000 });
  await s.caller.locator('[data-call-state="connected"]').waitFor({ timeout: 15_000 });
  await s.caller.keyboard.press('F4');
  for (const p of [s.caller, s.agent]) {
    await p.locator('[data-call-state="ended"]').waitFor({ timeout: 15_000 });
    await region(p).getByRole('button', { name: '닫기' }).click();
  }
  await s.agent.getByText('상담 대기 중').waitFor();
}

/** Per call of `calls`: from dialling to both sides connected (ms). */
function setupTimes(calls: readonly number[], caller: PhoneMarks, agent: PhoneMarks): number[] {
  return pairByCall(calls, { dialled: caller.dialled, callerConnected: caller.connected, agentConnected: agent.connected }).map(
    (c) => Math.max(c.callerConnected, c.agentConnected) - c.dialled,
  );
}

// JsSIP keeps each finished INVITE transaction (and its request) until its timers run out, about
// 32 s (RFC 3261 Timer H): measured back to back, the level would count the last half minute's calls.
const TRANSACTIONS_SETTLE_MS = 35_000;

async function heapMb(cdp: CDPSession): Promise<{ heap: number; nodes: number }> {
  await new Promise((r) => setTimeout(r, TRANSACTIONS_SETTLE_MS));
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
  return { heap: m('JSHeapUsedSize') / 1024 / 1024, nodes: m('Nodes') };
}

export async function benchPhone(calls = 200): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-bench-phone-'));
  try {
    const plain = await startStack(join(dir, 'plain'), null);
    let early: { heap: number; nodes: number } | null = null;
    let late: { heap: number; nodes: number };
    let agentMarks: PhoneMarks;
    let callerMarks: PhoneMarks;
    try {
      for (let i = 1; i <= calls; i++) {
        await oneCall(plain, i);
        if (i === 10) early = await heapMb(plain.cdp);
        if (i % 50 === 0) process.stderr.write(`bench: phone: ${i} calls\n`);
      }
      late = await heapMb(plain.cdp);
      agentMarks = await readMarks(plain.agent);
      callerMarks = await readMarks(plain.caller);
    } finally {
      await plain.close();
    }
    // The same calls with a STUN server configured that never answers (a closed port on loopback).
    const stunned = await startStack(join(dir, 'stun'), `stun:127.0.0.1:${await freePort()}`);
    const stunCalls = firstCalls(30);
    let stunSetup: number[];
    try {
      for (const call of stunCalls) await oneCall(stunned, call);
      stunSetup = setupTimes(stunCalls, await readMarks(stunned.caller), await readMarks(stunned.agent));
    } finally {
      await stunned.close();
    }

    const n = 50;
    const atInvite = pairByCall(firstCalls(Math.min(n, calls)), { invite: agentMarks.invite, inviteFrame: agentMarks.inviteFrame, ringingFrame: agentMarks.ringingFrame });
    const ringing = summarise(atInvite.map((c) => c.ringingFrame - c.invite));
    const frame = summarise(atInvite.map((c) => c.inviteFrame - c.invite));
    const plainSetup = summarise(setupTimes(firstCalls(Math.min(stunCalls.length, calls)), callerMarks, agentMarks));
    const stun = summarise(stunSetup);
    const e = early as { heap: number; nodes: number };
    const growth = late.heap / e.heap;
    return [
      {
        name: `INVITE at the agent's page → ringing state rendered (${ringing.n} calls)`,
        value: `p50 ${fmt(ringing.p50)} ms, p95 ${fmt(ringing.p95)} ms, max ${fmt(ringing.max)} ms`,
        baseline: `next frame after the INVITE arrived: p50 ${fmt(frame.p50)} ms, p95 ${fmt(frame.p95)} ms`,
        ratio: `p50 ${fmt(ringing.p50 / frame.p50)}×, p95 ${fmt(ringing.p95 / frame.p95)}× of one frame`,
        target: null,
        complete: ringing.n === n,
      },
      {
        name: `call set-up, dial → both confirmed, STUN server unreachable (${stun.n} calls)`,
        value: `p50 ${fmt(stun.p50)} ms, p95 ${fmt(stun.p95)} ms, max ${fmt(stun.max)} ms`,
        baseline: `no STUN server: p50 ${fmt(plainSetup.p50)} ms, p95 ${fmt(plainSetup.p95)} ms (${plainSetup.n} calls)`,
        ratio: `p95 ${fmt(stun.p95 / plainSetup.p95)}×`,
        target: 'p95 ≤ 3000 ms',
        pass: stun.n === 30 && stun.p95 <= 3000,
      },
      {
        name: `agent page JS heap after ${calls} consecutive calls (after GC, SIP transactions settled)`,
        value: `${fmt(late.heap)} MB, ${late.nodes} DOM nodes`,
        baseline: `after the first 10 calls: ${fmt(e.heap)} MB, ${e.nodes} DOM nodes`,
        ratio: `${fmt(growth, 3)}× (${fmt((growth - 1) * 100, 1)}%)`,
        target: '≤ 1.20× (no growth beyond 20%)',
        pass: growth <= 1.2,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
