import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  agentCallbackRequestSchema,
  callbackOutcomeBatchSchema,
  callbackOutcomeEventSchema,
  callbackOutcomeSchema,
  CALLBACK_STATES,
  ivrCallbackRequestSchema,
  type CallbackOutcome,
  type CallbackState,
  type OpeningHours,
} from '../../shared/callback';
import { normalisePhone, type PhoneContext } from '../../shared/phone';
import { maskPersonalData } from '../../shared/masking';
import { plainLine } from '../../shared/plain-text';
import {
  acceptOffer,
  agentCallbacks,
  assignCallback,
  cancelCallback,
  declineOffer,
  getCallback,
  listCallbacks,
  markConnected,
  requestCallback,
  settleAttempt,
  type NewCallback,
} from '../store/callbacks';
import { getSetting } from '../store/settings';
import type { Db } from '../store/sql';
import { findUser } from '../store/users';
import { HttpError } from './http-error';
import { param, parse, requireUser } from './route-helpers';
import { checkSignature, SIGNATURE_HEADER } from './signed-request';

export interface CallbackRouteDeps {
  db: Db;
  clock: () => Date;
  phone: PhoneContext;
  /** The secret the city's PBX signs its IVR requests with; none: the IVR route answers 503. */
  pbxSecret?: string;
}

/** The IVR's route: signed by the PBX, not signed in (its body is read before anyone is known). */
export const IVR_CALLBACK_ROUTE = '/api/callbacks/ivr';

