import type { Browser, BrowserContext, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchParty, stopAll, DESK_VIEWPORT } from '../helpers/browser';
import { freePort } from '../helpers/ports';
import { childPids, pidsByCommandLine, startCityServerProcess, startDeskProcess, startPracticeProcess, startSipProcess, type CityServerProcess, type Spawned } from '../helpers/processes';
import { routedState } from '../helpers/state';
import { fmt, summarise, type Figure } from './stats';

// The two figures of "calls that must never be dropped", over the real stack (city server,
// Kamailio, a desk in Chromium, the practice phone as the citizen):
// - how soon a presence change is what Kamailio routes by (the agent_presence row it reads per
//   call), with the city server up and with it down;
// - how soon the citizen's side of a call ends after the desk dies mid-call: its page crashed (the
//   browser closes its socket), or its machine gone without a word (power, cable: the desk's
//   packets stop, nothing is closed; Kamailio's TCP keepalive finds it), against the page closed
//   properly (its own BYE).

const REP = '2708282';
const TONE = { citizen: 440, agent: 660 } as const;
const PRESENCE_CHANGES = 30;
const KILLS = 8;
const CUTS = 4;
/** What "the citizen is never left in silence" allows. */
const TARGET_DEAD_DESK_MS = 30_000;

const wallNow = () => performance.timeOrigin + performance.now();

/** Polls `read` every millisecond until it returns `want`; the wall-clock time it did, or null after `ms`. */
async function whenRow(read: () => string | undefined, want: string, ms = 10_000): Promise<number | null> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (read() === want) return wallNow();
    await new Promise((r) => setTimeout(r, 1));
  }
  return null;
}

/** In the citizen's page: the wall-clock time its call card next shows `state`. */
const CALL_WATCH = `window.__whenCall = (state) => new Promise((resolve) => {
  const check = () => document.querySelector('[data-call-state="' + state + '"]') ? resolve(performance.timeOrigin + performance.now()) : setTimeout(check, 5);
  check();
});`;

interface Stack {
  dir: string;
  server: CityServerProcess;
  procs: Spawned[];
  browsers: Browser[];
  sipWs: string;
}

async function registered(page: Page) {
  await page.getByRole('status', { name: '전화 상태' }).filter({ hasText: '등록됨' }).waitFor({ timeout: 30_000 });
}

async function openDesk(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await registered(page);
  return page;
}

/** Presence changes (ready ↔ not ready) from the desk's click to the row Kamailio reads; ms each. */
async function presenceLatencies(desk: Page, routed: () => string | undefined): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < PRESENCE_CHANGES; i++) {
    const toReady = routed() !== 'ready';
    // Ready is a button in the call bar; not ready, an item of the state menu (opened before the clock starts).
    const label = toReady ? '상담 대기' : '상담 불가:';
    if (!toReady) await desk.getByRole('button', { name: '상태 변경' }).click();
    const clicked = await desk.evaluate((name) => {
      const button = [...document.querySelectorAll<HTMLElement>('button, [role="menuitem"]')].find((b) => (b.textContent ?? '').trim().startsWith(name));
      if (!button) throw new Error(`no button ${name}`);
      const t = performance.timeOrigin + performance.now();
      button.click();
      return t;
    }, label);
    const at = await whenRow(routed, toReady ? 'ready' : 'not-ready');
    if (at === null) throw new Error(`presence ${label} never reached the SIP server's table`);
    out.push(at - clicked);
    await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}

/** One call from the citizen to the desk, answered; resolves once both ends are connected. */
async function onCall(desk: Page, citizen: Page) {
  await desk.evaluate(() => {
    const ready = [...document.querySelectorAll('button')].find((b) => ['상담 대기', '후처리 완료'].includes((b.textContent ?? '').trim()));
    ready?.click();
  });
  await desk.getByRole('region', { name: '상담원 상태' }).getByRole('status').filter({ hasText: '상담 대기 중' }).waitFor({ timeout: 15_000 });
  await citizen.getByRole('textbox', { name: '전화번호 또는 내선' }).fill(REP);
  await citizen.getByRole('button', { name: '전화 걸기', exact: true }).click();
  await desk.locator('[data-call-state="ringing"]').waitFor({ timeout: 15_000 });
  await desk.keyboard.press('F2');
  await citizen.locator('[data-call-state="connected"]').waitFor({ timeout: 15_000 });
  await desk.locator('[data-call-state="connected"]').waitFor({ timeout: 15_000 });
  await new Promise((r) => setTimeout(r, 500));
}

