import { randomUUID } from 'node:crypto';
import { value, type Db } from './sql';
import { getEntry } from './manual';
import { maskPersonalData } from '../../shared/masking';
import type { PhoneContext } from '../../shared/phone';
import { plainLine, plainLines } from '../../shared/plain-text';
import { SEOUL_OFFSET_MS } from '../../shared/seoul-time';
import { clipSms, LMS_MAX_BYTES, measureSms, sendableText } from '../../shared/sms/sms-bytes';
import type { ReceiptBatch } from '../../shared/text-inquiry';
import { getSetting } from './settings';

/** A Korean mobile number: the only numbers an SMS can reach. */
const MOBILE = /^\+8210\d{7,8}$/;
// Texts in 24 hours: an agent sends a few per call at most (50 calls a day), a citizen needs a
// few; beyond, a text is refused and kept, with the reason, for the team lead.
export const SMS_PER_AGENT_DAY = 100;
export const SMS_PER_NUMBER_DAY = 10;
const DAY_MS = 86_400_000;

export interface SmsRow {
  recordId: string;
  entryId: string;
  recipient: string;
  text: string;
  /** 'queued' until the carrier took it (a failed attempt keeps it queued, with its error); 'refused' over a quota. */
  status: 'queued' | 'sent' | 'refused';
  createdAt: string;
  sentAt: string | null;
  error: string | null;
  /** The carrier's receipt: delivered to the phone, or not. */
  delivery: 'delivered' | 'failed' | null;
}

/**
 * The message for a manual entry: its title and the start of its text, in what the carriers can
 * send (EUC-KR: no emoji) and within an LMS's 2,000 bytes.
 */
export function smsText(title: string, body: string): string {
  // Only text reaches the carrier: no control characters (an SMS gateway's protocol may read them).
  const text = sendableText(plainLines(`[민원 안내] ${plainLine(title)}\n${body}`));
  // Cut short, it says so ('…' is two bytes in EUC-KR).
  return measureSms(text).kind === 'too-long' ? `${clipSms(text, LMS_MAX_BYTES - 2)}…` : text;
}

/**
 * Queues the entries an agent pinned for the caller of a new record, to that caller only. Nothing
 * for a number an SMS cannot reach (withheld, landline) or an entry that no longer exists; a record
 * already queued queues nothing again. Over the agent's or the number's quota a text is kept as
 * refused, never sent. Returns how many were queued.
 */
export async function queueSms(db: Db, r: { id: string; agentId: string; callerE164: string | null; smsEntryIds: readonly string[] }, now: Date): Promise<number> {
  // Most records pin nothing: they cost no statement at all.
  if (r.smsEntryIds.length === 0 || !r.callerE164) return 0;
  let queued = 0;
  for (const id of new Set(r.smsEntryIds)) {
    const entry = await getEntry(db, id);
    if (entry && (await queueText(db, { key: r.id, part: id, recipient: r.callerE164, text: smsText(entry.title, entry.sections?.sms ?? entry.body), agentId: r.agentId }, now))) queued++;
  }
  return queued;
}

/**
 * Queues one text to a citizen under `key` and `part` (a record and an entry; a reservation and
 * what happened to it; a text thread and a reply): once, whatever is repeated; only to a mobile
 * number; over the sender's or the number's daily quota kept as refused, with the reason (a
 * `conversation`, answering the citizen's own text, is held to the sender's quota only). What
 * the carriers cannot send is replaced, and the text cut to an LMS. Returns whether it was queued.
 */
export async function queueText(db: Db, t: { key: string; part: string; recipient: string; text: string; agentId: string; conversation?: boolean }, now: Date): Promise<boolean> {
  if (!MOBILE.test(t.recipient)) return false;
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const sentBy = (column: 'agent_id' | 'recipient', who: string) =>
    value<number>(db, `SELECT COUNT(*) AS n FROM sms_outbox WHERE ${column} = ? AND created_at > ? AND status != 'refused'`, [who, since]) as Promise<number>;
  const refusal =
    (await sentBy('agent_id', t.agentId)) >= SMS_PER_AGENT_DAY
      ? `over the agent's ${SMS_PER_AGENT_DAY} texts a day`
      : !t.conversation && (await sentBy('recipient', t.recipient)) >= SMS_PER_NUMBER_DAY
        ? `over ${SMS_PER_NUMBER_DAY} texts a day to one number`
        : null;
  const added = await db.run(
    'INSERT INTO sms_outbox(record_id, entry_id, recipient, text, status, created_at, agent_id, error, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    // What no carrier sends (emoji in a slot's topic) is replaced here: a carrier refuses the whole text.
    [t.key, t.part, t.recipient, clipSms(sendableText(plainLines(t.text)), LMS_MAX_BYTES), refusal ? 'refused' : 'queued', now.toISOString(), t.agentId, refusal, randomUUID()],
  );
  return !refusal && added > 0;
}

