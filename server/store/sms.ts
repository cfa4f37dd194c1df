import type { Db } from './db';
import { getEntry } from './manual';
import { plainLine, plainLines } from '../../shared/plain-text';

/** A Korean mobile number: the only numbers an SMS can reach. */
const MOBILE = /^\+8210\d{7,8}$/;
const MAX_TEXT = 900;

export interface SmsRow {
  recordId: string;
  entryId: string;
  recipient: string;
  text: string;
  /** 'queued' until the carrier took it (a failed attempt keeps it queued, with its error). */
  status: 'queued' | 'sent';
  createdAt: string;
  sentAt: string | null;
  error: string | null;
}

/** The message for a manual entry: its title and the start of its text. */
export function smsText(title: string, body: string): string {
  // Only text reaches the carrier: no control characters (an SMS gateway's protocol may read them).
  const text = plainLines(`[민원 안내] ${plainLine(title)}\n${body}`);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/**
 * Queues the entries an agent pinned for the caller of a new record. Nothing for a number an SMS
 * cannot reach (withheld, landline) or an entry that no longer exists; a record already queued
 * queues nothing again.
 */
export function queueSms(db: Db, r: { id: string; callerE164: string | null; smsEntryIds: readonly string[] }, now: Date): number {
  if (!r.callerE164 || !MOBILE.test(r.callerE164)) return 0;
  const insert = db.prepare(
    "INSERT OR IGNORE INTO sms_outbox(record_id, entry_id, recipient, text, status, created_at) VALUES (?, ?, ?, ?, 'queued', ?)",
  );
  let queued = 0;
  for (const id of new Set(r.smsEntryIds)) {
    const entry = getEntry(db, id);
    if (entry) queued += insert.run(r.id, id, r.callerE164, smsText(entry.title, entry.body), now.toISOString()).changes;
  }
  return queued;
}

export function listSms(db: Db, limit: number): SmsRow[] {
  return db
    .prepare(
      'SELECT record_id AS recordId, entry_id AS entryId, recipient, text, status, created_at AS createdAt, sent_at AS sentAt, error FROM sms_outbox ORDER BY created_at DESC LIMIT ?',
    )
    .all(limit) as SmsRow[];
}

/** The city's SMS gateway (outside this system: a carrier's API). */
export interface SmsCarrier {
  send(to: string, text: string): Promise<void>;
}

/** Hands queued messages to the carrier, oldest first; a failure is kept with its reason and tried again later. */
export function createSmsSender(deps: { db: Db; carrier: SmsCarrier; clock: () => Date }) {
  const next = deps.db.prepare("SELECT record_id, entry_id, recipient, text FROM sms_outbox WHERE status = 'queued' ORDER BY created_at LIMIT 50");
  const sent = deps.db.prepare("UPDATE sms_outbox SET status = 'sent', sent_at = ?, error = NULL WHERE record_id = ? AND entry_id = ?");
  const failed = deps.db.prepare('UPDATE sms_outbox SET error = ? WHERE record_id = ? AND entry_id = ?');
  let running: Promise<number> | null = null;
  async function flush(): Promise<number> {
    let count = 0;
    for (const m of next.all() as { record_id: string; entry_id: string; recipient: string; text: string }[]) {
      try {
        await deps.carrier.send(m.recipient, m.text);
        sent.run(deps.clock().toISOString(), m.record_id, m.entry_id);
        count++;
      } catch (e) {
        failed.run((e as Error).message.slice(0, 300), m.record_id, m.entry_id);
        break;
      }
    }
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
