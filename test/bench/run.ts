// `npm run bench`: the desk's figures, each against a baseline measured in the same run. Runs in a
// loopback-only network namespace (tools/loopback-only.sh): the phone's calls use WebRTC.
// BENCH_ONLY=phone,search runs some steps only (sync, search, cipher, hostile, store, seats, work, texts, knowledge, analytics, outbox, lookup, workspace, shell, monitor, warning, phone, gateway, resilience).
import { benchConsult } from './consult.bench';
import { benchGateway } from './gateway.bench';
import { benchLookup } from './lookup.bench';
import { benchMonitor } from './monitor.bench';
import { benchMemory } from './memory.bench';
import { benchOutbox } from './outbox.bench';
import { benchPhone } from './phone.bench';
import { benchResilience } from './resilience.bench';
import { benchSearch } from './search.bench';
import { benchSeats } from './seats.bench';
import { benchCipher } from './cipher.bench';
import { benchHostile } from './hostile.bench';
import { benchKnowledge } from './knowledge.bench';
import { benchAnalytics } from './analytics.bench';
import { benchShell } from './shell.bench';
import { benchStore } from './store.bench';
import { benchSync } from './sync.bench';
import { benchTexts } from './texts.bench';
import { benchWarning } from './warning.bench';
import { benchWork } from './work.bench';
import { benchWorkspace } from './workspace.bench';
import { printFigures, verdict, type Figure, type Verdict } from './stats';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const figures: Figure[] = [];
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (key: string) => !only || only.includes(key);
const step = async (key: string, name: string, fn: () => Promise<Figure[]>) => {
  if (!wanted(key)) return;
  process.stderr.write(`bench: ${name}…\n`);
  figures.push(...(await fn()));
};

await step('sync', 'initial and delta sync', () => benchSync(runs));
await step('search', 'search', () => benchSearch());
await step('cipher', 'the encrypted cache against one in clear', () => benchCipher());
await step('hostile', 'syncs while anonymous clients send hostile bodies', () => benchHostile());
await step('store', 'the city server on PostgreSQL against SQLite, two instances against one', () => benchStore());
await step('seats', '500 desks syncing and saving records on two instances over PostgreSQL', () => benchSeats());
await step('work', 'callback offers and concurrent bookings on SQLite and on two instances over PostgreSQL', () => benchWork());
await step('texts', 'inbound texts offered to an agent, and a 1,000-text burst, on SQLite and on two instances over PostgreSQL', () => benchTexts());
await step('knowledge', 'an approved entry reaching a syncing desk, and knowledge gaps grouped over 100,000 searches', () => benchKnowledge());
await step('analytics', 'the analysis: a year of 3,000,000 records on the dashboard, and intake keeping its rollups', () => benchAnalytics());
await step('outbox', 'outbox', () => benchOutbox(Math.max(3, Math.ceil(runs / 2))));
if (wanted('lookup')) {
  const lookup = await benchLookup();
  figures.push(...lookup.figures);
  await step('lookup', 'core memory', () => benchMemory(lookup.cacheFile, lookup.numbers));
  await step('lookup', 'screen-pop and record save (Chromium, Kamailio, 1M records)', () => benchConsult(lookup.cacheFile, lookup.numbers));
  lookup.cleanup();
}
await step('workspace', 'the workspace: opening the desk, its download, keystrokes (Chromium)', () => benchWorkspace());
await step('shell', 'desktop path (core process)', () => benchShell());
await step('monitor', 'team-lead monitoring (Chromium, Kamailio)', () => benchMonitor());
await step('warning', 'the abusive-caller warning played into a call (Chromium, Kamailio)', () => benchWarning());
await step('phone', 'phone (Chromium, Kamailio)', () => benchPhone(Number(process.env.BENCH_CALLS ?? 200)));
await step('gateway', 'PBX calls through rtpengine (SIPp, Kamailio, rtpengine, Chromium)', () => benchGateway());
await step('resilience', 'presence without the city server, and desks that die mid-call (Chromium, Kamailio)', () => benchResilience());

printFigures(figures);
const tally = (v: Verdict) => figures.filter((f) => verdict(f) === v).length;
const failed = tally('FAIL');
process.stdout.write(`\n${tally('PASS')} passed, ${failed} failed, ${tally('INFO')} reported without a target\n`);
process.exitCode = failed ? 1 : 0;