/** Whether `now` is within the city's sending hours (Korea time: UTC+9, no daylight saving). */
export function withinSmsHours(hours: { from: string; to: string }, now: Date): boolean {
  const kst = new Date(now.getTime() + SEOUL_OFFSET_MS);
  const minute = kst.getUTCHours() * 60 + kst.getUTCMinutes();
  const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const [from, to] = [at(hours.from), at(hours.to)];
  // A window past midnight (22:00–06:00) wraps.
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

export async function listSms(db: Db, limit: number): Promise<SmsRow[]> {
  return db.all<SmsRow>(
    'SELECT record_id AS "recordId", entry_id AS "entryId", recipient, text, status, created_at AS "createdAt", sent_at AS "sentAt", error, delivery FROM sms_outbox ORDER BY created_at DESC LIMIT ?',
    [limit],
  );
}

/** One text as the city hands it to the carrier. */
export interface CarrierMessage {
  /** The city's reference: the carrier takes a reference once, and its receipt names it. */
  ref: string;
  /** The city's registered sender number. */
  from: string;
  to: string;
  kind: 'sms' | 'lms';
  text: string;
}

/** The carrier refused a text for good (it is not worth sending again), as against being out of reach. */
export class CarrierRefused extends Error {}

/**
 * The city's SMS gateway (outside this system: a carrier's API). Resolves to the carrier's id for
 * the text; rejects with CarrierRefused for a text it will never take.
 */
export interface SmsCarrier {
  send(m: CarrierMessage): Promise<{ messageId: string }>;
}

// A claim older than this was left by an instance that stopped mid-send: its texts go again.
const CLAIM_MS = 5 * 60_000;

/**
 * Hands queued messages to the carrier, oldest first; a failure is kept with its reason and tried
 * again later (a refusal for good is kept as refused, and the rest go on). Each run first claims the texts it will send, in one write transaction, so that
 * server instances sharing a database never send one text twice.
 */
export function createSmsSender(deps: { db: Db; carrier: SmsCarrier; clock: () => Date; phone: PhoneContext }) {
  const { db } = deps;
  let running: Promise<number> | null = null;
  async function flush(): Promise<number> {
    let count = 0;
    // Outside the city's sending hours texts wait, queued, for the morning.
    if (!withinSmsHours(await getSetting(db, 'smsHours'), deps.clock())) return 0;
    const claim = randomUUID();
    const now = deps.clock();
    // A write transaction: on PostgreSQL writers take their turn, so two claims never overlap.
    await db.write((tx) =>
      tx.run(
        `UPDATE sms_outbox SET claimed_by = ?, claimed_at = ?
         WHERE (record_id, entry_id) IN (
           SELECT record_id, entry_id FROM sms_outbox
           WHERE status = 'queued' AND (claimed_at IS NULL OR claimed_at < ?) ORDER BY created_at LIMIT 50)`,
        [claim, now.toISOString(), new Date(now.getTime() - CLAIM_MS).toISOString()],
      ),
    );
    const mine = await db.all<{ record_id: string; entry_id: string; recipient: string; text: string; ref: string | null }>(
      'SELECT record_id, entry_id, recipient, text, ref FROM sms_outbox WHERE claimed_by = ? ORDER BY created_at',
      [claim],
    );
    const from = (await getSetting(db, 'texts')).senderNumber.replaceAll('-', '');
    for (const m of mine) {
      try {
        // Texts queued before references were kept get theirs before they first go out.
        const ref = m.ref ?? randomUUID();
        if (m.ref === null) await db.run('UPDATE sms_outbox SET ref = ? WHERE record_id = ? AND entry_id = ?', [ref, m.record_id, m.entry_id]);
        const kind = measureSms(m.text).kind === 'sms' ? 'sms' : 'lms';
        const { messageId } = await deps.carrier.send({ ref, from, to: m.recipient, kind, text: m.text });
        // Once sent, the city keeps the text as records are kept: personal numbers masked.
        await db.run(
          "UPDATE sms_outbox SET status = 'sent', sent_at = ?, error = NULL, claimed_by = NULL, claimed_at = NULL, carrier_id = ?, kind = ?, text = ? WHERE record_id = ? AND entry_id = ?",
          [deps.clock().toISOString(), messageId.slice(0, 100), kind, maskPersonalData(m.text, deps.phone).text, m.record_id, m.entry_id],
        );
        count++;
      } catch (e) {
        const reason = (e as Error).message.slice(0, 300);
        // The carrier will never take this one (a number it does not serve, a text it refuses):
        // kept as refused, with its reason, and the texts behind it go on.
        if (e instanceof CarrierRefused) {
          await db.run("UPDATE sms_outbox SET status = 'refused', error = ?, claimed_by = NULL, claimed_at = NULL WHERE record_id = ? AND entry_id = ?", [reason, m.record_id, m.entry_id]);
          continue;
        }
        await db.run('UPDATE sms_outbox SET error = ? WHERE record_id = ? AND entry_id = ?', [reason, m.record_id, m.entry_id]);
        break;
      }
    }
    // What this run did not send (the carrier failed) is free for the next run, here or elsewhere.
    await db.run('UPDATE sms_outbox SET claimed_by = NULL, claimed_at = NULL WHERE claimed_by = ?', [claim]);
    return count;
  }
  return {
    /** Sends what is queued; concurrent calls share one run. Resolves to the number sent. */
    flush(): Promise<number> {
      running ??= flush().finally(() => (running = null));
      return running;
    },
  };
}

/**
 * Takes the carrier's receipts: each names the text by the city's reference. A receipt for a text
 * the city does not know (purged, another city's) is counted, not an error; a later receipt for
 * the same text replaces the earlier (a carrier reports "failed", then "delivered" on retry).
 */
export async function applyReceipts(db: Db, batch: ReceiptBatch, now: Date): Promise<{ applied: number; unknown: number }> {
  return db.write(async (tx) => {
    let applied = 0;
    for (const r of batch.receipts) {
      const at = new Date(Math.min(Date.parse(r.at), now.getTime())).toISOString();
      applied += await tx.run(
        'UPDATE sms_outbox SET delivery = ?, delivery_at = ?, error = ?, carrier_id = COALESCE(carrier_id, ?) WHERE ref = ? AND (delivery_at IS NULL OR delivery_at <= ?)',
        [r.status, at, r.status === 'failed' ? plainLine(r.reason ?? 'the carrier could not deliver it').slice(0, 300) : null, r.messageId ?? null, r.ref, at],
      );
    }
    return { applied, unknown: batch.receipts.length - applied };
  });
}
