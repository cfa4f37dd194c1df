import { setMaxListeners } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cityDbFile } from '../../server/main';
import { openCityDb } from '../../server/store/db';
import { openPostgresStore } from '../../server/store/postgres-store';
import type { CityStore } from '../../server/store/sql';
import { createUser } from '../../server/store/users';
import type { Callback } from '../../shared/callback';
import type { ReservationSettings } from '../../shared/reservation';
import { call, login, openAroundTheClock } from '../helpers/http';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { startCityServerProcess, type CityServerProcess } from '../helpers/processes';
import { fmt, percentile, summarise, time, type Figure } from './stats';

// Issue 19 (callbacks and reservations), over HTTP against real city server processes: how long
// an agent who turns ready waits for a callback offer, and how many bookings a second the server
// takes when all of them want the last places of one slot, against each on a slot of its own: a
// hot slot must cost no more than its share of the store's one write lock, which every booking
// takes either way. On SQLite, then on two instances over one durable PostgreSQL cluster. The
// load generator shares this machine's cores with the servers. The city set-up (agents, servers on
// each store, desks polling around the measured agent) is shared with texts.bench.ts.

const REPS = 200;
/** Unmeasured repetitions first: the JIT settles on the presence, distributor and callback paths. */
const WARM_REPS = 20;
/** Agents signed in besides the measured one; this many of them ready (and so in every round's list). */
export const OTHERS = 20;
export const OTHERS_READY = 10;
/** What a desk on screen polls, and how often (renderer/main.tsx): its callbacks, and the queue. */
export const DESK_POLLS: readonly DeskPoll[] = [
  { path: '/api/callbacks/mine', everyMs: 2_000 },
  { path: '/api/queue', everyMs: 5_000 },
];
/** The server offers before it answers the presence call; how long to keep looking when it did not. */
const OFFER_PATIENCE_MS = 5_000;
const CLIENTS = 200;
const CAPACITY = 2;
/** Measured rounds of each kind of burst, after one warm-up round. */
const ROUNDS = 8;
/** AGENT(0) is the one measured. */
export const AGENT = (i: number) => `work${String(i).padStart(2, '0')}`;
const ONE_SLOT = (round: number) => `one-${round}`;
/** Each client's own slot, the same in every round: it has a place for each round. */
const OWN_SLOT = (client: number) => `own-${client}`;

type Answer = Awaited<ReturnType<typeof call>>;

export interface DeskPoll {
  path: string;
  everyMs: number;
}

export async function expectOk(answer: Promise<Answer>, what: string): Promise<unknown> {
  const r = await answer;
  if (r.status !== 200) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return r.body;
}

export interface City {
  /** One address per instance. */
  urls: string[];
  /** Sessions of AGENT(0) … AGENT(OTHERS). */
  tokens: string[];
  /** lead1's session, on the first instance. */
  lead: string;
}

/** What a bench adds to each city server process: the machines' secrets. */
export interface ServerOptions {
  pbxSecret?: string;
  smsSecret?: string;
}

/** The agents' accounts, written into a new store before any server opens it (scrypt: about 25 ms each). */
export async function addAgents(store: CityStore): Promise<void> {
  try {
    await store.write(async (tx) => {
      for (let i = 0; i <= OTHERS; i++) await createUser(tx, { username: AGENT(i), displayName: `콜백 ${i}`, role: 'agent', password: AGENT(i) }, new Date());
    });
  } finally {
    await store.close();
  }
}

/**
 * Every round's slots in one setting (a slot with bookings cannot be removed, so none is
 * replaced): a full one per round, and the clients' own slots with a place for every round.
 */
function slotSettings(): ReservationSettings {
  // Days ahead: no slot starts, and no reminder comes due, while the bench runs.
  const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3 * 86_400_000).toISOString();
  const slot = (id: string, capacity: number) => ({ id, topic: '여권 상담', start, minutes: 30, capacity });
  return {
    reminderMinutes: 0,
    slots: [...Array.from({ length: ROUNDS + 1 }, (_, r) => slot(ONE_SLOT(r), CAPACITY)), ...Array.from({ length: CLIENTS }, (_, c) => slot(OWN_SLOT(c), ROUNDS + 1))],
  };
}

/** Servers with the demo data on one store (`dirs`: a data folder each), their sessions, the city open around the clock. */
async function startCity(dirs: string[], database: string | undefined, started: CityServerProcess[], server: ServerOptions): Promise<City> {
  const urls: string[] = [];
  // One after another: the first seeds the demo data, the others find it there.
  for (const dir of dirs) {
    const s = await startCityServerProcess(dir, { demo: true, ...server, ...(database ? { database } : {}) });
    started.push(s);
    urls.push(s.url);
  }
  const lead = await login(urls[0] as string, 'lead1', 'lead1');
  const tokens: string[] = [];
  for (let i = 0; i <= OTHERS; i++) tokens.push(await login(urls[i % urls.length] as string, AGENT(i), AGENT(i)));
  await openAroundTheClock(urls[0] as string, lead);
  return { urls, tokens, lead };
}

