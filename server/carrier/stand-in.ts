import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { measureSms } from '../../shared/sms/sms-bytes';
import { checkSignature, SIGNATURE_HEADER, signBody } from '../http/signed-request';
import type { CarrierMessage } from '../store/sms';

// Stands in for the SMS carrier and its gateway (outside our system) in the demo and the tests:
// the carrier's API the city sends texts to, and the gateway that posts citizens' texts and
// delivery receipts to the city. It checks what a Korean carrier checks (the signature, the
// byte limits of the kind named), takes each reference once, and records what it sent.

export type ReceiptMode = 'delivered' | 'failed' | 'none';

export interface SentText extends CarrierMessage {
  messageId: string;
  at: string;
}

export interface StandInOptions {
  /** The city server's base URL. */
  city: string;
  secret: string;
  port?: number;
  host?: string;
  receipt?: ReceiptMode;
  receiptDelayMs?: number;
  clock?: () => Date;
  log?: (line: string) => void;
}

export interface RunningStandIn {
  url: string;
  sent(): readonly SentText[];
  close(): Promise<void>;
}

const messageSchema = z.strictObject({
  ref: z.string().min(1).max(100),
  from: z.string().regex(/^\d{4,20}$/),
  to: z.string().regex(/^\+?\d{6,20}$/),
  kind: z.enum(['sms', 'lms']),
  text: z.string().min(1),
});

const inboundRequestSchema = z.strictObject({
  from: z.string().max(40),
  text: z.string().optional(),
  textBase64: z.string().optional(),
  encoding: z.string().optional(),
  messageId: z.string().optional(),
  receivedAt: z.string().optional(),
  media: z.array(z.strictObject({ type: z.string(), dataBase64: z.string() })).optional(),
});

const controlSchema = z.strictObject({ receipt: z.enum(['delivered', 'failed', 'none']).optional(), receiptDelayMs: z.number().int().min(0).max(600_000).optional() });

const BODY_LIMIT = 4 * 1024 * 1024;
// A receipt the city could not take (it restarts) is sent again this often, for this long.
const RECEIPT_RETRY_MS = 1_000;
const RECEIPT_GIVE_UP_MS = 10 * 60_000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export async function startCarrierStandIn(o: StandInOptions): Promise<RunningStandIn> {
  const clock = o.clock ?? (() => new Date());
  const log = o.log ?? (() => undefined);
  const sent: SentText[] = [];
  const byRef = new Map<string, SentText>();
  let mode: ReceiptMode = o.receipt ?? 'delivered';
  let delay = o.receiptDelayMs ?? 200;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => (timers.delete(t), fn()), ms);
    timers.add(t);
  };

  /** Posts `body` to the city signed as the gateway signs; resolves to the city's status and answer. */
  const toCity = async (path: string, body: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(new URL(path, o.city), { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(o.secret, body, clock()) }, body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Kept as text.
    }
    return { status: res.status, body: parsed };
  };

  const sendReceipt = (m: SentText, status: 'delivered' | 'failed', since: number) => {
    const body = JSON.stringify({ receipts: [{ ref: m.ref, messageId: m.messageId, status, at: clock().toISOString(), ...(status === 'failed' ? { reason: '수신 거부 또는 결번' } : {}) }] });
    toCity('/api/sms/receipts', body)
      .then((r) => {
        if (r.status >= 500) throw new Error(`HTTP ${r.status}`);
        log(`receipt ${status} for ${m.ref}: city answered ${r.status}`);
      })
      .catch((e: Error) => {
        log(`receipt for ${m.ref} not taken (${e.message}): again in ${RECEIPT_RETRY_MS} ms`);
        if (Date.now() - since < RECEIPT_GIVE_UP_MS) later(RECEIPT_RETRY_MS, () => sendReceipt(m, status, since));
      });
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void>> = {
    'POST /messages': async (req, res, body) => {
      const check = checkSignature(o.secret, req.headers[SIGNATURE_HEADER] as string | undefined, body, clock());
      if (check !== 'ok') return answer(res, 401, { error: 'bad-signature', message: check });
      const m = messageSchema.safeParse(JSON.parse(body));
      if (!m.success) return answer(res, 400, { error: 'invalid', message: m.error.message });
      const measured = measureSms(m.data.text);
      if (measured.unsendable.length > 0) return answer(res, 400, { error: 'unsendable', message: `characters outside EUC-KR: ${measured.unsendable.map((u) => u.char).join('')}` });
      if (measured.kind === 'too-long' || (m.data.kind === 'sms' && measured.kind !== 'sms')) return answer(res, 400, { error: 'too-long', message: `${measured.bytes} bytes as ${m.data.kind}` });
      const seen = byRef.get(m.data.ref);
      if (seen) return answer(res, 200, { messageId: seen.messageId, duplicate: true });
      const text: SentText = { ...m.data, messageId: `SI${randomUUID().replaceAll('-', '').slice(0, 20)}`, at: clock().toISOString() };
      sent.push(text);
      byRef.set(text.ref, text);
      log(`sent ${text.kind} ${text.ref} to ${text.to} (${measured.bytes} bytes)`);
      const status = mode;
      if (status !== 'none') later(delay, () => sendReceipt(text, status, Date.now()));
      return answer(res, 200, { messageId: text.messageId });
    },
    'GET /sent': async (_req, res) => answer(res, 200, { messages: sent }),
    'POST /inbound': async (_req, res, body) => {
      const r = inboundRequestSchema.safeParse(JSON.parse(body));
      if (!r.success) return answer(res, 400, { error: 'invalid', message: r.error.message });
      const text = { ...r.data, messageId: r.data.messageId ?? `IN${randomUUID().replaceAll('-', '').slice(0, 20)}`, receivedAt: r.data.receivedAt ?? clock().toISOString() };
      const city = await toCity('/api/sms/inbound', JSON.stringify(text));
      return answer(res, 200, { messageId: text.messageId, city });
    },
    'POST /control': async (_req, res, body) => {
      const c = controlSchema.safeParse(JSON.parse(body));
      if (!c.success) return answer(res, 400, { error: 'invalid', message: c.error.message });
      mode = c.data.receipt ?? mode;
      delay = c.data.receiptDelayMs ?? delay;
      return answer(res, 200, { receipt: mode, receiptDelayMs: delay });
    },
  };

  const server: Server = createServer((req, res) => {
    const route = routes[`${req.method} ${(req.url ?? '').split('?')[0]}`];
    if (!route) return answer(res, 404, { error: 'not-found' });
    readBody(req)
      .then((body) => route(req, res, body))
      .catch((e: Error) => answer(res, e instanceof SyntaxError ? 400 : 500, { error: e instanceof SyntaxError ? 'bad-json' : 'internal', message: e.message }));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    sent: () => sent,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
