import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { createCoreClient } from '../../shared/rpc';
import { startDeskProcess } from '../helpers/processes';
import { fmt, type Figure } from './stats';

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Starts an agent core process on `cacheFile` (offline: no server), runs `lookups` lookups over its contract, and reads its memory. */
async function coreMemory(cacheFile: string, numbers: readonly string[], lookups: number): Promise<{ rss: number; peak: number }> {
  const core = await startDeskProcess({ server: 'http://127.0.0.1:9', cache: cacheFile, user: 'agent1' });
  try {
    const page = core.url;
    const token = /name="minwon-core-token" content="([^"]+)"/.exec(await (await fetch(page)).text())?.[1];
    // As the page would: the core answers only its own origin.
    const ws = new WebSocket(`${page.replace('http', 'ws')}core?token=${token}`, { origin: new URL(page).origin });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const client = createCoreClient({ send: (t) => ws.send(t), onMessage: (l) => ws.on('message', (d) => l(d.toString())), onClose: (l) => ws.on('close', l) });
    for (let i = 0; i < lookups; i++) await client.call('callerHistory', { number: numbers[i % Math.max(1, numbers.length)] ?? '01000000000' });
    await client.call('search', { query: '누수', limit: 10 });
    ws.close();
    return rssMb(core.proc.pid as number);
  } finally {
    core.proc.kill('SIGTERM');
    await core.exited;
  }
}

export async function benchMemory(largeCache: string, numbers: readonly string[]): Promise<Figure[]> {
  const work = mkdtempSync(join(tmpdir(), 'minwon-bench-mem-'));
  try {
    const large = await coreMemory(largeCache, numbers, 5000);
    const empty = await coreMemory(join(work, 'empty.sqlite'), [], 5000);
    return [
      {
        name: 'Agent core resident memory with 1,000,000 cached records (minwon host process, after 5,000 lookups and a search over its contract)',
        value: `RSS ${fmt(large.rss, 1)} MB, peak ${fmt(large.peak, 1)} MB`,
        baseline: `the same process on an empty cache: RSS ${fmt(empty.rss, 1)} MB, peak ${fmt(empty.peak, 1)} MB`,
        ratio: `${fmt(large.rss / empty.rss)}× the empty-cache core (+${fmt(large.rss - empty.rss, 1)} MB)`,
        target: '≤ 200 MB',
        pass: large.peak <= 200,
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