const listQuerySchema = z.strictObject({
  state: z.enum(['open', 'failed', 'done']).default('open'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const LIST_STATES: Record<'open' | 'failed' | 'done', readonly CallbackState[]> = {
  open: ['pending', 'offered', 'dialling', 'connected'],
  failed: ['failed'],
  done: CALLBACK_STATES.filter((s) => ['completed', 'cancelled', 'expired'].includes(s)),
};

/**
 * A number the city's trunk can dial back: a Korean one. A withheld caller, a short code or a
 * foreign number cannot be called back through it.
 */
export function dialable(raw: string, phone: PhoneContext): string {
  const n = normalisePhone(raw, phone);
  if (n.kind !== 'e164') throw new HttpError(400, 'invalid-number', n.kind === 'withheld' ? 'the caller withheld their number: no callback' : `not a phone number: ${plainLine(raw).slice(0, 40)}`);
  if (!n.e164.startsWith('+82')) throw new HttpError(400, 'foreign-number', 'callbacks go to Korean numbers only (the city trunk dials within Korea)');
  return n.e164;
}

/** Callbacks: requests (the IVR, agents), the agent's offer and dial, the team lead's queue. */
export function registerCallbackRoutes(app: FastifyInstance, deps: CallbackRouteDeps): void {
  const { db, clock } = deps;
  const take = async (n: NewCallback) => {
    const now = clock();
    const [policy, hours] = await Promise.all([getSetting(db, 'callbacks'), getSetting(db, 'openingHours')]);
    return requestCallback(db, n, { now, policy, hours });
  };
  const callbackId = (req: FastifyRequest) => param(req, 'id', 64, 'callback id');

  app.post(IVR_CALLBACK_ROUTE, { bodyLimit: 4 * 1024 }, async (req) => {
    if (!deps.pbxSecret) throw new HttpError(503, 'not-configured', 'the PBX integration has no secret on this server (MINWON_PBX_SECRET)');
    const check = checkSignature(deps.pbxSecret, req.headers[SIGNATURE_HEADER] as string | undefined, req.rawBody ?? '', clock());
    if (check !== 'ok') throw new HttpError(401, 'bad-signature', `the request is not signed by the PBX (${check})`);
    const body = parse(ivrCallbackRequestSchema, req.body, 'IVR callback request');
    const taken = await take({
      source: 'ivr',
      number: dialable(body.number, deps.phone),
      numberRaw: body.number,
      idempotencyKey: `ivr:${body.idempotencyKey}`,
      ...(body.callId ? { callId: body.callId } : {}),
      ...(body.ivr ? { topic: body.ivr } : {}),
    });
    return { id: taken.callback.id, dueAt: taken.callback.dueAt, merged: taken.merged, replayed: taken.replayed };
  });

  app.post('/api/callbacks', async (req) => {
    const user = requireUser(req);
    const body = parse(agentCallbackRequestSchema, req.body, 'callback request');
    const taken = await take({
      source: 'agent',
      number: dialable(body.number, deps.phone),
      numberRaw: body.number,
      createdBy: user.id,
      ...(body.dueAt ? { dueAt: new Date(body.dueAt) } : {}),
      // Notes are stored as records' are: one line, personal data masked.
      ...(body.note ? { note: maskPersonalData(plainLine(body.note), deps.phone).text } : {}),
      ...(body.callId ? { callId: body.callId } : {}),
      ...(body.keep ? { owner: user.id } : {}),
    });
    return { callback: taken.callback, merged: taken.merged };
  });

  app.get('/api/callbacks', async (req) => {
    requireUser(req, ['lead']);
    const q = parse(listQuerySchema, req.query, 'callbacks query');
    return { callbacks: await listCallbacks(db, { states: LIST_STATES[q.state], limit: q.limit }) };
  });

  app.get('/api/callbacks/mine', async (req) => ({ callbacks: await agentCallbacks(db, requireUser(req).id) }));

  app.post('/api/callbacks/:id/accept', async (req) => {
    const user = requireUser(req);
    const accepted = await acceptOffer(db, callbackId(req), user.id, clock());
    if (!accepted) throw new HttpError(409, 'not-offered', 'this callback is not offered to you (taken, withdrawn or lapsed)');
    return accepted;
  });

  app.post('/api/callbacks/:id/decline', async (req) => {
    const user = requireUser(req);
    const c = await declineOffer(db, callbackId(req), user.id, clock());
    if (!c) throw new HttpError(409, 'not-offered', 'this callback is not offered to you');
    return { callback: c };
  });

  app.post('/api/callbacks/:id/connected', async (req) => {
    const user = requireUser(req);
    const { attemptId } = parse(z.strictObject({ attemptId: z.string().max(64) }), req.body, 'attempt');
    if (!(await markConnected(db, callbackId(req), attemptId, user.id, clock()))) throw new HttpError(409, 'not-dialling', 'no dial of yours in flight for this callback');
    return { ok: true };
  });

  const settle = (user: { id: string; role: string }, hours: OpeningHours, o: { callbackId: string; attemptId: string; outcome: CallbackOutcome; at?: string }) =>
    settleAttempt(db, {
      ...o,
      by: { id: user.id, lead: user.role === 'lead' },
      // When the agent said it (a line the desk kept through an outage), never later than now.
      now: new Date(Math.min(clock().getTime(), o.at ? Date.parse(o.at) : Infinity)),
      hours,
    });
  const refusal = { 'no-attempt': 'no attempt in flight with that id (already settled?)', 'not-yours': 'another agent made this attempt: they or a team lead settle it' } as const;

  app.post('/api/callbacks/:id/outcome', async (req) => {
    const user = requireUser(req);
    const body = parse(callbackOutcomeSchema, req.body, 'outcome');
    const settled = await settle(user, await getSetting(db, 'openingHours'), { callbackId: callbackId(req), ...body });
    if (settled === 'no-attempt') throw new HttpError(409, 'no-attempt', refusal[settled]);
    if (settled === 'not-yours') throw new HttpError(403, 'forbidden', refusal[settled]);
    return { callback: settled };
  });

  // Outcomes from a desk's outbox: each line settles its attempt once; a line sent again is harmless.
  app.post('/api/callbacks/outcomes', async (req) => {
    const user = requireUser(req);
    const { events } = parse(callbackOutcomeBatchSchema, req.body, 'outcomes');
    const answer = { stored: 0, refused: [] as { index: number; reason: string }[] };
    const hours = await getSetting(db, 'openingHours');
    for (const [index, raw] of events.entries()) {
      const e = callbackOutcomeEventSchema.safeParse(raw);
      const settled = e.success ? await settle(user, hours, e.data) : null;
      if (settled === null) answer.refused.push({ index, reason: 'not an outcome line' });
      else if (typeof settled === 'string') answer.refused.push({ index, reason: refusal[settled] });
      else answer.stored++;
    }
    return answer;
  });

  app.post('/api/callbacks/:id/cancel', async (req) => {
    const user = requireUser(req);
    const id = callbackId(req);
    const c = await getCallback(db, id);
    if (!c) throw new HttpError(404, 'not-found', 'no such callback');
    if (user.role !== 'lead' && c.owner !== user.username) throw new HttpError(403, 'forbidden', 'a team lead, or the agent who keeps it, cancels a callback');
    const r = await cancelCallback(db, id, clock());
    if (r === 'dialling') throw new HttpError(409, 'dialling', 'a dial is in flight: settle its outcome first');
    if (r === 'not-open') throw new HttpError(409, 'not-open', `this callback is ${c.state}`);
    return { callback: r };
  });

  app.post('/api/callbacks/:id/assign', async (req) => {
    requireUser(req, ['lead']);
    const { agent } = parse(z.strictObject({ agent: z.string().max(64) }), req.body, 'assignment');
    const to = await findUser(db, agent);
    if (!to || to.role !== 'agent') throw new HttpError(404, 'not-found', `no agent ${plainLine(agent)}`);
    const c = await assignCallback(db, callbackId(req), to.id, { now: clock(), policy: await getSetting(db, 'callbacks') });
    if (!c) throw new HttpError(409, 'not-waiting', 'only a waiting callback can be given to an agent');
    return { callback: c };
  });
}
