import { z } from 'zod';
import { LMS_MAX_BYTES, measureSms } from './sms/sms-bytes';

// Text inquiries (문자상담, issue 20): a citizen's texts to the city's number arrive from the
// carrier's gateway, become one thread per citizen, are offered to agents like callbacks, and are
// answered from the desk within the carriers' limits (shared/sms/sms-bytes.ts).

/** Pictures a citizen's MMS may carry: what a phone camera or a screenshot makes. */
export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
/** Per picture, decoded: a phone's MMS picture is resized to about 300 KB by the carrier. */
export const MAX_MEDIA_BYTES = 500 * 1024;
export const MAX_MEDIA_PER_TEXT = 3;
/** An inbound text's characters: LMS carries 2,000 bytes, at most 2,000 characters. */
export const MAX_INBOUND_CHARS = 2000;

/** How the gateway may hand over the text: as JSON text, or the carrier's own EUC-KR bytes. */
export const INBOUND_ENCODINGS = ['utf-8', 'euc-kr'] as const;

/**
 * One inbound text as the city's SMS gateway posts it (`POST /api/sms/inbound`, signed). The
 * carrier's message id makes a text delivered twice one text. `encoding` is checked by the route
 * (an unknown one is refused by name, not as a malformed body).
 */
export const inboundTextSchema = z.strictObject({
  messageId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/),
  from: z.string().min(3).max(40),
  to: z.string().max(40).optional(),
  receivedAt: z.iso.datetime({ offset: true }),
  encoding: z.string().max(40).default('utf-8'),
  /** The text (utf-8). */
  text: z.string().max(MAX_INBOUND_CHARS).optional(),
  /** The text as the carrier's EUC-KR (CP949) bytes, base64 (encoding euc-kr). */
  textBase64: z.string().max(Math.ceil((MAX_INBOUND_CHARS * 2) / 3) * 4).optional(),
  media: z
    .array(z.strictObject({ type: z.string().max(100), dataBase64: z.string().max(Math.ceil(MAX_MEDIA_BYTES / 3) * 4) }))
    .max(MAX_MEDIA_PER_TEXT)
    .default([]),
});
export type InboundText = z.infer<typeof inboundTextSchema>;

export const RECEIPT_STATES = ['delivered', 'failed'] as const;
/** What the carrier says became of texts the city sent (`POST /api/sms/receipts`, signed). */
export const receiptBatchSchema = z.strictObject({
  receipts: z
    .array(
      z.strictObject({
        /** The city's reference it sent the text under. */
        ref: z.string().min(1).max(100),
        messageId: z.string().max(100).optional(),
        status: z.enum(RECEIPT_STATES),
        at: z.iso.datetime({ offset: true }),
        reason: z.string().max(200).optional(),
      }),
    )
    .min(1)
    .max(500),
});
export type ReceiptBatch = z.infer<typeof receiptBatchSchema>;

/** A reply as the desk's outbox delivers it: `id` is the message's, kept until the city has it. */
export const textReplyLineSchema = z.strictObject({
  id: z.uuid(),
  threadId: z.string().min(1).max(64),
  text: z.string().min(1).max(4000),
  at: z.iso.datetime({ offset: true }),
});
export type TextReplyLine = z.infer<typeof textReplyLineSchema>;
export const textReplyBatchSchema = z.strictObject({ events: z.array(z.unknown()).min(1).max(500) });

/** A reply's way: on the agent's desk until the city has it (`pending`), queued there, with the carrier, on the phone. */
export const DELIVERY_STATES = ['pending', 'queued', 'sent', 'delivered', 'failed', 'refused'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const textMessageSchema = z.strictObject({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  /** As stored: personal numbers masked. */
  body: z.string(),
  kind: z.enum(['sms', 'lms', 'mms']),
  at: z.string(),
  /** The agent who wrote a reply (username). */
  agent: z.string().nullable(),
  /** A reply's way to the citizen; null for the citizen's own texts. */
  delivery: z.enum(DELIVERY_STATES).nullable(),
  deliveryAt: z.string().nullable(),
  error: z.string().nullable(),
  media: z.array(z.strictObject({ id: z.string(), type: z.string(), bytes: z.number().int() })),
});
export type TextMessage = z.infer<typeof textMessageSchema>;

export const textThreadSchema = z.strictObject({
  id: z.string(),
  /** E.164. */
  number: z.string(),
  state: z.enum(['open', 'closed']),
  openedAt: z.string(),
  /** The citizen's latest text. */
  lastInAt: z.string(),
  /** When the first answer is due (the city's setting, counted in opening hours). */
  firstResponseDue: z.string(),
  firstResponseAt: z.string().nullable(),
  /** The agent (username) who answers it; null: anyone may. */
  assignedTo: z.string().nullable(),
  offeredTo: z.string().nullable(),
  offerUntil: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** The start of the latest message, for lists. */
  preview: z.string(),
  messages: z.array(textMessageSchema).optional(),
});
export type TextThread = z.infer<typeof textThreadSchema>;

/** How the city runs its text line. */
export const textPolicySchema = z.strictObject({
  /** The city's registered sender number (전기통신사업법 제84조의2): replies go out from it. */
  senderNumber: z.string().regex(/^[0-9-]{4,20}$/),
  /** The first answer is due this long after a text arrives (counted from opening when it came outside hours). */
  firstResponseMinutes: z.number().int().min(1).max(10_080),
  /** A text to a thread closed less than this long ago reopens it; later it opens a new one. */
  reopenHours: z.number().int().min(0).max(720),
  /** Open threads an agent answers at once before no more are offered to them. */
  maxThreadsPerAgent: z.number().int().min(1).max(20),
  /** Answers agents start from. */
  templates: z.array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,32}$/), title: z.string().min(1).max(40), text: z.string().min(1).max(1000) })).max(50),
});
export type TextPolicy = z.infer<typeof textPolicySchema>;

/** Why the carriers would not take `text` as a reply (over an LMS, characters outside EUC-KR), or null. */
export function replyRefusal(text: string): string | null {
  const m = measureSms(text);
  if (m.kind === 'too-long') return `over ${LMS_MAX_BYTES} bytes (${m.bytes}): longer than an LMS`;
  if (m.unsendable.length > 0) return `characters the carriers cannot send: ${[...new Set(m.unsendable.map((u) => u.char))].join(' ')}`;
  return null;
}