/** Ends the desk's page one way, and measures until the citizen's call has ended (a minute at most); ms. */
async function untilCitizenHearsTheEnd(citizen: Page, end: () => Promise<void>): Promise<number> {
  const ended = citizen.evaluate(() => (window as unknown as { __whenCall(s: string): Promise<number> }).__whenCall('ended'));
  const t = wallNow();
  await end();
  const at = await Promise.race([ended, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
  if (at === null) throw new Error("the citizen's call did not end within a minute");
  await citizen.getByRole('button', { name: '닫기' }).click();
  return at - t;
}


/**
 * Cuts the desk's SIP connection as a pulled cable would: every packet between it and Kamailio is
 * dropped, both ways (iptables, in the bench's own network namespace); returns what restores it.
 */
function cutSipConnection(wav: string, wsPort: number): () => void {
  // The browser and every process under it (its network service holds the socket).
  const pids = new Set<number>();
  const add = (pid: number) => {
    if (pids.has(pid)) return;
    pids.add(pid);
    childPids(pid).forEach(add);
  };
  pidsByCommandLine(wav).forEach(add);
  const sockets = execFileSync('ss', ['-Htnp', 'state', 'established', `( dport = :${wsPort} )`], { encoding: 'utf8' });
  const ports = sockets
    .split('\n')
    .filter((line) => [...line.matchAll(/pid=(\d+)/g)].some((m) => pids.has(Number(m[1]))))
    .map((line) => Number(/^\S+\s+\S+\s+\S+:(\d+)\s/.exec(line)?.[1]));
  if (ports.length === 0) throw new Error("no SIP connection of the desk's browser found");
  const rules = ports.flatMap((port) => [
    ['-p', 'tcp', '--sport', String(port), '--dport', String(wsPort), '-j', 'DROP'],
    ['-p', 'tcp', '--sport', String(wsPort), '--dport', String(port), '-j', 'DROP'],
  ]);
  for (const r of rules) execFileSync('iptables', ['-I', 'INPUT', ...r]);
  return () => rules.forEach((r) => execFileSync('iptables', ['-D', 'INPUT', ...r]));
}

export async function benchResilience(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-bench-resilience-'));
  const ports = { ws: await freePort(), sip: await freePort() };
  const cityPort = await freePort();
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  const startCity = () => startCityServerProcess(join(dir, 'city'), { demo: true, sipWs, port: cityPort });
  const stack: Stack = { dir, server: await startCity(), procs: [], browsers: [], sipWs };
  const routed = () => routedState(join(dir, 'city'), 'agent1');
  try {
    stack.procs.push(await startSipProcess(join(dir, 'city'), ports));
    const desk = await startDeskProcess({ server: stack.server.url, cache: join(dir, 'agent1.sqlite'), user: 'agent1', extra: ['--sip-ws', sipWs] });
    const practice = await startPracticeProcess({ server: stack.server.url, user: 'citizen1' });
    stack.procs.push(desk, practice);
    const citizenBrowser = await launchParty(dir, TONE.citizen);
    stack.browsers.push(citizenBrowser);
    const citizenContext = await citizenBrowser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'] });
    await citizenContext.addInitScript(CALL_WATCH);
    const citizen = await citizenContext.newPage();
    await citizen.goto(practice.url);
    await registered(citizen);
    let deskBrowser = await launchParty(dir, TONE.agent);
    stack.browsers.push(deskBrowser);
    let deskContext = await deskBrowser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'] });
    let agent = await openDesk(deskContext, desk.url);

    // Presence: the city server up (both paths), then down (the SIP server's path alone).
    const withCity = await presenceLatencies(agent, routed);
    await stack.server.stop();
    const withoutCity = await presenceLatencies(agent, routed);
    stack.server = await startCity();

    const progress = (what: string) => process.stderr.write(`bench: resilience: ${what}\n`);
    progress('presence measured; desks closed properly…');
    // Baseline: the page closed properly; its own BYE ends the citizen's call.
    const closed: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      await onCall(agent, citizen);
      closed.push(await untilCitizenHearsTheEnd(citizen, () => agent.close()));
      agent = await openDesk(deskContext, desk.url);
    }
    progress('desks crashed…');
    // Crashed: the renderer dies; the socket closes under it.
    const crashed: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      await onCall(agent, citizen);
      const cdp = await deskContext.newCDPSession(agent);
      crashed.push(await untilCitizenHearsTheEnd(citizen, async () => void cdp.send('Page.crash').catch(() => undefined)));
      await agent.close().catch(() => undefined);
      agent = await openDesk(deskContext, desk.url);
    }
    progress('desks cut off…');
    // Gone without a word (power, cable): the desk's packets stop; nothing closes its socket.
    const cut: number[] = [];
    const wav = join(dir, `${TONE.agent}.wav`);
    const sip = stack.procs[0] as Spawned;
    for (let i = 0; i < CUTS; i++) {
      const mark = sip.stderr().length;
      await onCall(agent, citizen);
      let restore = () => {};
      cut.push(
        await untilCitizenHearsTheEnd(citizen, async () => void (restore = cutSipConnection(wav, ports.ws))).catch((e: Error) => {
          process.stderr.write(`${sip.stderr().slice(mark).split('\n').filter((l) => /websocket|phone|dialog|call |ERROR|WARN|REGISTER/.test(l)).join('\n')}\n`);
          throw e;
        }),
      );
      pidsByCommandLine(wav).forEach((p) => process.kill(p, 'SIGKILL'));
      restore();
      deskBrowser = await launchParty(dir, TONE.agent);
      stack.browsers.push(deskBrowser);
      deskContext = await deskBrowser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'] });
      agent = await openDesk(deskContext, desk.url);
    }

    const up = summarise(withCity);
    const down = summarise(withoutCity);
    const base = summarise(closed);
    const figure = (name: string, samples: number[]): Figure => {
      const s = summarise(samples);
      return {
        name: `${name} → the citizen's side of the call ends (${s.n} calls)`,
        value: `p50 ${fmt(s.p50 / 1000)} s, p95 ${fmt(s.p95 / 1000)} s, max ${fmt(s.max / 1000)} s`,
        baseline: `the page closed properly (its own BYE): p50 ${fmt(base.p50)} ms, p95 ${fmt(base.p95)} ms`,
        ratio: `p95 ${fmt(s.p95 / base.p95, 0)}× a proper close`,
        target: `p95 ≤ ${TARGET_DEAD_DESK_MS / 1000} s`,
        pass: s.p95 <= TARGET_DEAD_DESK_MS,
      };
    };
    return [
      {
        name: `Presence change on the desk → the row Kamailio routes by, city server down (${down.n} changes)`,
        value: `p50 ${fmt(down.p50)} ms, p95 ${fmt(down.p95)} ms, max ${fmt(down.max)} ms`,
        baseline: `city server up (the desk tells both): p50 ${fmt(up.p50)} ms, p95 ${fmt(up.p95)} ms`,
        ratio: `p95 ${fmt(down.p95 / up.p95)}× with the city server up`,
        target: 'p95 < 1000 ms, up and down',
        pass: down.p95 < 1000 && up.p95 < 1000,
      },
      figure('Desk page crashed mid-call', crashed),
      figure("Desk gone without a word mid-call (its packets stop; the SIP server's keep-alive finds it)", cut),
    ];
  } finally {
    await stopAll(stack.browsers, stack.procs, stack.server).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
