import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { IVR_CALLBACK_ROUTE } from '../../server/http/callback-routes';
import { SIGNATURE_HEADER, signBody } from '../../server/http/signed-request';
import { SMS_INBOUND_ROUTE } from '../../server/http/text-routes';
import type { Callback } from '../../shared/callback';
import type { TextThread } from '../../shared/text-inquiry';
import { call } from '../helpers/http';
import { fmt, percentile, summarise, type Figure } from './stats';
import { AGENT, DESK_POLLS, expectOk, onEachStore, otherDesks, OTHERS, OTHERS_READY, presence, type City, type DeskPoll } from './work.bench';

// Issue 20 (text inquiries): "inbound text → shown on the assigned desk, p95; 1,000-text burst
// throughput", measured at the city server's API, where a desk's core reads the agent's work (no
// Chromium: this machine's two cores go to the servers): how long from the SMS gateway's signed
// POST of a citizen's text until the thread is offered in the agent's own GET /api/sms/threads;
// and how many texts a second the server stores when the gateway delivers a burst. Real city
// server processes, on SQLite, then on two instances over one durable PostgreSQL cluster
// (work.bench.ts sets both up). No carrier runs: nothing here is sent to citizens.

const SMS_SECRET = 'bench-sms-gateway-secret-0123456789';
const PBX_SECRET = 'bench-pbx-ivr-secret-0123456789abcd';
const REPS = 100;
/** Unmeasured repetitions first: the JIT settles on the inbound, distributor and list paths. */
const WARM_REPS = 5;
/** How often the bench looks at the agent's list: finer than a desk, to see when the offer is there. */
const LOOK_EVERY_MS = 100;
/** How often a desk polls its threads (renderer/texts/texts-store.ts): on screen, up to this much later. */
const DESK_WORK_EVERY_MS = 2_000;
/** The distributor offers every second on each instance; far past that, the offer is not coming. */
const OFFER_PATIENCE_MS = 10_000;
/** The distributor's period: each text arrives at a random moment of it (see measureOffers). */
const ROUND_MS = 1_000;
/** What the other desks poll: their callbacks and the queue, as now, and their text threads. */
const TEXT_DESK_POLLS: readonly DeskPoll[] = [...DESK_POLLS, { path: '/api/sms/threads', everyMs: DESK_WORK_EVERY_MS }];
/** The burst: this many numbers, each writing this many texts, this many of them delivered twice. */
const NUMBERS = 300;
const PER_NUMBER = 3;
const DUPLICATES = 100;
const SENDERS = 20;
/** Measured rounds of each kind of burst, after one warm-up round. */
const ROUNDS = 6;

type Answer = Awaited<ReturnType<typeof call>>;

/** A POST signed as the SMS gateway or the PBX signs it (server/http/signed-request.ts). */
const signedPost = (url: string, path: string, secret: string, body: string): Promise<Answer> =>
  call(url, null, path, { method: 'POST', body, headers: { [SIGNATURE_HEADER]: signBody(secret, body, new Date()) } });

/** Runs `fn` over `items`, `n` at a time (a sender each), in order of the list. */
async function pool<T>(items: readonly T[], n: number, fn: (item: T, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async (_, worker) => {
      while (next < items.length) await fn(items[next++] as T, worker);
    }),
  );
}

interface OfferTimes {
  /** The signed POST sent → the thread offered in the agent's list. */
  shown: number[];
  /** The signed POST's own round trip: the gateway's ack. */
  ack: number[];
  /** The agent's list asked, until the offer was in it. */
  looks: number;
}

/**
 * AGENT(0) turns ready first (so it is the ready agent idle the longest, offered first), then the
 * others' desks start polling, OTHERS_READY of them ready. Each repetition: a new citizen texts,
 * the bench asks AGENT(0)'s list every LOOK_EVERY_MS until the thread is offered there, then
 * AGENT(0) takes it and the team lead closes it, so the next starts with nothing waiting.
 */
