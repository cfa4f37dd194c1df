import { chromium, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_ARGS, stopAll, DESK_VIEWPORT } from '../helpers/browser';
import { signIn } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { createGatewaySpool, gatewaySpoolDir } from '../../server/recording/gateway-spool';
import { sipDataApart } from '../helpers/city-apart';
import { childPid, childPids, REPO, runMinwon, spawnMinwon, startCityServerProcess, startSipProcess, waitForOutput, type Spawned } from '../helpers/processes';
import { gatewayCalls, packetsByLeg } from '../helpers/rtpengine-ng';
import { rms, toneShare, wavChannels } from '../helpers/rtp-pcap';
import { makeTonePcap, runSipp } from '../helpers/sipp';
import { fmt, summarise, time, type Figure } from './stats';

// The media gateway under load: SIPp as the city's PBX places G.711 calls at 2 and then 4 calls a
// second, each to one of four desks in Chromium in turn (their direct numbers), which answer at
// once; every call lasts CALL_SECONDS and the PBX hangs up. Measured: calls completed, calls whose
// media flowed both ways through rtpengine, set-up time (INVITE → 200 at the PBX), and the CPU
// rtpengine and Kamailio spent per bridged call. The 2 calls/s run is the baseline of the 4.
// rtpengine records every call it bridges (as `minwon sip` runs it by default): after the 4 calls/s
// run, the recordings are read back through the city's spool reader (the PBX's 440 Hz left, the
// desk's Chromium audio, decrypted from DTLS-SRTP, right), and the 4 calls/s run is repeated on
// `minwon sip --no-recording`: rtpengine's CPU per recorded call against an unrecorded one, and
// the disk a call-minute takes.

const DESKS = ['agent1', 'agent2', 'agent3', 'agent4'];
const CALL_SECONDS = 6;
/** A leg counts as carrying media after a second of 20 ms packets. */
const TWO_WAY_PACKETS = 50;
/** Clock ticks per second, the unit of /proc/PID/stat's CPU times. */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** CPU seconds a process and all its descendants (Kamailio forks its workers) have used so far. */
function cpuSeconds(pid: number): number {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childPids(all[i] as number));
  return all.reduce((sum, p) => {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return sum + (Number(fields[11]) + Number(fields[12])) / TICKS;
    } catch {
      return sum; // ended meanwhile
    }
  }, 0);
}

/** Bytes of the files under `dir` (the recording spool), and how many are still being written (tmp/). */
function spoolUsage(dir: string): { bytes: number; running: number } {
  let bytes = 0;
  for (const sub of ['metadata', 'pcaps', 'tmp']) {
    try {
      for (const f of readdirSync(join(dir, sub))) bytes += statSync(join(dir, sub, f)).size;
    } catch {
      // not made yet
    }
  }
  let running = 0;
  try {
    running = readdirSync(join(dir, 'tmp')).length;
  } catch {
    // none
  }
  return { bytes, running };
}

