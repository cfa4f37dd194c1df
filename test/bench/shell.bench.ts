import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { coreContract } from '../../shared/contract';
import { answerCall } from '../../shared/rpc';
import { testCore } from '../helpers/core';
import { startCityServerProcess } from '../helpers/processes';
import { seedCityData } from '../helpers/seed';
import { superviseCoreChildren } from '../helpers/supervised-core';
import { fmt, summarise, time, type Figure } from './stats';

const ENTRIES = 2_000;
const HISTORY = 100_000;
const QUERIES = ['누수', '주차 요금', 'ㅈㅁㄷㄹ', '여권 재발급', 'dutrnjs', '수도요금을', '전입 신고', '재산세', '불법 주정차', '복지 상담'];
const KEYSTROKES = 400;
const RESTARTS = 5;

/** The longest the event loop of this process (the Electron main, in the desk) was held up while `fn` ran. */
async function stall(fn: () => Promise<unknown>): Promise<{ maxMs: number; p99Ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await fn();
  h.disable();
  return { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6 };
}

/**
 * The desktop path: the core in its own process behind main's validation, against the same core
 * in the main process (what the utility process exists to avoid).
 */
export async function benchShell(): Promise<Figure[]> {
  const work = mkdtempSync(join(tmpdir(), 'minwon-bench-shell-'));
  const dataDir = join(work, 'city');
  await seedCityData(dataDir, { entries: ENTRIES - 250, history: HISTORY - 600 });
  const server = await startCityServerProcess(dataDir);
  try {
    // The same initial sync, in this process and in the supervised core process.
    const inProcess = testCore(join(work, 'in-process.sqlite'), server.url);
    const inStall = await stall(() => inProcess.syncNow());
    const desk = superviseCoreChildren({ serverUrl: server.url, cacheFile: join(work, 'desk.sqlite') });
    const h = desk.supervisor.handlers;
    await h.outboxStatus({});
    const outStall = await stall(() => answerCall(coreContract, h, 'syncNow', {}));

    // Steady state, as an agent types: after the core's start-up work (its typo vocabulary) and a few warm-up queries on both paths.
    await new Promise((r) => setTimeout(r, 2000));
    for (const query of QUERIES) {
      await answerCall(coreContract, h, 'search', { query, limit: 10 });
      inProcess.handlers.search({ query, limit: 10 });
    }
    // Keystrokes: each a search, through main's validation and the process hop, against a direct call.
    const viaShell: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < KEYSTROKES; i++) {
      const params = { query: QUERIES[i % QUERIES.length] as string, limit: 10 };
      viaShell.push(await time(async () => {
        const r = await answerCall(coreContract, h, 'search', params);
        if (!r.ok) throw new Error(r.error.message);
      }));
      direct.push(await time(() => inProcess.handlers.search({ ...params })));
    }
    await inProcess.close();

    // A core killed hard, until it answers again; against its first start.
    const restart: number[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      const child = desk.children.at(-1);
      if (!child) throw new Error('no core process');
      const t = process.hrtime.bigint();
      child.kill('SIGKILL');
      await once(child, 'exit');
      await h.outboxStatus({});
      restart.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const cold = superviseCoreChildren({ serverUrl: 'http://127.0.0.1:9', cacheFile: join(work, 'cold.sqlite') });
    const coldMs = await time(() => cold.supervisor.handlers.outboxStatus({}));
    cold.supervisor.stop();
    desk.supervisor.stop();

    const s = summarise(viaShell);
    const d = summarise(direct);
    const r = summarise(restart);
    return [
      {
        name: `Main process held up during an initial sync (${ENTRIES} entries + ${HISTORY} history), core in its own process`,
        value: `longest stall ${fmt(outStall.maxMs)} ms, p99 ${fmt(outStall.p99Ms)} ms`,
        baseline: `the core in the main process: longest stall ${fmt(inStall.maxMs)} ms, p99 ${fmt(inStall.p99Ms)} ms`,
        ratio: `${fmt(outStall.maxMs / inStall.maxMs, 3)}× the in-process stall`,
        target: 'longest stall ≤ 50 ms (the window keeps painting and ringing)',
        pass: outStall.maxMs <= 50,
      },
      {
        name: `Search per keystroke through main's validation and the core process (${KEYSTROKES} queries)`,
        value: `median ${fmt(s.p50, 3)} ms, p95 ${fmt(s.p95, 3)} ms`,
        baseline: `the same search called in-process: median ${fmt(d.p50, 3)} ms, p95 ${fmt(d.p95, 3)} ms`,
        ratio: `p95 +${fmt(s.p95 - d.p95, 3)} ms over in-process`,
        // The core's own search budget (p95 ≤ 5 ms) is the search bench's; what the agent sees is the page's next frame.
        target: 'p95 ≤ 16 ms (the result in the next frame)',
        pass: s.p95 <= 16,
      },
      {
        name: `Core process killed (SIGKILL) until it answers again, ${RESTARTS} times`,
        value: `median ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms (restart delays 100, 500 ms)`,
        baseline: `a first start of the core process: ${fmt(coldMs)} ms`,
        ratio: `median ${fmt(r.p50 / coldMs)}× a first start`,
        target: 'p95 ≤ 3000 ms',
        pass: r.p95 <= 3000,
      },
    ];
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