async function measureOffers(city: City): Promise<{ times: OfferTimes; othersFailed: number }> {
  const [url, token] = [city.urls[0] as string, city.tokens[0] as string];
  const me = AGENT(0);
  const times: OfferTimes = { shown: [], ack: [], looks: 0 };
  await presence(url, token, 'ready');
  const others = await otherDesks(city, TEXT_DESK_POLLS);
  let othersFailed: number;
  try {
    for (let i = 0; i < WARM_REPS + REPS; i++) {
      // Citizens write at any moment. Without this, each text would follow the round that offered
      // the one before, the loop would lock onto the distributor's second, and every text would
      // wait almost a whole round: the worst case, measured a hundred times.
      await sleep(Math.random() * ROUND_MS);
      const body = JSON.stringify({ messageId: randomUUID(), from: `010-6000-${String(1000 + i)}`, text: `수도 요금 문의 ${i}: 이번 달 고지서 확인 부탁드립니다`, receivedAt: new Date().toISOString() });
      // The gateway reaches any instance (a load balancer); the agent's desk stays on the first.
      const t0 = performance.now();
      const posted = await signedPost(city.urls[i % city.urls.length] as string, SMS_INBOUND_ROUTE, SMS_SECRET, body);
      const ack = performance.now() - t0;
      if (posted.status !== 200) throw new Error(`inbound text: HTTP ${posted.status} ${posted.text.slice(0, 200)}`);
      const { threadId } = posted.body as { threadId: string };
      let looks = 0;
      for (;;) {
        const threads = ((await expectOk(call(url, token, '/api/sms/threads'), 'threads')) as { threads: TextThread[] }).threads;
        looks++;
        const t = threads.find((x) => x.id === threadId);
        if (t?.offeredTo === me) break;
        if (t?.offeredTo) throw new Error(`thread ${threadId} was offered to ${t.offeredTo}, not to ${me}, the agent ready the longest`);
        if (performance.now() - t0 > OFFER_PATIENCE_MS) throw new Error(`thread ${threadId} not offered to ${me} ${OFFER_PATIENCE_MS} ms after the text arrived`);
        await sleep(LOOK_EVERY_MS);
      }
      const shown = performance.now() - t0;
      await expectOk(call(url, token, `/api/sms/threads/${threadId}/take`, { method: 'POST' }), 'take');
      await expectOk(call(url, city.lead, `/api/sms/threads/${threadId}/close`, { method: 'POST' }), 'close');
      if (i >= WARM_REPS) {
        times.shown.push(shown);
        times.ack.push(ack);
        times.looks += looks;
      }
    }
  } finally {
    othersFailed = await others.stop();
  }
  return { times, othersFailed };
}

type Kind = 'texts' | 'ivr';

/**
 * One round's burst: NUMBERS citizens PER_NUMBER times each, DUPLICATES of the requests sent a
 * second time (the same bytes: a gateway or PBX that got no answer), shuffled so that a duplicate
 * may arrive before its first copy is answered. Each round and kind has numbers of its own.
 */
function burstBodies(kind: Kind, round: number): { bodies: string[]; numbers: Set<string>; texts: Set<string> } {
  const prefix = 7000 + round * 2 + (kind === 'texts' ? 0 : 1);
  const numbers = Array.from({ length: NUMBERS }, (_, i) => `010-${prefix}-${1000 + i}`);
  const texts = numbers.flatMap((_, i) => Array.from({ length: PER_NUMBER }, (_, k) => `문의 ${round}-${i}-${k}`));
  const firsts = numbers.flatMap((number, i) =>
    Array.from({ length: PER_NUMBER }, (_, k) =>
      kind === 'texts'
        ? { messageId: `BURST-${round}-${i}-${k}`, from: number, text: texts[i * PER_NUMBER + k], receivedAt: new Date().toISOString() }
        : { number, idempotencyKey: `bench-ivr-${round}-${i}-${k}`, ivr: 'water' },
    ),
  );
  const every = Math.floor(firsts.length / DUPLICATES);
  const bodies = [...firsts, ...firsts.filter((_, i) => i % every === every >> 1).slice(0, DUPLICATES)].map((b) => JSON.stringify(b));
  for (let i = bodies.length - 1; i > 0; i--) {
    const j = (i * 7919 + round) % (i + 1);
    [bodies[i], bodies[j]] = [bodies[j] as string, bodies[i] as string];
  }
  return {
    bodies,
    numbers: new Set(numbers.map((n) => `+82${n.slice(1).replaceAll('-', '')}`)),
    texts: new Set(texts),
  };
}

interface Burst {
  /** Each request's round trip. */
  ms: number[];
  /** From the first request sent to the last answer. */
  wallMs: number;
  /** Every answer's body (all 200s: anything else throws). */
  answers: unknown[];
}

