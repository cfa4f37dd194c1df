import { randomUUID } from 'node:crypto';
import { nextOpening, type OpeningHours } from '../../shared/callback';
import type { DeliveryState, MediaType, TextMessage, TextPolicy, TextReplyLine, TextThread } from '../../shared/text-inquiry';
import { passedRecently, username, withPass, type ReadyAgent } from './callbacks';
import { queueText } from './sms';
import type { Db } from './sql';

// Text inquiries (issue 20). As with callbacks, every change runs in one write transaction (the
// store's one write lock on either engine), and the indexes hold what must never break even so:
// one open thread per number, one offer per agent, each carrier message once.

const HOUR_MS = 3_600_000;

interface ThreadRow {
  id: string;
  number_e164: string;
  state: 'open' | 'closed';
  opened_at: string;
  last_in_at: string;
  first_response_due: string;
  first_response_at: string | null;
  assigned_to: string | null;
  offered_to: string | null;
  offer_until: string | null;
  closed_at: string | null;
  preview: string | null;
}

const SELECT_THREAD = `SELECT t.id, t.number_e164, t.state, t.opened_at, t.last_in_at, t.first_response_due, t.first_response_at,
  ${username('t.assigned_to')} AS assigned_to, ${username('t.offered_to')} AS offered_to, t.offer_until, t.closed_at,
  (SELECT m.body FROM text_messages m WHERE m.thread_id = t.id ORDER BY m.at DESC, m.id DESC LIMIT 1) AS preview
  FROM text_threads t`;

const PREVIEW_CHARS = 80;

function toThread(r: ThreadRow): TextThread {
  return {
    id: r.id,
    number: r.number_e164,
    state: r.state,
    openedAt: r.opened_at,
    lastInAt: r.last_in_at,
    firstResponseDue: r.first_response_due,
    firstResponseAt: r.first_response_at,
    assignedTo: r.assigned_to,
    offeredTo: r.offered_to,
    offerUntil: r.offer_until,
    closedAt: r.closed_at,
    preview: [...(r.preview ?? '')].slice(0, PREVIEW_CHARS).join(''),
  };
}

interface MessageRow {
  id: string;
  direction: 'in' | 'out';
  body: string;
  kind: 'sms' | 'lms' | 'mms';
  at: string;
  agent: string | null;
  status: 'queued' | 'sent' | 'refused' | null;
  delivery: 'delivered' | 'failed' | null;
  sent_at: string | null;
  delivery_at: string | null;
  error: string | null;
}

/** A reply's way to the citizen, from its line in the city's SMS queue and the carrier's receipt. */
function deliveryOf(m: MessageRow): { delivery: DeliveryState | null; deliveryAt: string | null } {
  if (m.direction === 'in') return { delivery: null, deliveryAt: null };
  if (m.delivery) return { delivery: m.delivery, deliveryAt: m.delivery_at };
  if (m.status === 'sent') return { delivery: 'sent', deliveryAt: m.sent_at };
  return { delivery: m.status === 'refused' ? 'refused' : 'queued', deliveryAt: null };
}

export async function getThread(db: Db, id: string, withMessages = false): Promise<TextThread | null> {
  const r = await db.get<ThreadRow>(`${SELECT_THREAD} WHERE t.id = ?`, [id]);
  if (!r) return null;
  const thread = toThread(r);
  if (!withMessages) return thread;
  const rows = await db.all<MessageRow>(
    `SELECT m.id, m.direction, m.body, m.kind, m.at, ${username('m.agent_id')} AS agent, o.status, o.delivery, o.sent_at, o.delivery_at, o.error
     FROM text_messages m LEFT JOIN sms_outbox o ON o.record_id = m.thread_id AND o.entry_id = m.id
     WHERE m.thread_id = ? ORDER BY m.at, m.id`,
    [id],
  );
  const media = await db.all<{ id: string; message_id: string; type: string; bytes: number }>(
    'SELECT d.id, d.message_id, d.type, d.bytes FROM text_media d JOIN text_messages m ON m.id = d.message_id WHERE m.thread_id = ? ORDER BY d.id',
    [id],
  );
  const messages: TextMessage[] = rows.map((m) => ({
    id: m.id,
    direction: m.direction,
    body: m.body,
    kind: m.kind,
    at: m.at,
    agent: m.agent,
    ...deliveryOf(m),
    error: m.direction === 'out' ? m.error : null,
    media: media.filter((d) => d.message_id === m.id).map((d) => ({ id: d.id, type: d.type, bytes: Number(d.bytes) })),
  }));
  return { ...thread, messages };
}

