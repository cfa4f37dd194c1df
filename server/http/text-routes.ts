import type { FastifyInstance, FastifyRequest } from 'fastify';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { maskPersonalData } from '../../shared/masking';
import { normalisePhone, type PhoneContext } from '../../shared/phone';
import { plainLine, plainLines } from '../../shared/plain-text';
import { measureSms } from '../../shared/sms/sms-bytes';
import {
  inboundTextSchema,
  MAX_MEDIA_BYTES,
  MEDIA_TYPES,
  receiptBatchSchema,
  replyRefusal,
  textReplyBatchSchema,
  textReplyLineSchema,
  type InboundText,
  type MediaType,
} from '../../shared/text-inquiry';
import { logAccess } from '../store/access-log';
import { getSetting } from '../store/settings';
import { applyReceipts } from '../store/sms';
import type { Db } from '../store/sql';
import { assignThread, closeThread, declineThread, getMedia, getThread, listThreads, takeInbound, takeReply, takeThread, threadsOf, type ReplyRefusal } from '../store/text-threads';
import { findUser } from '../store/users';
import { HttpError } from './http-error';
import { param, parse, requireUser } from './route-helpers';
import { checkSignature, SIGNATURE_HEADER } from './signed-request';

export interface TextRouteDeps {
  db: Db;
  clock: () => Date;
  phone: PhoneContext;
  /** The secret the city's SMS gateway signs inbound texts and receipts with; none: those routes answer 503. */
  smsSecret?: string;
  /** Replies were queued: hand them to the carrier now rather than at the sender's next round. */
  onQueued?: () => void;
  /** A thread opened (or reopened): offer it now rather than at the distributor's next round. */
  onOpened?: () => void;
}

/** The gateway's routes: signed by it, not signed in. */
export const SMS_INBOUND_ROUTE = '/api/sms/inbound';
export const SMS_RECEIPTS_ROUTE = '/api/sms/receipts';
/** Up to three pictures of 500 KB as base64, and the text. */
export const SMS_INBOUND_BODY_LIMIT = 3 * Math.ceil(MAX_MEDIA_BYTES / 3) * 4 + 64 * 1024;

// What the gateway may call the carrier's Korean encoding; the text is decoded as CP949, its superset.
const EUC_KR_NAMES = new Set(['euc-kr', 'cp949', 'ks_c_5601-1987', 'x-windows-949']);
const UTF_8_NAMES = new Set(['utf-8', 'utf8']);

// A picture is what its first bytes say, whatever type the gateway named.
const MAGIC: Record<MediaType, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/gif': (b) => b.length > 6 && ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')),
};

/** The text of an inbound message as a string, or a refusal naming the encoding. */
function decodeText(t: InboundText): string {
  const encoding = t.encoding.toLowerCase();
  if (UTF_8_NAMES.has(encoding)) {
    if (t.textBase64 !== undefined) throw new HttpError(400, 'invalid', 'utf-8 texts come as "text", not "textBase64"');
    return t.text ?? '';
  }
  if (EUC_KR_NAMES.has(encoding)) {
    if (t.text !== undefined) throw new HttpError(400, 'invalid', `${encoding} texts come as "textBase64" (the carrier's bytes)`);
    return iconv.decode(Buffer.from(t.textBase64 ?? '', 'base64'), 'cp949');
  }
  throw new HttpError(415, 'unknown-encoding', `unknown text encoding ${JSON.stringify(plainLine(t.encoding))}: utf-8 or euc-kr`);
}

/** The pictures, type-checked by content and size-limited, or a refusal. */
function checkMedia(t: InboundText): { type: MediaType; bytes: number; dataBase64: string }[] {
  return t.media.map((m, i) => {
    if (!(MEDIA_TYPES as readonly string[]).includes(m.type)) throw new HttpError(415, 'unsupported-media', `picture ${i + 1}: ${plainLine(m.type)} is not a picture the city keeps (JPEG, PNG, GIF)`);
    const data = Buffer.from(m.dataBase64, 'base64');
    if (data.length > MAX_MEDIA_BYTES) throw new HttpError(413, 'too-large', `picture ${i + 1} is over ${MAX_MEDIA_BYTES / 1024} KB`);
    if (!MAGIC[m.type as MediaType](data)) throw new HttpError(415, 'unsupported-media', `picture ${i + 1} is not a ${m.type} (its content says otherwise)`);
    return { type: m.type as MediaType, bytes: data.length, dataBase64: data.toString('base64') };
  });
}

const REPLY_REFUSALS: Record<ReplyRefusal, string> = {
  'no-thread': 'no such text thread',
  'not-yours': 'another agent answers this thread',
  'other-thread': 'this message id belongs to another thread',
};