/** Sends the bodies signed, SENDERS at once, spread over the instances as a load balancer would. */
async function fire(city: City, path: string, secret: string, bodies: readonly string[]): Promise<Burst> {
  const out: Burst = { ms: [], wallMs: 0, answers: [] };
  const failed: string[] = [];
  const t0 = performance.now();
  await pool(bodies, SENDERS, async (body, sender) => {
    const t = performance.now();
    const r = await signedPost(city.urls[sender % city.urls.length] as string, path, secret, body);
    out.ms.push(performance.now() - t);
    if (r.status === 200) out.answers.push(r.body);
    else failed.push(`${r.status} ${r.text.slice(0, 100)}`);
  });
  out.wallMs = performance.now() - t0;
  if (failed.length) throw new Error(`${failed.length} of ${bodies.length} requests to ${path} failed, e.g. ${failed[0]}`);
  return out;
}

const expected = { requests: NUMBERS * PER_NUMBER + DUPLICATES, firsts: NUMBERS * PER_NUMBER };

/** A burst of texts, then the count that must hold: every text once, one thread per citizen. Closes the threads after. */
async function textBurst(city: City, round: number): Promise<Burst> {
  const { bodies, numbers, texts } = burstBodies('texts', round);
  const b = await fire(city, SMS_INBOUND_ROUTE, SMS_SECRET, bodies);
  const answers = b.answers as { threadId: string; duplicate: boolean }[];
  const [url, lead] = [city.urls[0] as string, city.lead];
  const open = ((await expectOk(call(url, lead, '/api/sms/threads?limit=1000'), 'threads')) as { threads: TextThread[] }).threads.filter((t) => numbers.has(t.number));
  const messages: string[] = [];
  await pool(open, SENDERS, async (t) => {
    const thread = ((await expectOk(call(url, lead, `/api/sms/threads/${t.id}`), 'thread')) as { thread: TextThread }).thread;
    messages.push(...(thread.messages ?? []).map((m) => m.body));
  });
  const tally = `${answers.filter((a) => a.duplicate).length} duplicates, ${new Set(answers.map((a) => a.threadId)).size} thread ids answered, ${open.length} open threads, ${messages.length} messages (${new Set(messages).size} distinct)`;
  const right =
    answers.length === expected.requests &&
    answers.filter((a) => a.duplicate).length === DUPLICATES &&
    new Set(answers.map((a) => a.threadId)).size === NUMBERS &&
    open.length === NUMBERS &&
    messages.length === expected.firsts &&
    messages.every((m) => texts.has(m)) &&
    new Set(messages).size === expected.firsts;
  if (!right) throw new Error(`round ${round}: ${expected.requests} texts from ${NUMBERS} numbers (${DUPLICATES} twice) should leave ${NUMBERS} threads of ${expected.firsts} messages: ${tally}`);
  await pool(open, SENDERS, async (t) => {
    await expectOk(call(url, lead, `/api/sms/threads/${t.id}/close`, { method: 'POST' }), 'close');
  });
  return b;
}

/** The baseline's burst: the PBX's IVR callback requests, and their count: one open callback per citizen. Cancels them after. */
async function ivrBurst(city: City, round: number): Promise<Burst> {
  const { bodies, numbers } = burstBodies('ivr', round);
  const b = await fire(city, IVR_CALLBACK_ROUTE, PBX_SECRET, bodies);
  const answers = b.answers as { id: string; merged: boolean; replayed: boolean }[];
  const [url, lead] = [city.urls[0] as string, city.lead];
  const open = ((await expectOk(call(url, lead, '/api/callbacks?state=open&limit=1000'), 'callbacks')) as { callbacks: Callback[] }).callbacks.filter((c) => numbers.has(c.number));
  const replayed = answers.filter((a) => a.replayed).length;
  const merged = answers.filter((a) => !a.replayed && a.merged).length;
  const ids = new Set(answers.map((a) => a.id)).size;
  if (answers.length !== expected.requests || replayed !== DUPLICATES || merged !== expected.firsts - NUMBERS || ids !== NUMBERS || open.length !== NUMBERS) {
    throw new Error(`round ${round}: ${expected.requests} IVR requests should leave ${NUMBERS} callbacks: ${replayed} replayed, ${merged} merged, ${ids} ids answered, ${open.length} open`);
  }
  await pool(open, SENDERS, async (c) => {
    await expectOk(call(url, lead, `/api/callbacks/${c.id}/cancel`, { method: 'POST' }), 'cancel');
  });
  return b;
}

/** Rounds of both bursts, alternating which goes first; round 0 warms up. */
async function measureBursts(city: City): Promise<Record<Kind, Burst[]>> {
  const out: Record<Kind, Burst[]> = { texts: [], ivr: [] };
  for (let r = 0; r <= ROUNDS; r++) {
    for (const kind of r % 2 === 0 ? (['texts', 'ivr'] as const) : (['ivr', 'texts'] as const)) {
      const b = await (kind === 'texts' ? textBurst(city, r) : ivrBurst(city, r));
      if (r > 0) out[kind].push(b);
    }
  }
  return out;
}