export interface InboundMessage {
  /** The carrier's id: a text delivered twice is taken once. */
  carrierId: string;
  /** E.164. */
  number: string;
  /** As stored: personal numbers already masked. */
  body: string;
  kind: 'sms' | 'lms' | 'mms';
  receivedAt: Date;
  media: readonly { type: MediaType; bytes: number; dataBase64: string }[];
}

export interface InboundTaken {
  threadId: string;
  messageId: string;
  duplicate: boolean;
  /** What the text did to its citizen's thread. */
  thread: 'opened' | 'reopened' | 'joined';
}

/**
 * Stores a citizen's text, once per carrier message id, in their open thread: a thread closed
 * less than the city's reopening time ago is opened again (its conversation goes on, offered
 * anew); otherwise a new one opens. The first answer is due the city's time after the text,
 * counted from opening when it came outside opening hours.
 */
export async function takeInbound(db: Db, m: InboundMessage, o: { now: Date; policy: TextPolicy; hours: OpeningHours }): Promise<InboundTaken> {
  return db.write(async (tx) => {
    const seen = await tx.get<{ id: string; thread_id: string }>("SELECT id, thread_id FROM text_messages WHERE carrier_id = ? AND direction = 'in'", [m.carrierId]);
    if (seen) return { threadId: seen.thread_id, messageId: seen.id, duplicate: true, thread: 'joined' };
    const now = o.now.toISOString();
    // A text stamped later than it arrived (a gateway's clock ahead) counts from its arrival.
    const at = new Date(Math.min(m.receivedAt.getTime(), o.now.getTime())).toISOString();
    const due = new Date(nextOpening(o.hours, o.now).getTime() + o.policy.firstResponseMinutes * 60_000).toISOString();
    const open = await tx.get<{ id: string }>("SELECT id FROM text_threads WHERE number_e164 = ? AND state = 'open'", [m.number]);
    let threadId: string;
    let thread: InboundTaken['thread'];
    if (open) {
      threadId = open.id;
      thread = 'joined';
      // A citizen writing again before anyone answered keeps their first due time.
      await tx.run('UPDATE text_threads SET last_in_at = ?, updated_at = ? WHERE id = ?', [at, now, threadId]);
    } else {
      const recent = await tx.get<{ id: string }>(
        "SELECT id FROM text_threads WHERE number_e164 = ? AND state = 'closed' AND closed_at > ? ORDER BY closed_at DESC LIMIT 1",
        [m.number, new Date(o.now.getTime() - o.policy.reopenHours * HOUR_MS).toISOString()],
      );
      if (recent) {
        threadId = recent.id;
        thread = 'reopened';
        await tx.run(
          `UPDATE text_threads SET state = 'open', last_in_at = ?, first_response_due = ?, first_response_at = NULL, assigned_to = NULL,
             closed_at = NULL, closed_by = NULL, passed = '[]', updated_at = ? WHERE id = ?`,
          [at, due, now, threadId],
        );
      } else {
        threadId = randomUUID();
        thread = 'opened';
        await tx.run(
          "INSERT INTO text_threads(id, number_e164, state, opened_at, last_in_at, first_response_due, updated_at) VALUES (?, ?, 'open', ?, ?, ?, ?)",
          [threadId, m.number, at, at, due, now],
        );
      }
    }
    const messageId = randomUUID();
    await tx.run("INSERT INTO text_messages(id, thread_id, direction, carrier_id, body, kind, at) VALUES (?, ?, 'in', ?, ?, ?, ?)", [messageId, threadId, m.carrierId, m.body, m.kind, at]);
    for (const p of m.media) await tx.run('INSERT INTO text_media(id, message_id, type, bytes, data) VALUES (?, ?, ?, ?, ?)', [randomUUID(), messageId, p.type, p.bytes, p.dataBase64]);
    return { threadId, messageId, duplicate: false, thread };
  });
}

export interface ThreadOffer {
  threadId: string;
  agent: string;
  until: string;
}

/**
 * One round of text offers, after the callbacks': lapsed offers go back (their agent passed),
 * and — unless calls are waiting, which come first — each ready agent with room for another
 * thread and no offer out, longest ready first, is offered the open unassigned thread whose
 * first answer is due soonest. `busy` agents (just offered a callback) are left for this round.
 */