async function serveLoadDesk(dir: string): Promise<{ server: Server; url: string }> {
  const out = join(dir, 'load-desk.js');
  await build({ entryPoints: [join(REPO, 'test/bench/pages/load-desk.ts')], bundle: true, format: 'iife', outfile: out, logLevel: 'warning' });
  const js = readFileSync(out);
  const server = createServer((req, res) => {
    if (req.url === '/load-desk.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>load desk</title><script src="/load-desk.js"></script>');
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, url: `http://localhost:${port}/` };
}

interface RunResult {
  rate: number;
  calls: number;
  completed: number;
  twoWay: number;
  setup: ReturnType<typeof summarise>;
  concurrent: number;
  rtpengineCpuPerCall: number;
  kamailioCpuPerCall: number;
  /** Kamailio's cost is per call set-up and tear-down: CPU milliseconds per call. */
  kamailioMsPerCall: number;
  chromiumCpuPerCall: number;
}

async function run(o: { dir: string; rate: number; calls: number; ng: number; sipPort: number; pbxPort: number; rtpengine: number; kamailio: number; chromium: number[] }): Promise<RunResult> {
  const before = { rtpe: cpuSeconds(o.rtpengine), kam: cpuSeconds(o.kamailio), chrome: o.chromium.reduce((s, p) => s + cpuSeconds(p), 0) };
  const numbers = Array.from({ length: o.calls }, (_, i) => DESKS[i % DESKS.length] as string);
  const sipp = runSipp(o.dir, {
    scenario: 'pbx-call.xml',
    localPort: o.pbxPort,
    target: `127.0.0.1:${o.sipPort}`,
    numbers,
    args: ['-r', String(o.rate), '-m', String(o.calls), '-d', String(CALL_SECONDS * 1000), '-l', '200', '-trace_rtt', '-rtt_freq', '1', '-timeout', `${o.calls / o.rate + CALL_SECONDS + 60}s`],
  });
  // Poll the gateway while the calls run: the most packets each leg of each call has sent into it.
  const legs = new Map<string, Record<string, number>>();
  let peak = 0;
  let done = false;
  const exited = sipp.exited.then((c) => ((done = true), c));
  while (!done) {
    const calls = await gatewayCalls(o.ng).catch(() => [] as string[]);
    peak = Math.max(peak, calls.length);
    for (const id of calls) {
      const now = await packetsByLeg(o.ng, id).catch(() => ({}) as Record<string, number>);
      const seen = legs.get(id) ?? {};
      for (const [tag, n] of Object.entries(now)) seen[tag] = Math.max(seen[tag] ?? 0, n);
      legs.set(id, seen);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await exited;
  const after = { rtpe: cpuSeconds(o.rtpengine), kam: cpuSeconds(o.kamailio), chrome: o.chromium.reduce((s, p) => s + cpuSeconds(p), 0) };
  const out = sipp.output();
  const completed = Number(/Successful call\s+\|\s+\d+\s+\|\s+(\d+)/.exec(out)?.[1] ?? 0);
  const rttFile = readdirSync(o.dir).find((f) => f.startsWith('pbx-call_') && f.endsWith('_rtt.csv'));
  const setups = rttFile
    ? readFileSync(join(o.dir, rttFile), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(';')[1])).filter((n) => Number.isFinite(n))
    : [];
  if (rttFile) rmSync(join(o.dir, rttFile));
  // rtpengine names a leg by its SIP tag; an '<untagged N>' entry is a half-made leg it keeps
  // for an offer seen twice (a retransmitted INVITE), which carries nothing.
  const isTwoWay = (l: Record<string, number>) => {
    const tagged = Object.entries(l).filter(([tag]) => !tag.startsWith('<untagged'));
    return tagged.length === 2 && tagged.every(([, n]) => n >= TWO_WAY_PACKETS);
  };
  const twoWay = [...legs.values()].filter(isTwoWay).length;
  for (const [id, l] of legs) if (!isTwoWay(l)) process.stderr.write(`bench: gateway: call ${id} without two-way media: ${JSON.stringify(l)}\n`);
  const callSeconds = completed * CALL_SECONDS;
  return {
    rate: o.rate,
    calls: o.calls,
    completed,
    twoWay,
    setup: summarise(setups.length ? setups : [NaN]),
    concurrent: peak,
    // Share of one core per call in progress, as a percentage.
    rtpengineCpuPerCall: ((after.rtpe - before.rtpe) / callSeconds) * 100,
    kamailioCpuPerCall: ((after.kam - before.kam) / callSeconds) * 100,
    kamailioMsPerCall: ((after.kam - before.kam) / completed) * 1000,
    chromiumCpuPerCall: ((after.chrome - before.chrome) / callSeconds) * 100,
  };
}

export async function benchGateway(callsAt2 = 40, callsAt4 = 60): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-bench-gateway-'));
  const browsers: Browser[] = [];
  const procs: Spawned[] = [];
  const ports = { ws: await freePort(), sip: await freePort(), ng: await freePort() };
  const pbxPort = await freePort();
  const sipWs = `ws://127.0.0.1:${ports.ws}`;
  const city = await startCityServerProcess(join(dir, 'city'), { demo: true, sipWs });
  const { server, url } = await serveLoadDesk(dir);
  try {
    // The demo has agent1 and agent2; the other two desks get accounts of their own.
    const password = (user: string) => (DESKS.indexOf(user) < 2 ? user : `${user}-password`);
    for (const user of DESKS.slice(2)) {
      const add = await runMinwon(['user', 'add', user, '--role', 'agent', '--data', join(dir, 'city')], { MINWON_PASSWORD: password(user) });
      if (add.code !== 0) throw new Error(`user add ${user}: ${add.stderr}`);
    }
    // The bench reads the recording spool itself: `minwon sip` records beside the city server's data, not where its filing loop takes from.
    const sipDir = sipDataApart(join(dir, 'city'));
    const sip = await startSipProcess(sipDir, ports, { pbx: `127.0.0.1:${pbxPort}` });
    procs.push(sip);
    const pages: Page[] = [];
    for (const user of DESKS) {
      const { sip: account } = await signIn(city.url, user, password(user));
      const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: BROWSER_ARGS });
      browsers.push(browser);
      const page = await (await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'] })).newPage();
      await page.goto(url);
      await page.evaluate((a) => (window as unknown as { startLoadDesk(a: unknown): void }).startLoadDesk(a), account);
      await page.waitForFunction('window.loadDesk.registered', null, { timeout: 20_000 });
      pages.push(page);
    }
    makeTonePcap(dir, 440, CALL_SECONDS + 4);
    const rtpengine = childPid(sip.proc.pid as number, 'rtpengine');
    const kamailio = childPid(sip.proc.pid as number, 'kamailio');
    // Playwright starts each Chromium as a child of this process.
    const chromiumPids = childPids(process.pid).filter((p) => readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('chrom'));
    const common = { dir, ng: ports.ng, sipPort: ports.sip, pbxPort, rtpengine, kamailio, chromium: chromiumPids };
    process.stderr.write(`bench: gateway: ${callsAt2} calls at 2/s…\n`);
    const base = await run({ ...common, rate: 2, calls: callsAt2 });
    // Let the last calls' transactions and the desks settle.
    await new Promise((r) => setTimeout(r, 3_000));
    const spoolDir = gatewaySpoolDir(sipDir);
    const spool = createGatewaySpool(spoolDir, { clock: () => new Date(), log: (l) => process.stderr.write(`bench: gateway: ${l}\n`) });
    /** Every finished call out of the spool: what each WAV holds, and the time to read it. */
    const drain = async () => {
      const checked: { ok: boolean; ms: number }[] = [];
      for (;;) {
        let batch: Awaited<ReturnType<typeof spool.takeFinished>> = [];
        const ms = await time(async () => (batch = await spool.takeFinished()));
        if (!batch.length) return checked;
        for (const r of batch) {
          const { left, right } = wavChannels(r.wav);
          const seconds = left.length / 8000;
          // The PBX's tone left; the desk's (Chromium's fake microphone) right, and not the PBX's.
          const ok = seconds > CALL_SECONDS - 1 && toneShare(left, 440, 0.5, seconds - 0.5) > 0.5 && rms(right, 0.5, seconds - 0.5) > 0.001 && toneShare(right, 440, 0.5, seconds - 0.5) < 0.05;
          if (!ok) process.stderr.write(`bench: gateway: recording of ${r.callId} (${fmt(seconds)} s) lacks a side\n`);
          checked.push({ ok, ms: ms / batch.length });
          spool.done(r.callId);
        }
      }
    };
    const settled = async () => {
      for (let i = 0; i < 100 && spoolUsage(spoolDir).running > 0; i++) await new Promise((r) => setTimeout(r, 100));
    };
    await settled();
    await drain();
    const diskBefore = spoolUsage(spoolDir).bytes;
    process.stderr.write(`bench: gateway: ${callsAt4} calls at 4/s…\n`);
    const load = await run({ ...common, rate: 4, calls: callsAt4 });
    await settled();
    const diskPerCallMinute = (spoolUsage(spoolDir).bytes - diskBefore) / ((load.completed * CALL_SECONDS) / 60);
    const recordings = await drain();
    const answered = (await Promise.all(pages.map((p) => p.evaluate('window.loadDesk.connected')))) as number[];

    // The same load on a stack that records nothing: the desks find the new Kamailio by themselves.
    process.stderr.write(`bench: gateway: ${callsAt4} calls at 4/s, not recorded…\n`);
    sip.proc.kill('SIGTERM');
    await sip.exited;
    const plainSip = spawnMinwon(['sip', '--data', sipDir, '--ws-port', String(ports.ws), '--sip-port', String(ports.sip), '--ng-port', String(ports.ng), '--pbx', `127.0.0.1:${pbxPort}`, '--no-recording']);
    procs.push(plainSip);
    await waitForOutput(plainSip, /minwon sip listening on .*not recording/);
    for (const page of pages) await page.waitForFunction('window.loadDesk.registered', null, { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 2_000));
    const unrecorded = await run({ ...common, rtpengine: childPid(plainSip.proc.pid as number, 'rtpengine'), kamailio: childPid(plainSip.proc.pid as number, 'kamailio'), rate: 4, calls: callsAt4 });
    const decode = summarise(recordings.length ? recordings.map((r) => r.ms) : [NaN]);
    const pct = (n: number, of: number) => `${fmt((n / of) * 100, 1)}%`;
    const figure = (r: RunResult, b: RunResult | null): Figure[] => [
      {
        name: `PBX → rtpengine → desk calls at ${r.rate} calls/s (${r.calls} calls of ${CALL_SECONDS} s, 4 desks, up to ${r.concurrent} at once)`,
        value: `completed ${r.completed}/${r.calls} (${pct(r.completed, r.calls)}), two-way RTP ${r.twoWay}/${r.calls} (${pct(r.twoWay, r.calls)})`,
        baseline: b ? `at ${b.rate} calls/s: completed ${pct(b.completed, b.calls)}, two-way ${pct(b.twoWay, b.calls)}` : 'the baseline run',
        ratio: b ? `${fmt(r.completed / r.calls / (b.completed / b.calls), 3)}× completed` : '1×',
        target: '100% completed, 100% two-way',
        pass: r.completed === r.calls && r.twoWay === r.calls,
      },
      {
        name: `call set-up at ${r.rate} calls/s, PBX INVITE → 200 OK through Kamailio, rtpengine and the desk`,
        value: `p50 ${fmt(r.setup.p50)} ms, p95 ${fmt(r.setup.p95)} ms, max ${fmt(r.setup.max)} ms (${r.setup.n} calls)`,
        baseline: b ? `at ${b.rate} calls/s: p50 ${fmt(b.setup.p50)} ms, p95 ${fmt(b.setup.p95)} ms` : 'the baseline run',
        ratio: b ? `p50 ${fmt(r.setup.p50 / b.setup.p50)}×, p95 ${fmt(r.setup.p95 / b.setup.p95)}×` : '1×',
        target: null,
        complete: r.setup.n === r.completed,
      },
      {
        name: `CPU per bridged call at ${r.rate} calls/s (share of one core per call in progress)`,
        value: `rtpengine ${fmt(r.rtpengineCpuPerCall, 2)}%, Kamailio ${fmt(r.kamailioCpuPerCall, 3)}% (${fmt(r.kamailioMsPerCall, 1)} ms CPU per call)`,
        baseline: `the four Chromium desks: ${fmt(r.chromiumCpuPerCall, 2)}% per call`,
        ratio: `rtpengine ${fmt(r.rtpengineCpuPerCall / r.chromiumCpuPerCall, 3)}×, Kamailio ${fmt(r.kamailioCpuPerCall / r.chromiumCpuPerCall, 3)}× of a desk's`,
        target: null,
        complete: Number.isFinite(r.rtpengineCpuPerCall) && Number.isFinite(r.kamailioCpuPerCall),
      },
    ];
    const recordingFigures: Figure[] = [
      {
        name: `gateway CPU per recorded call against an unrecorded one at 4 calls/s (rtpengine, share of one core per call in progress; ${callsAt4} calls of ${CALL_SECONDS} s each way)`,
        value: `recorded ${fmt(load.rtpengineCpuPerCall, 2)}% per call (completed ${load.completed}/${load.calls}); disk ${fmt(diskPerCallMinute / 1e6, 2)} MB per call-minute (pcap and metadata)`,
        baseline: `unrecorded (--no-recording, same desks, same run): ${fmt(unrecorded.rtpengineCpuPerCall, 2)}% per call (completed ${unrecorded.completed}/${unrecorded.calls}, two-way ${unrecorded.twoWay})`,
        ratio: `${fmt(load.rtpengineCpuPerCall / unrecorded.rtpengineCpuPerCall, 2)}× the CPU`,
        target: null,
        complete: load.completed === load.calls && unrecorded.completed === unrecorded.calls && Number.isFinite(diskPerCallMinute),
      },
      {
        name: 'recorded calls read back from the spool (each WAV: the PBX 440 Hz left, the desk right), at 4 calls/s',
        value: `${recordings.filter((r) => r.ok).length}/${load.completed} with both sides; reading one call p50 ${fmt(decode.p50)} ms, max ${fmt(decode.max)} ms`,
        baseline: `${load.completed} calls completed`,
        ratio: `${fmt(recordings.filter((r) => r.ok).length / load.completed, 3)}×`,
        target: 'every completed call, both sides',
        pass: recordings.length === load.completed && recordings.every((r) => r.ok),
      },
    ];
    const figures = [...figure(base, null), ...figure(load, base), ...recordingFigures];
    process.stderr.write(`bench: gateway: calls answered per desk ${answered.join(', ')}\n`);
    return figures;
  } finally {
    server.close();
    await stopAll(browsers, procs, city);
    rmSync(dir, { recursive: true, force: true });
  }
}
