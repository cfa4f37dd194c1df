import { randomUUID } from 'node:crypto';
import {
  nextOpening,
  type Callback,
  type CallbackOutcome,
  type CallbackPolicy,
  type CallbackSource,
  type CallbackState,
  type OpeningHours,
} from '../../shared/callback';
import type { Db } from './sql';

// The callback queue (issue 19). Every change runs in one write transaction, which on either
// engine takes the store's one write lock: a read-then-write here cannot race another server
// instance. The tables' unique indexes (one open callback per number, one offer per agent, one
// dial in flight per callback) hold even so.

interface Row {
  id: string;
  number_e164: string;
  sources: string;
  call_id: string | null;
  topic: string | null;
  note: string | null;
  asked_at: string;
  due_at: string;
  attempts: number;
  max_attempts: number;
  state: CallbackState;
  owner: string | null;
  owner_until: string | null;
  offered_to: string | null;
  offer_until: string | null;
  passed: string;
  attempt_id: string | null;
  attempt_agent: string | null;
  attempt_started: string | null;
  last_outcome: string | null;
  record_id: string | null;
}

/** SQL naming the agent in `column` by username, as desks and leads name them (ids are the store's own). */
export const username = (column: string) => `COALESCE((SELECT u.username FROM users u WHERE u.id = ${column}), ${column})`;
const SELECT = `SELECT c.id, c.number_e164, c.sources, c.call_id, c.topic, c.note, c.asked_at, c.due_at, c.attempts, c.max_attempts,
  c.state, ${username('c.owner')} AS owner, c.owner_until, ${username('c.offered_to')} AS offered_to, c.offer_until, c.passed,
  a.id AS attempt_id, ${username('a.agent_id')} AS attempt_agent, a.started_at AS attempt_started,
  (SELECT l.outcome FROM callback_attempts l WHERE l.callback_id = c.id AND l.outcome IS NOT NULL ORDER BY l.ended_at DESC, l.id DESC LIMIT 1) AS last_outcome,
  (SELECT r.id FROM records r WHERE r.callback_id = c.id ORDER BY r.received_at DESC, r.id DESC LIMIT 1) AS record_id
  FROM callbacks c LEFT JOIN callback_attempts a ON a.callback_id = c.id AND a.outcome IS NULL`;

const OPEN = "('pending', 'offered', 'dialling', 'connected')";

function toCallback(r: Row): Callback {
  return {
    id: r.id,
    number: r.number_e164,
    sources: JSON.parse(r.sources) as CallbackSource[],
    callId: r.call_id,
    topic: r.topic,
    note: r.note,
    askedAt: r.asked_at,
    dueAt: r.due_at,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    state: r.state,
    owner: r.owner,
    ownerUntil: r.owner_until,
    offeredTo: r.offered_to,
    offerUntil: r.offer_until,
    openAttempt: r.attempt_id ? { id: r.attempt_id, agent: r.attempt_agent as string, startedAt: r.attempt_started as string } : null,
    lastOutcome: r.last_outcome as CallbackOutcome | null,
    recordId: r.record_id,
  };
}

export async function getCallback(db: Db, id: string): Promise<Callback | null> {
  const r = await db.get<Row>(`${SELECT} WHERE c.id = ?`, [id]);
  return r ? toCallback(r) : null;
}

export interface NewCallback {
  source: CallbackSource;
  /** E.164, already checked to be a number the city can dial. */
  number: string;
  /** The number as it came (the PBX's, the form's). */
  numberRaw: string;
  callId?: string;
  topic?: string;
  note?: string;
  /** When the citizen wants the call (now when absent); it waits for opening hours. */
  dueAt?: Date;
  /** An agent keeps it until their time is up. */
  owner?: string;
  createdBy?: string;
  /** The IVR's key: a replay answers what the first request got. */
  idempotencyKey?: string;
}

export interface CallbackTaken {
  callback: Callback;
  /** It joined a callback already open for the number. */
  merged: boolean;
  /** The same request was taken before. */
  replayed: boolean;
}