export async function offerThreads(
  db: Db,
  o: { ready: readonly ReadyAgent[]; busy: ReadonlySet<string>; callsWaiting: number; now: Date; offerSeconds: number; maxPerAgent: number },
): Promise<ThreadOffer[]> {
  const now = o.now.toISOString();
  return db.write(async (tx) => {
    for (const lapsed of await tx.all<{ id: string; offered_to: string; passed: string }>('SELECT id, offered_to, passed FROM text_threads WHERE offered_to IS NOT NULL AND offer_until <= ?', [now])) {
      await passBack(tx, lapsed, now);
    }
    if (o.callsWaiting > 0 || o.ready.length === 0) return [];
    const load = new Map(
      (await tx.all<{ agent: string; n: number }>("SELECT assigned_to AS agent, COUNT(*) AS n FROM text_threads WHERE state = 'open' AND assigned_to IS NOT NULL GROUP BY assigned_to")).map((r) => [
        r.agent,
        Number(r.n),
      ]),
    );
    const offered = new Set((await tx.all<{ agent: string }>('SELECT offered_to AS agent FROM text_threads WHERE offered_to IS NOT NULL')).map((r) => r.agent));
    const free = [...o.ready]
      .filter((a) => !o.busy.has(a.id) && !offered.has(a.id) && (load.get(a.id) ?? 0) < o.maxPerAgent)
      .sort((a, b) => a.since.getTime() - b.since.getTime() || (a.id < b.id ? -1 : 1));
    if (free.length === 0) return [];
    const waiting = await tx.all<{ id: string; passed: string }>(
      "SELECT id, passed FROM text_threads WHERE state = 'open' AND assigned_to IS NULL AND offered_to IS NULL ORDER BY first_response_due, id LIMIT 500",
    );
    const until = new Date(o.now.getTime() + o.offerSeconds * 1000).toISOString();
    const offers: ThreadOffer[] = [];
    const taken = new Set<string>();
    for (const agent of free) {
      const pick = waiting.find((t) => !taken.has(t.id) && !passedRecently(t.passed, agent.id, o.now.getTime()));
      if (!pick) continue;
      taken.add(pick.id);
      const changed = await tx.run('UPDATE text_threads SET offered_to = ?, offer_until = ?, updated_at = ? WHERE id = ? AND offered_to IS NULL AND assigned_to IS NULL', [agent.id, until, now, pick.id]);
      if (changed === 1) offers.push({ threadId: pick.id, agent: agent.id, until });
    }
    return offers;
  });
}

async function passBack(tx: Db, t: { id: string; offered_to: string; passed: string }, now: string): Promise<void> {
  await tx.run('UPDATE text_threads SET offered_to = NULL, offer_until = NULL, passed = ?, updated_at = ? WHERE id = ?', [withPass(t.passed, t.offered_to, now), now, t.id]);
}

/**
 * An agent takes a thread: the one offered to them, or any open one nobody answers yet (the first
 * who answers takes it). Null when another agent has it or it is closed.
 */
export async function takeThread(db: Db, id: string, agent: string, now: Date): Promise<TextThread | null> {
  return db.write(async (tx) => {
    const changed = await tx.run(
      "UPDATE text_threads SET assigned_to = ?, offered_to = NULL, offer_until = NULL, updated_at = ? WHERE id = ? AND state = 'open' AND (assigned_to IS NULL OR assigned_to = ?)",
      [agent, now.toISOString(), id, agent],
    );
    return changed === 1 ? getThread(tx, id) : null;
  });
}

/** The agent lets an offer go to the next agent; null when it was not theirs. */
export async function declineThread(db: Db, id: string, agent: string, now: Date): Promise<TextThread | null> {
  return db.write(async (tx) => {
    const t = await tx.get<{ id: string; offered_to: string; passed: string }>('SELECT id, offered_to, passed FROM text_threads WHERE id = ? AND offered_to = ?', [id, agent]);
    if (!t) return null;
    await passBack(tx, t, now.toISOString());
    return getThread(tx, id);
  });
}

/** A team lead gives an open thread to one agent (an offer out is withdrawn). */
export async function assignThread(db: Db, id: string, agent: string, now: Date): Promise<TextThread | null> {
  return db.write(async (tx) => {
    const changed = await tx.run("UPDATE text_threads SET assigned_to = ?, offered_to = NULL, offer_until = NULL, updated_at = ? WHERE id = ? AND state = 'open'", [agent, now.toISOString(), id]);
    return changed === 1 ? getThread(tx, id) : null;
  });
}

export type ReplyRefusal = 'no-thread' | 'not-yours' | 'other-thread';

/**
 * Takes an agent's reply (a line of their desk's outbox; its id is the message's): stored once,
 * masked, and queued to the carrier under its thread and id. The first reply takes a thread
 * nobody answers yet and answers its first-response time; a thread another agent answers is
 * theirs (a team lead may write into any). The same line again is stored once.
 */