export const presence = (url: string, token: string, state: 'ready' | 'not-ready') =>
  expectOk(call(url, token, '/api/presence', { method: 'PUT', body: JSON.stringify({ state, reason: state === 'ready' ? null : 'meal' }) }), `presence ${state}`);

/**
 * The other agents' desks while on screen: their presence said once, then what a desk polls
 * (`polls`) as it polls it. Stopping answers how many requests failed.
 */
export async function otherDesks(city: City, polls: readonly DeskPoll[] = DESK_POLLS): Promise<{ stop(): Promise<number> }> {
  const stopping = new AbortController();
  // Every loop waits on it: one a desk and poll.
  setMaxListeners(polls.length * OTHERS + 1, stopping.signal);
  let failed = 0;
  const poll = async (url: string, token: string, path: string, everyMs: number) => {
    try {
      await sleep(Math.random() * everyMs, undefined, { signal: stopping.signal });
      for (;;) {
        if ((await call(url, token, path)).status !== 200) failed++;
        await sleep(everyMs, undefined, { signal: stopping.signal });
      }
    } catch (e) {
      if (!stopping.signal.aborted) throw e;
    }
  };
  const loops: Promise<void>[] = [];
  for (let i = 1; i <= OTHERS; i++) {
    const [url, token] = [city.urls[i % city.urls.length] as string, city.tokens[i] as string];
    await presence(url, token, i <= OTHERS_READY ? 'ready' : 'not-ready');
    loops.push(...polls.map((p) => poll(url, token, p.path, p.everyMs)));
  }
  return {
    async stop() {
      stopping.abort();
      await Promise.all(loops);
      return failed;
    },
  };
}

interface OfferTimes {
  /** Ready → the offer in the agent's list. */
  offered: number[];
  /** The same two requests with nothing to offer. */
  empty: number[];
  /** GET /api/callbacks/mine alone, nothing in it. */
  mineAlone: number[];
  /** Repetitions where the offer was not in the first answer. */
  late: number;
}

/**
 * What the desk does when the agent presses 상담 대기: PUT its presence as ready (the server runs a
 * distributor round before it answers), then GET its callbacks, where the offer is to be. Each
 * measured repetition has a callback of its own due now, asked by the agent for the citizen and
 * kept by them, so that the ready agents around are not offered it first (longest idle first); it
 * is cancelled afterwards, so the next one starts with an empty queue. Repetitions alternate with
 * the baseline's, with nothing to offer.
 */
async function measureOffers(city: City): Promise<OfferTimes> {
  const [url, token] = [city.urls[0] as string, city.tokens[0] as string];
  const mine = async () => ((await expectOk(call(url, token, '/api/callbacks/mine'), 'my callbacks')) as { callbacks: Callback[] }).callbacks;
  const out: OfferTimes = { offered: [], empty: [], mineAlone: [], late: 0 };
  let number = 0;
  const readyUntilShown = (id: string | null) =>
    time(async () => {
      await presence(url, token, 'ready');
      let list = await mine();
      if (id === null) {
        if (list.length) throw new Error(`nothing was to be offered, but the agent's list holds ${list.length} callback(s)`);
        return;
      }
      const shown = () => list.some((c) => c.id === id && c.state === 'offered');
      if (!shown()) out.late++;
      const deadline = performance.now() + OFFER_PATIENCE_MS;
      while (!shown()) {
        if (performance.now() > deadline) throw new Error(`callback ${id} not offered ${OFFER_PATIENCE_MS} ms after the agent turned ready`);
        await sleep(50);
        list = await mine();
      }
    });
  for (let i = 0; i < WARM_REPS + REPS; i++) {
    const measured = i >= WARM_REPS;
    await presence(url, token, 'not-ready');
    const body = JSON.stringify({ number: `010-7000-${String(number++).padStart(4, '0')}`, keep: true });
    const { callback } = (await expectOk(call(url, token, '/api/callbacks', { method: 'POST', body }), 'callback request')) as { callback: Callback };
    const ms = await readyUntilShown(callback.id);
    await expectOk(call(url, token, `/api/callbacks/${callback.id}/cancel`, { method: 'POST' }), 'cancel');
    await presence(url, token, 'not-ready');
    const emptyMs = await readyUntilShown(null);
    const aloneMs = await time(mine);
    if (measured) {
      out.offered.push(ms);
      out.empty.push(emptyMs);
      out.mineAlone.push(aloneMs);
    }
  }
  return out;
}