/** Takes a request: a new callback, or merged into the open one for the same number. */
export async function requestCallback(db: Db, n: NewCallback, o: { now: Date; policy: CallbackPolicy; hours: OpeningHours }): Promise<CallbackTaken> {
  const now = o.now.toISOString();
  const due = nextOpening(o.hours, n.dueAt && n.dueAt > o.now ? n.dueAt : o.now).toISOString();
  const ownerUntil = n.owner ? new Date(Date.parse(due) + o.policy.ownerMinutes * 60_000).toISOString() : null;
  return db.write(async (tx) => {
    if (n.idempotencyKey) {
      const seen = await tx.get<{ callback_id: string }>('SELECT callback_id FROM callback_requests WHERE key = ?', [n.idempotencyKey]);
      if (seen) return { callback: (await getCallback(tx, seen.callback_id)) as Callback, merged: false, replayed: true };
    }
    const open = await tx.get<Row>(`${SELECT} WHERE c.number_e164 = ? AND c.state IN ${OPEN}`, [n.number]);
    let id: string;
    if (open) {
      id = open.id;
      const sources = JSON.parse(open.sources) as CallbackSource[];
      if (!sources.includes(n.source)) sources.push(n.source);
      // The earlier wish stands; the citizen keeps the place they first asked for.
      const earlier = open.state === 'pending' && due < open.due_at ? due : open.due_at;
      await tx.run(
        `UPDATE callbacks SET sources = ?, due_at = ?, call_id = COALESCE(call_id, ?), topic = COALESCE(topic, ?), note = COALESCE(note, ?),
           owner = COALESCE(owner, ?), owner_until = COALESCE(owner_until, ?), updated_at = ? WHERE id = ?`,
        [JSON.stringify(sources), earlier, n.callId ?? null, n.topic ?? null, n.note ?? null, n.owner ?? null, ownerUntil, now, id],
      );
    } else {
      id = randomUUID();
      await tx.run(
        `INSERT INTO callbacks(id, number_e164, number_raw, sources, call_id, topic, note, asked_at, due_at, max_attempts, retry_minutes, state, owner, owner_until, created_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
        [id, n.number, n.numberRaw, JSON.stringify([n.source]), n.callId ?? null, n.topic ?? null, n.note ?? null, now, due, o.policy.maxAttempts, o.policy.retryMinutes, n.owner ?? null, ownerUntil, n.createdBy ?? null, now],
      );
    }
    if (n.idempotencyKey) await tx.run('INSERT INTO callback_requests(key, callback_id, received_at) VALUES (?, ?, ?)', [n.idempotencyKey, id, now]);
    return { callback: (await getCallback(tx, id)) as Callback, merged: Boolean(open), replayed: false };
  });
}

export interface ReadyAgent {
  /** The agent's user id. */
  id: string;
  /** Ready since: the longest idle is offered first. */
  since: Date;
}

export interface Offer {
  callbackId: string;
  agent: string;
  until: string;
}

/** An agent who declined or let an offer lapse is not offered the same callback again for this long. */
const PASS_MS = 10 * 60_000;

interface Pass {
  agent: string;
  at: string;
}

/** `passed` (a work item's JSON list of agents who let it go) with `agent` passing at `at`, their older pass dropped. */
export function withPass(passed: string, agent: string, at: string): string {
  return JSON.stringify([...(JSON.parse(passed) as Pass[]).filter((p) => p.agent !== agent), { agent, at }]);
}

/** Whether `agent` let the item go within the last PASS_MS before `now` (not offered it again so soon). */
export function passedRecently(passed: string, agent: string, now: number): boolean {
  return (JSON.parse(passed) as Pass[]).some((p) => p.agent === agent && Date.parse(p.at) > now - PASS_MS);
}

/**
 * One round of distribution: lapsed offers go back to the queue (their agent passed), owned
 * callbacks past their time go to everyone, and — unless live calls are waiting, which come
 * first — each ready agent without an offer or a dial of their own, longest idle first, is offered
 * the due callback whose citizen asked first among those they may take.
 */
export async function offerCallbacks(db: Db, o: { ready: readonly ReadyAgent[]; callsWaiting: number; now: Date; offerSeconds: number }): Promise<Offer[]> {
  const now = o.now.toISOString();
  return db.write(async (tx) => {
    for (const lapsed of await tx.all<{ id: string; offered_to: string; passed: string }>("SELECT id, offered_to, passed FROM callbacks WHERE state = 'offered' AND offer_until <= ?", [now])) {
      await passBack(tx, lapsed, now);
    }
    await tx.run(`UPDATE callbacks SET owner = NULL, owner_until = NULL, updated_at = ? WHERE owner IS NOT NULL AND owner_until <= ? AND state IN ${OPEN}`, [now, now]);
    if (o.callsWaiting > 0 || o.ready.length === 0) return [];
    const busy = new Set(
      (
        await tx.all<{ agent: string }>("SELECT offered_to AS agent FROM callbacks WHERE state = 'offered' UNION SELECT agent_id AS agent FROM callback_attempts WHERE outcome IS NULL")
      ).map((r) => r.agent),
    );
    const free = [...o.ready].filter((a) => !busy.has(a.id)).sort((a, b) => a.since.getTime() - b.since.getTime() || (a.id < b.id ? -1 : 1));
    if (free.length === 0) return [];
    const due = await tx.all<{ id: string; owner: string | null; passed: string }>(
      "SELECT id, owner, passed FROM callbacks WHERE state = 'pending' AND due_at <= ? ORDER BY asked_at, id LIMIT 500",
      [now],
    );
    const until = new Date(o.now.getTime() + o.offerSeconds * 1000).toISOString();
    const offers: Offer[] = [];
    const taken = new Set<string>();
    for (const agent of free) {
      const pick = due.find(
        (c) => !taken.has(c.id) && (c.owner === null || c.owner === agent.id) && !passedRecently(c.passed, agent.id, o.now.getTime()),
      );
      if (!pick) continue;
      taken.add(pick.id);
      const changed = await tx.run("UPDATE callbacks SET state = 'offered', offered_to = ?, offer_until = ?, updated_at = ? WHERE id = ? AND state = 'pending'", [agent.id, until, now, pick.id]);
      if (changed === 1) offers.push({ callbackId: pick.id, agent: agent.id, until });
    }
    return offers;
  });
}

async function passBack(tx: Db, c: { id: string; offered_to: string; passed: string }, now: string): Promise<void> {
  await tx.run("UPDATE callbacks SET state = 'pending', offered_to = NULL, offer_until = NULL, passed = ?, updated_at = ? WHERE id = ?", [withPass(c.passed, c.offered_to, now), now, c.id]);
}

/** The agent's answer to an offer that is theirs; null when it is not (or no longer) theirs. */
export async function declineOffer(db: Db, id: string, agent: string, now: Date): Promise<Callback | null> {
  return db.write(async (tx) => {
    const c = await tx.get<{ id: string; offered_to: string; passed: string }>("SELECT id, offered_to, passed FROM callbacks WHERE id = ? AND state = 'offered' AND offered_to = ?", [id, agent]);
    if (!c) return null;
    await passBack(tx, c, now.toISOString());
    return getCallback(tx, id);
  });
}

/**
 * Accepting writes the attempt before the desk dials: whatever crashes after, the attempt is on
 * record and its callback is never dialled again by itself. Null when the offer is not theirs.
 */
export async function acceptOffer(db: Db, id: string, agent: string, now: Date): Promise<{ callback: Callback; attemptId: string } | null> {
  return db.write(async (tx) => {
    const at = now.toISOString();
    const changed = await tx.run(
      "UPDATE callbacks SET state = 'dialling', attempts = attempts + 1, offered_to = NULL, offer_until = NULL, passed = '[]', updated_at = ? WHERE id = ? AND state = 'offered' AND offered_to = ?",
      [at, id, agent],
    );
    if (changed !== 1) return null;
    const attemptId = randomUUID();
    await tx.run('INSERT INTO callback_attempts(id, callback_id, agent_id, started_at) VALUES (?, ?, ?, ?)', [attemptId, id, agent, at]);
    return { callback: (await getCallback(tx, id)) as Callback, attemptId };
  });
}

/** The citizen answered the agent's dial. */
export async function markConnected(db: Db, id: string, attemptId: string, agent: string, now: Date): Promise<boolean> {
  const changed = await db.run(
    "UPDATE callbacks SET state = 'connected', updated_at = ? WHERE id = ? AND state = 'dialling' AND EXISTS (SELECT 1 FROM callback_attempts WHERE id = ? AND callback_id = ? AND agent_id = ? AND outcome IS NULL)",
    [now.toISOString(), id, attemptId, id, agent],
  );
  return changed === 1;
}

export type SettleRefusal = 'no-attempt' | 'not-yours';

/**
 * Settles an attempt with its outcome: said by the agent who dialled, or — for an attempt whose
 * outcome nobody said (a desk or server that crashed mid-dial) — by a team lead. Reached, or the
 * citizen declined: done. A wrong number: failed. No answer or busy: tried again after the
 * city's delay (in opening hours), failed after the last attempt.
 */
export async function settleAttempt(
  db: Db,
  o: { callbackId: string; attemptId: string; outcome: CallbackOutcome; by: { id: string; lead: boolean }; now: Date; hours: OpeningHours },
): Promise<Callback | SettleRefusal> {
  return db.write(async (tx) => {
    const a = await tx.get<{ agent_id: string; outcome: CallbackOutcome | null; attempts: number; max_attempts: number; retry_minutes: number }>(
      `SELECT a.agent_id, a.outcome, c.attempts, c.max_attempts, c.retry_minutes FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id
       WHERE a.id = ? AND a.callback_id = ?`,
      [o.attemptId, o.callbackId],
    );
    if (!a) return 'no-attempt';
    if (a.agent_id !== o.by.id && !o.by.lead) return 'not-yours';
    // The same outcome again (a desk's outbox sending a line whose answer it lost) changes nothing.
    if (a.outcome !== null) return a.outcome === o.outcome ? ((await getCallback(tx, o.callbackId)) as Callback) : 'no-attempt';
    const at = o.now.toISOString();
    await tx.run('UPDATE callback_attempts SET outcome = ?, ended_at = ?, settled_by = ? WHERE id = ?', [o.outcome, at, o.by.id, o.attemptId]);
    const retry = o.outcome === 'no-answer' || o.outcome === 'busy';
    const state: CallbackState = o.outcome === 'wrong-number' || (retry && Number(a.attempts) >= Number(a.max_attempts)) ? 'failed' : retry ? 'pending' : 'completed';
    const due = retry ? nextOpening(o.hours, new Date(o.now.getTime() + Number(a.retry_minutes) * 60_000)).toISOString() : null;
    await tx.run('UPDATE callbacks SET state = ?, due_at = COALESCE(?, due_at), updated_at = ? WHERE id = ?', [state, state === 'pending' ? due : null, at, o.callbackId]);
    return (await getCallback(tx, o.callbackId)) as Callback;
  });
}

/** A team lead (or the agent who keeps it) calls it off; not while a dial is in flight. */
export async function cancelCallback(db: Db, id: string, now: Date): Promise<Callback | 'not-open' | 'dialling'> {
  return db.write(async (tx) => {
    const c = await getCallback(tx, id);
    if (!c || !['pending', 'offered'].includes(c.state)) return c?.openAttempt ? 'dialling' : 'not-open';
    await tx.run("UPDATE callbacks SET state = 'cancelled', offered_to = NULL, offer_until = NULL, updated_at = ? WHERE id = ?", [now.toISOString(), id]);
    return (await getCallback(tx, id)) as Callback;
  });
}

/** A team lead gives a waiting callback to one agent (for the city's owner time); an offer out is withdrawn. */
export async function assignCallback(db: Db, id: string, agent: string, o: { now: Date; policy: CallbackPolicy }): Promise<Callback | null> {
  return db.write(async (tx) => {
    const at = o.now.toISOString();
    const until = new Date(o.now.getTime() + o.policy.ownerMinutes * 60_000).toISOString();
    const changed = await tx.run(
      "UPDATE callbacks SET owner = ?, owner_until = ?, state = 'pending', offered_to = NULL, offer_until = NULL, passed = '[]', updated_at = ? WHERE id = ? AND state IN ('pending', 'offered')",
      [agent, until, at, id],
    );
    return changed === 1 ? getCallback(tx, id) : null;
  });
}

/** Callbacks for a team lead: open ones and those that failed, oldest asked first. */
export async function listCallbacks(db: Db, o: { states: readonly CallbackState[]; limit: number }): Promise<Callback[]> {
  const marks = o.states.map(() => '?').join(', ');
  return (await db.all<Row>(`${SELECT} WHERE c.state IN (${marks}) ORDER BY c.asked_at, c.id LIMIT ?`, [...o.states, o.limit])).map(toCallback);
}

/** An agent's own work: the offer they have, dials of theirs not yet settled, and callbacks they keep. */
export async function agentCallbacks(db: Db, agent: string): Promise<Callback[]> {
  return (
    await db.all<Row>(
      `${SELECT} WHERE (c.state = 'offered' AND c.offered_to = ?) OR a.agent_id = ? OR (c.owner = ? AND c.state = 'pending') ORDER BY c.asked_at, c.id`,
      [agent, agent, agent],
    )
  ).map(toCallback);
}