export async function takeReply(
  db: Db,
  r: { line: TextReplyLine; stored: string; kind: 'sms' | 'lms'; by: { id: string; lead: boolean }; now: Date },
): Promise<'stored' | ReplyRefusal> {
  return db.write(async (tx) => {
    const seen = await tx.get<{ thread_id: string }>("SELECT thread_id FROM text_messages WHERE id = ? AND direction = 'out'", [r.line.id]);
    if (seen) return seen.thread_id === r.line.threadId ? 'stored' : 'other-thread';
    const t = await tx.get<{ number_e164: string; assigned_to: string | null; state: string }>('SELECT number_e164, assigned_to, state FROM text_threads WHERE id = ?', [r.line.threadId]);
    if (!t) return 'no-thread';
    if (t.assigned_to !== null && t.assigned_to !== r.by.id && !r.by.lead) return 'not-yours';
    // Never later than now: a line kept through an outage is dated when the agent wrote it.
    const at = new Date(Math.min(Date.parse(r.line.at), r.now.getTime())).toISOString();
    await tx.run("INSERT INTO text_messages(id, thread_id, direction, body, kind, at, agent_id) VALUES (?, ?, 'out', ?, ?, ?, ?)", [r.line.id, r.line.threadId, r.stored, r.kind, at, r.by.id]);
    await tx.run(
      `UPDATE text_threads SET assigned_to = CASE WHEN state = 'open' THEN COALESCE(assigned_to, ?) ELSE assigned_to END,
         offered_to = CASE WHEN assigned_to IS NULL THEN NULL ELSE offered_to END, offer_until = CASE WHEN assigned_to IS NULL THEN NULL ELSE offer_until END,
         first_response_at = COALESCE(first_response_at, ?), updated_at = ? WHERE id = ?`,
      [r.by.id, at, r.now.toISOString(), r.line.threadId],
    );
    // The citizen asked: their own thread is not held to the per-number quota, only the agent's.
    await queueText(tx, { key: r.line.threadId, part: r.line.id, recipient: t.number_e164, text: r.line.text, agentId: r.by.id, conversation: true }, r.now);
    return 'stored';
  });
}

/**
 * Closes a thread: its wrap-up record arrived (by the agent who answers it), or a team lead closed
 * it (a wrong number, spam). False when it was not open or not theirs to close.
 */
export async function closeThread(db: Db, id: string, by: { id: string; lead: boolean }, now: Date): Promise<boolean> {
  const changed = await db.run(
    "UPDATE text_threads SET state = 'closed', closed_at = ?, closed_by = ?, offered_to = NULL, offer_until = NULL, updated_at = ? WHERE id = ? AND state = 'open' AND (assigned_to = ? OR CAST(? AS INTEGER) = 1)",
    [now.toISOString(), by.id, now.toISOString(), id, by.id, by.lead ? 1 : 0],
  );
  return changed === 1;
}

/**
 * Threads for a desk: an agent's own open ones, the one offered to them and everyone's unanswered
 * ones (the shared inbox); a team lead's: every open one. The first answer due soonest first.
 */
export async function listThreads(db: Db, viewer: { id: string; lead: boolean }, limit = 200): Promise<TextThread[]> {
  const rows = viewer.lead
    ? await db.all<ThreadRow>(`${SELECT_THREAD} WHERE t.state = 'open' ORDER BY t.first_response_due, t.id LIMIT ?`, [limit])
    : await db.all<ThreadRow>(
        `${SELECT_THREAD} WHERE t.state = 'open' AND (t.assigned_to = ? OR t.offered_to = ? OR t.assigned_to IS NULL) ORDER BY t.first_response_due, t.id LIMIT ?`,
        [viewer.id, viewer.id, limit],
      );
  return rows.map(toThread);
}

/** A citizen's threads, newest first (their history on the desk beside their calls). */
export async function threadsOf(db: Db, e164: string, limit: number): Promise<TextThread[]> {
  return (await db.all<ThreadRow>(`${SELECT_THREAD} WHERE t.number_e164 = ? ORDER BY t.opened_at DESC LIMIT ?`, [e164, limit])).map(toThread);
}

/** One picture of a citizen's text, with the number whose it is (for the access log). */
export async function getMedia(db: Db, id: string): Promise<{ type: string; data: Buffer; number: string } | null> {
  const r = await db.get<{ type: string; data: string; number_e164: string }>(
    'SELECT d.type, d.data, t.number_e164 FROM text_media d JOIN text_messages m ON m.id = d.message_id JOIN text_threads t ON t.id = m.thread_id WHERE d.id = ?',
    [id],
  );
  return r ? { type: r.type, data: Buffer.from(r.data, 'base64'), number: r.number_e164 } : null;
}