function offerFigure(where: string, t: OfferTimes, othersFailed: number): Figure {
  const [s, a] = [summarise(t.shown), summarise(t.ack)];
  return {
    name: `Citizen's text → offered in the agent's list (signed POST /api/sms/inbound, then the agent's GET /api/sms/threads every ${LOOK_EVERY_MS} ms until the thread is offered to them), ${where}, ${OTHERS} other agents signed in (${OTHERS_READY} ready) polling as desks do`,
    value: `p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms (${s.n} texts, ${fmt(t.looks / s.n, 1)} looks each; the other desks' requests: ${othersFailed} failed). Offers are made by the distributor's round, every second on each instance; a desk polls its work every ${DESK_WORK_EVERY_MS / 1000} s, so on screen add up to ${DESK_WORK_EVERY_MS / 1000} s`,
    baseline: `the signed POST's own round trip (the gateway's ack, the text stored): p50 ${fmt(a.p50)} ms, p95 ${fmt(a.p95)} ms, p99 ${fmt(a.p99)} ms`,
    ratio: `p50 ${fmt(s.p50 / a.p50)}×, p95 ${fmt(s.p95 / a.p95)}× the ack`,
    target: null,
    complete: s.n === REPS && othersFailed === 0,
  };
}

function burstFigure(where: string, b: Record<Kind, Burst[]>): Figure {
  const rates = (bursts: Burst[]) => bursts.map((x) => expected.requests / (x.wallMs / 1000));
  const [textRate, ivrRate] = [percentile(rates(b.texts), 50), percentile(rates(b.ivr), 50)];
  const [texts, ivr] = [summarise(b.texts.flatMap((x) => x.ms)), summarise(b.ivr.flatMap((x) => x.ms))];
  const figures = (rate: number, rs: number[], s: typeof texts, unit: string) =>
    `${fmt(rate)} ${unit}/s (median of ${rs.length} rounds: ${rs.map((x) => fmt(x)).join(', ')}), latency p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, max ${fmt(s.max)} ms`;
  return {
    name: `Burst of ${expected.requests.toLocaleString('en')} signed inbound texts (${NUMBERS} numbers × ${PER_NUMBER}, ${DUPLICATES} delivered twice, shuffled), ${SENDERS} senders at once, ${where}; each round: ${DUPLICATES} answered as duplicates, exactly ${NUMBERS} threads holding ${expected.firsts} messages`,
    value: figures(textRate, rates(b.texts), texts, 'texts'),
    baseline: `${expected.requests.toLocaleString('en')} signed IVR callback requests from the PBX, the same pattern (${NUMBERS} numbers × ${PER_NUMBER} keys, ${DUPLICATES} replayed), the same senders; each round exactly ${NUMBERS} open callbacks: ${figures(ivrRate, rates(b.ivr), ivr, 'requests')}`,
    ratio: `throughput ${fmt(textRate / ivrRate)}×, p50 ${fmt(texts.p50 / ivr.p50)}×, p95 ${fmt(texts.p95 / ivr.p95)}× the IVR's`,
    target: null,
    complete: b.texts.length === ROUNDS && b.ivr.length === ROUNDS,
  };
}

/**
 * Both figures on one city: the offers with the other desks polling, then the bursts alone (the
 * agents stay ready, so the distributor offers the new threads and callbacks meanwhile).
 *
 * The bursts' baseline is the PBX's IVR callback request (issue 19): like an inbound text, a
 * machine's signed POST that the server checks, stores in one write transaction before it
 * answers, deduplicated by the machine's own key and merged per citizen — the nearest path that
 * existed before texts, so the ratio is what a text costs beyond it (decoding, masking, thread).
 */
async function measureCity(city: City, where: string, say: (m: string) => void): Promise<Figure[]> {
  const { times, othersFailed } = await measureOffers(city);
  say(`${where}: ${REPS} texts offered, p50 ${fmt(summarise(times.shown).p50)} ms`);
  const bursts = await measureBursts(city);
  say(`${where}: ${ROUNDS} rounds of bursts`);
  return [offerFigure(where, times, othersFailed), burstFigure(where, bursts)];
}

export function benchTexts(): Promise<Figure[]> {
  return onEachStore('texts', { smsSecret: SMS_SECRET, pbxSecret: PBX_SECRET }, measureCity);
}