interface Burst {
  /** Each booking's request to answer. */
  ms: number[];
  /** From the first request sent to the last answer. */
  wallMs: number;
  booked: number;
  full: number;
  /** Any other answer, as `status error`. */
  other: string[];
}

/** CLIENTS bookings sent at once, spread over the instances and the agents' sessions, each for a number of its own. */
async function burst(city: City, slotOf: (client: number) => string, numbers: number): Promise<Burst> {
  const out: Burst = { ms: [], wallMs: 0, booked: 0, full: 0, other: [] };
  const requests = Array.from({ length: CLIENTS }, (_, c) => ({
    url: city.urls[c % city.urls.length] as string,
    token: city.tokens[c % city.tokens.length] as string,
    body: JSON.stringify({ slotId: slotOf(c), number: `010-${numbers}-${String(c).padStart(4, '0')}` }),
  }));
  out.wallMs = await time(() =>
    Promise.all(
      requests.map(async (q) => {
        const t = performance.now();
        const r = await call(q.url, q.token, '/api/reservations', { method: 'POST', body: q.body });
        out.ms.push(performance.now() - t);
        const error = (r.body as { error?: string } | null)?.error;
        if (r.status === 200) out.booked++;
        else if (r.status === 409 && error === 'slot-full') out.full++;
        else out.other.push(`${r.status} ${error ?? r.text.slice(0, 80)}`);
      }),
    ),
  );
  return out;
}

interface Bookings {
  one: Burst[];
  own: Burst[];
}

/** Rounds of a burst on one slot and a burst on a slot each, alternating which goes first; round 0 warms up. */
async function measureBookings(city: City): Promise<Bookings> {
  const out: Bookings = { one: [], own: [] };
  for (let r = 0; r <= ROUNDS; r++) {
    const kinds = r % 2 === 0 ? (['one', 'own'] as const) : (['own', 'one'] as const);
    for (const kind of kinds) {
      const b = await burst(city, kind === 'one' ? () => ONE_SLOT(r) : OWN_SLOT, 6000 + r * 2 + (kind === 'one' ? 0 : 1));
      const tally = `${b.booked} booked, ${b.full} slot-full, ${b.other.length} other${b.other.length ? ` (${[...new Set(b.other)].join('; ')})` : ''}`;
      const expected = kind === 'one' ? b.booked === CAPACITY && b.full === CLIENTS - CAPACITY : b.booked === CLIENTS;
      if (!expected || b.other.length) throw new Error(`${CLIENTS} bookings at once on ${kind === 'one' ? 'one slot' : `${CLIENTS} slots`} (capacity ${CAPACITY}): ${tally}`);
      if (r > 0) out[kind].push(b);
    }
    // The places the server counts must agree with the answers it gave.
    const slots = ((await expectOk(call(city.urls[0] as string, city.tokens[0] as string, '/api/reservations/slots'), 'slots')) as { slots: { id: string; left: number }[] }).slots;
    const left = new Map(slots.map((s) => [s.id, s.left]));
    const wrong = [ONE_SLOT(r), ...Array.from({ length: CLIENTS }, (_, c) => OWN_SLOT(c))].filter((id) => left.get(id) !== (id === ONE_SLOT(r) ? 0 : ROUNDS - r));
    if (wrong.length) throw new Error(`round ${r}: ${wrong.length} slot(s) show other places left than booked, e.g. ${wrong[0]}: ${left.get(wrong[0] as string)}`);
  }
  return out;
}

function offerFigure(where: string, t: OfferTimes, othersFailed: number): Figure {
  const [o, e, m] = [summarise(t.offered), summarise(t.empty), summarise(t.mineAlone)];
  return {
    name: `Agent turns ready → callback offer shown (PUT /api/presence ready, then GET /api/callbacks/mine finds it offered), ${where}, ${OTHERS} other agents signed in (${OTHERS_READY} ready) polling as desks do`,
    value: `p50 ${fmt(o.p50)} ms, p95 ${fmt(o.p95)} ms, p99 ${fmt(o.p99)} ms, max ${fmt(o.max)} ms (${o.n} repetitions; ${t.late} not offered in the first answer; the other desks' requests: ${othersFailed} failed)`,
    baseline: `the same two requests with nothing to offer: p50 ${fmt(e.p50)} ms, p95 ${fmt(e.p95)} ms, p99 ${fmt(e.p99)} ms; GET /api/callbacks/mine alone: p50 ${fmt(m.p50)} ms, p95 ${fmt(m.p95)} ms`,
    ratio: `p50 ${fmt(o.p50 / e.p50)}×, p95 ${fmt(o.p95 / e.p95)}×, p99 ${fmt(o.p99 / e.p99)}× nothing to offer`,
    target: null,
    complete: o.n === REPS && e.n === REPS && othersFailed === 0,
  };
}