/** Text inquiries: the gateway's inbound texts and receipts; the desks' threads, replies and pictures. */
export function registerTextRoutes(app: FastifyInstance, deps: TextRouteDeps): void {
  const { db, clock } = deps;
  const threadId = (req: FastifyRequest) => param(req, 'id', 64, 'thread id');
  const checkGateway = (req: FastifyRequest) => {
    if (!deps.smsSecret) throw new HttpError(503, 'not-configured', 'the SMS gateway has no secret on this server (MINWON_SMS_SECRET)');
    const check = checkSignature(deps.smsSecret, req.headers[SIGNATURE_HEADER] as string | undefined, req.rawBody ?? '', clock());
    if (check !== 'ok') throw new HttpError(401, 'bad-signature', `the request is not signed by the SMS gateway (${check})`);
  };

  // Stored before it is answered: a gateway that got no answer sends again, and the message id makes it one text.
  app.post(SMS_INBOUND_ROUTE, { bodyLimit: SMS_INBOUND_BODY_LIMIT }, async (req) => {
    checkGateway(req);
    const t = parse(inboundTextSchema, req.body, 'inbound text');
    const from = normalisePhone(t.from, deps.phone);
    if (from.kind !== 'e164') throw new HttpError(400, 'invalid-number', `not a citizen's number: ${plainLine(t.from).slice(0, 40)}`);
    const text = plainLines(decodeText(t));
    const media = checkMedia(t);
    if (text.trim() === '' && media.length === 0) throw new HttpError(400, 'empty', 'a text with neither words nor pictures');
    const now = clock();
    const [policy, hours] = await Promise.all([getSetting(db, 'texts'), getSetting(db, 'openingHours')]);
    const taken = await takeInbound(
      db,
      {
        carrierId: t.messageId,
        number: from.e164,
        body: maskPersonalData(text, deps.phone).text,
        kind: media.length > 0 ? 'mms' : measureSms(text).kind === 'sms' ? 'sms' : 'lms',
        receivedAt: new Date(t.receivedAt),
        media,
      },
      { now, policy, hours },
    );
    if (taken.thread !== 'joined') deps.onOpened?.();
    return taken;
  });

  app.post(SMS_RECEIPTS_ROUTE, async (req) => {
    checkGateway(req);
    return applyReceipts(db, parse(receiptBatchSchema, req.body, 'receipts'), clock());
  });

  app.get('/api/sms/threads', async (req) => {
    const user = requireUser(req);
    const q = parse(z.strictObject({ number: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }), req.query, 'threads query');
    if (q.number === undefined) return { threads: await listThreads(db, { id: user.id, lead: user.role === 'lead' }, q.limit) };
    const n = normalisePhone(q.number, deps.phone);
    if (n.kind !== 'e164') return { threads: [] };
    await logAccess(db, { actor: user.username, subject: n.e164, purpose: 'text-thread' }, clock());
    return { threads: await threadsOf(db, n.e164, 20) };
  });

  app.get('/api/sms/threads/:id', async (req) => {
    const user = requireUser(req);
    const thread = await getThread(db, threadId(req), true);
    if (!thread) throw new HttpError(404, 'not-found', 'no such text thread');
    await logAccess(db, { actor: user.username, subject: thread.number, purpose: 'text-thread' }, clock());
    return { thread };
  });

  app.post('/api/sms/threads/:id/take', async (req) => {
    const user = requireUser(req);
    const thread = await takeThread(db, threadId(req), user.id, clock());
    if (!thread) throw new HttpError(409, 'taken', 'another agent answers this thread, or it is closed');
    return { thread };
  });

  app.post('/api/sms/threads/:id/decline', async (req) => {
    const user = requireUser(req);
    const thread = await declineThread(db, threadId(req), user.id, clock());
    if (!thread) throw new HttpError(409, 'not-offered', 'this thread is not offered to you');
    return { thread };
  });

  app.post('/api/sms/threads/:id/assign', async (req) => {
    requireUser(req, ['lead']);
    const { agent } = parse(z.strictObject({ agent: z.string().max(64) }), req.body, 'assignment');
    const to = await findUser(db, agent);
    if (!to || to.role !== 'agent') throw new HttpError(404, 'not-found', `no agent ${plainLine(agent)}`);
    const thread = await assignThread(db, threadId(req), to.id, clock());
    if (!thread) throw new HttpError(409, 'not-open', 'only an open thread can be given to an agent');
    return { thread };
  });

  // A thread ends with its wrap-up record; a team lead may close one that needs none (a wrong number, spam).
  app.post('/api/sms/threads/:id/close', async (req) => {
    const user = requireUser(req, ['lead']);
    const id = threadId(req);
    if (!(await closeThread(db, id, { id: user.id, lead: true }, clock()))) throw new HttpError(409, 'not-open', 'this thread is not open');
    return { thread: await getThread(db, id) };
  });

  // Replies from a desk's outbox: each line stored and queued once; a line sent again is harmless.
  app.post('/api/sms/replies', async (req) => {
    const user = requireUser(req);
    const { events } = parse(textReplyBatchSchema, req.body, 'replies');
    const answer = { stored: 0, refused: [] as { index: number; reason: string }[] };
    for (const [index, raw] of events.entries()) {
      const line = textReplyLineSchema.safeParse(raw);
      if (!line.success) {
        answer.refused.push({ index, reason: 'not a reply line' });
        continue;
      }
      const text = plainLines(line.data.text);
      const refusal = replyRefusal(text);
      if (refusal) answer.refused.push({ index, reason: refusal });
      else {
        const kind = measureSms(text).kind === 'sms' ? 'sms' : 'lms';
        const r = await takeReply(db, { line: { ...line.data, text }, stored: maskPersonalData(text, deps.phone).text, kind, by: { id: user.id, lead: user.role === 'lead' }, now: clock() });
        if (r === 'stored') answer.stored++;
        else answer.refused.push({ index, reason: REPLY_REFUSALS[r] });
      }
    }
    if (answer.stored > 0) deps.onQueued?.();
    return answer;
  });

  app.get('/api/sms/media/:id', async (req, reply) => {
    const user = requireUser(req);
    const media = await getMedia(db, param(req, 'id', 64, 'picture id'));
    if (!media) throw new HttpError(404, 'not-found', 'no such picture');
    await logAccess(db, { actor: user.username, subject: media.number, purpose: 'text-thread' }, clock());
    // Shown as the picture it was checked to be, never sniffed as anything else.
    return reply.type(media.type).header('x-content-type-options', 'nosniff').header('content-disposition', 'inline').header('cache-control', 'private, no-store').send(media.data);
  });
}