function bookingFigure(where: string, b: Bookings): Figure {
  const rates = (bursts: Burst[]) => bursts.map((x) => CLIENTS / (x.wallMs / 1000));
  const [oneRate, ownRate] = [percentile(rates(b.one), 50), percentile(rates(b.own), 50)];
  const [one, own] = [summarise(b.one.flatMap((x) => x.ms)), summarise(b.own.flatMap((x) => x.ms))];
  const figures = (rate: number, rs: number[], s: typeof one) =>
    `${fmt(rate)} bookings/s (median of ${rs.length} rounds: ${rs.map((x) => fmt(x)).join(', ')}), latency p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, max ${fmt(s.max)} ms`;
  return {
    name: `Bookings, ${CLIENTS} clients at once on ONE slot of capacity ${CAPACITY} (each round exactly ${CAPACITY} booked, ${CLIENTS - CAPACITY} refused slot-full), ${where}`,
    value: figures(oneRate, rates(b.one), one),
    baseline: `${CLIENTS} clients at once each on a slot of its own (each round all ${CLIENTS} booked): ${figures(ownRate, rates(b.own), own)}`,
    ratio: `throughput ${fmt(oneRate / ownRate)}×, p50 ${fmt(one.p50 / own.p50)}×, p95 ${fmt(one.p95 / own.p95)}× a slot each`,
    target: null,
    complete: b.one.length === ROUNDS && b.own.length === ROUNDS,
  };
}

/** Both figures on one city: the offers with the other desks running, then the bookings alone. */
async function measureCity(city: City, where: string, say: (m: string) => void): Promise<Figure[]> {
  await expectOk(call(city.urls[0] as string, city.lead, '/api/settings/reservations', { method: 'PUT', body: JSON.stringify(slotSettings()) }), 'reservation slots');
  const others = await otherDesks(city);
  let offers: OfferTimes;
  let othersFailed: number;
  try {
    offers = await measureOffers(city);
  } finally {
    othersFailed = await others.stop();
  }
  say(`${where}: ${REPS} offers, p50 ${fmt(summarise(offers.offered).p50)} ms`);
  const bookings = await measureBookings(city);
  say(`${where}: ${ROUNDS} rounds of bookings`);
  return [offerFigure(where, offers, othersFailed), bookingFigure(where, bookings)];
}

/** Stops the servers, first showing what they logged beyond info: a failed timer round (offers, texts) is told only there. */
async function stopServers(servers: CityServerProcess[], step: string): Promise<void> {
  for (const s of servers.splice(0)) {
    const warned = s.stderr().split('\n').filter((l) => l.trim() && !/^\S+ info /.test(l));
    if (warned.length) process.stderr.write(`bench: ${step}: server ${s.url} logged ${warned.length} warning/error line(s):\n${warned.slice(-10).join('\n')}\n`);
    await s.stop();
  }
}

/** Measures on the city, named by where it runs, telling progress with `say`. */
export type MeasureCity = (city: City, where: string, say: (m: string) => void) => Promise<Figure[]>;

/**
 * A bench step on the work queue, run on two cities in turn: one server on SQLite, then two
 * instances over one durable PostgreSQL cluster; each with the agents, sessions and demo data.
 */
export async function onEachStore(step: string, server: ServerOptions, measure: MeasureCity): Promise<Figure[]> {
  const began = performance.now();
  const say = (m: string) => process.stderr.write(`bench: ${step}: ${m} (${fmt((performance.now() - began) / 1000, 0)} s)\n`);
  const work = mkdtempSync(join(tmpdir(), `minwon-bench-${step}-`));
  const servers: CityServerProcess[] = [];
  let pgServer: TestPostgres | null = null;
  try {
    const figures: Figure[] = [];
    const sqliteDir = join(work, 'sqlite');
    mkdirSync(sqliteDir, { recursive: true });
    await addAgents(openCityDb(cityDbFile(sqliteDir)));
    figures.push(...(await measure(await startCity([sqliteDir], undefined, servers, server), 'city server on SQLite', say)));
    await stopServers(servers, step);

    pgServer = await startPostgres({ durable: true });
    const url = await pgServer.database();
    await addAgents(await openPostgresStore(url));
    figures.push(...(await measure(await startCity([join(work, 'pg-a'), join(work, 'pg-b')], url, servers, server), 'two city server instances over PostgreSQL', say)));
    await stopServers(servers, step);
    return figures;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await pgServer?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export function benchWork(): Promise<Figure[]> {
  return onEachStore('work', {}, measureCity);
}
