import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { DESK_ROLES, loginRequestSchema, ROLES, type LoginResponse } from '../../shared/auth';
import { accessBatchSchema } from '../../shared/access-log';
import { plainLine } from '../../shared/plain-text';
import { presenceSchema, type PresenceAnswer } from '../../shared/presence';
import { manualEntryInputSchema } from '../../shared/manual';
import { normalisePhone, type PhoneContext } from '../../shared/phone';
import { MAX_RECORDS_PER_BATCH, RECORD_LIMITS, recordBatchSchema } from '../../shared/record';
import { SYNC_PAGE, synonymSchema, usageBatchSchema } from '../../shared/sync';
import { syncPageJson } from '../store/change-log';
import { getEpoch } from '../store/db';
import type { Db } from '../store/sql';
import { deleteEntry, getEntry, upsertEntries } from '../store/manual';
import { BatchOwnerMismatch, callerHistory, intakeBatch, listRecords } from '../store/records';
import { deleteSynonym, listSynonyms, putSynonym } from '../store/synonyms';
import { putSetting } from '../store/settings';
import { applySlots, SlotConflict } from '../store/reservations';
import type { PresenceBoard } from '../store/presence';
import { listSms } from '../store/sms';
import { settingSchema, type Setting } from '../../shared/settings';
import { addUsage } from '../store/usage';
import { sipDomain, sipStunServers, sipWsUrl } from '../store/sip-provisioning';
import { authenticate, closeSession, findUser, listUsers, openSession, sessionUser, sipSecret, type User } from '../store/users';
import { HttpError } from './http-error';
import { createConcurrencyLimit } from './concurrency';
import { parseJsonBody } from './json-body';
import { createLoginThrottle } from './login-throttle';
import { bearerToken } from './session-auth';
import { param, parse, requireUser } from './route-helpers';
import { IVR_CALLBACK_ROUTE, registerCallbackRoutes } from './callback-routes';
import { registerReservationRoutes } from './reservation-routes';
import { registerKnowledgeRoutes } from './knowledge-routes';
import { registerSheetRoutes } from './sheet-routes';
import { registerAnalyticsRoutes } from './analytics-routes';
import { registerRecordingRoutes } from './recording-routes';
import type { RecordingVault } from '../recording/vault';
import { servePortal } from './portal-site';
import { registerTextRoutes, SMS_INBOUND_ROUTE, SMS_RECEIPTS_ROUTE } from './text-routes';
import { PUBLIC_FORM_ROUTES, registerPublicRoutes } from './public-routes';
import type { Distributor } from '../work/distributor';
import { serveUpdateFeed } from './update-feed';
import { checkSignatureHeader, SIGNATURE_HEADER } from './signed-request';
import { teamBoard } from '../store/board';
import { accessFromDesk, listAccess, logAccess } from '../store/access-log';
import { listPurges } from '../store/retention';
import type { Queue, TeamBoard } from '../../shared/board';
import { auditFromDesk, auditFromServer, deskAuditRefusal, issueGrant, listAudit, type MonitoringKey } from '../store/monitoring';
import { grantRequestSchema, monitorAuditBatchSchema, type GrantResponse } from '../../shared/monitoring';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface CityServerDeps {
  db: Db;
  clock: () => Date;
  phone: PhoneContext;
  logger: Logger;
  /** Where agents' presence goes for call distribution (the SIP server reads it). */
  presence: PresenceBoard;
  /** Lifetime of a login token; short so a stolen token is soon worthless. */
  tokenTtlMs?: number;
  /** The desks' update feed folder (one subfolder per channel); none: no feed. */
  updatesDir?: string;
  /** The built renderer (dist/renderer), whose portal.html is the knowledge portal served at /portal/; none: no portal. */
  portalDir?: string;
  /** Signs team leads' monitoring grants; its public half goes to every desk at login. */
  monitoringKey: MonitoringKey;
  /** Where call recordings are kept, sealed under the city's recording key. */
  recordingVault: RecordingVault;
  /** How long a request (headers and body) may take to arrive; a slow sender is cut off. */
  requestTimeoutMs?: number;
  /** Offers callbacks to ready agents; run at once when an agent turns ready. */
  distributor?: Distributor;
  /** The secret the city's PBX signs its IVR callback requests with. */
  pbxSecret?: string;
  /** The secret the city's SMS gateway signs inbound texts and receipts with. */
  smsSecret?: string;
  /** Replies were queued: the SMS sender goes at once. */
  onTextsQueued?: () => void;
  /**
   * The load balancers in front (addresses or CIDRs, comma-separated) whose X-Forwarded-For is
   * believed: without it every citizen and desk behind one would share its address in the login
   * throttle and the forms' rate limit.
   */
  trustProxy?: string;
}

// Bodies: small by default; the login's a few KB (it is read before anyone is known); a record
// batch may carry 4,000 characters of notes per record, 1,000 of them in Korean about 12 MB.
const BODY_LIMIT = 256 * 1024;
const LOGIN_BODY_LIMIT = 4 * 1024;
/** Routes whose small bodies are read from anyone: the login, requests machines sign (checked by the route), the citizens' forms. */
const OPEN_BODY_ROUTES = new Set<string>(['/api/auth/login', IVR_CALLBACK_ROUTE, SMS_INBOUND_ROUTE, SMS_RECEIPTS_ROUTE, ...PUBLIC_FORM_ROUTES]);
const RECORDS_BODY_LIMIT = MAX_RECORDS_PER_BATCH * RECORD_LIMITS.notes * 3 + (1 << 20);

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    /** Gives back the request's place under a concurrency limit; called once it is answered or abandoned. */
    leave: (() => void) | null;
    /** The JSON body as it came (a signed request's signature covers these bytes). */
    rawBody: string | null;
  }
}

const syncQuerySchema = z.strictObject({
  since: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(SYNC_PAGE.maxRows).default(SYNC_PAGE.defaultRows),
  maxBytes: z.coerce.number().int().min(1024).max(SYNC_PAGE.maxBytes).default(SYNC_PAGE.defaultBytes),
});

const recordsQuerySchema = z.strictObject({
  agent: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * The city server's HTTP API. Every route needs a bearer token but login, health, the update feed,
 * the citizens' page (`/public`) and the PBX's IVR request (signed with the city's secret instead).
 */
export function buildApp(deps: CityServerDeps): FastifyInstance {
  const { db, clock, logger } = deps;
  const ttl = deps.tokenTtlMs ?? 15 * 60_000;
  const throttle = createLoginThrottle(db, { clock, maxFailures: 5, windowMs: 5 * 60_000, lockMs: 60_000 });
  const syncs = createConcurrencyLimit({ total: 16, perUser: 2 });
  const requestTimeout = deps.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    logger: false,
    ...(deps.trustProxy ? { trustProxy: deps.trustProxy } : {}),
    bodyLimit: BODY_LIMIT,
    // Node checks request timeouts on an interval (30 s by default): often enough to cut a slow sender at its time.
    serverFactory: (handler) => createServer({ requestTimeout, headersTimeout: Math.min(requestTimeout, 60_000), connectionsCheckingInterval: Math.min(1_000, requestTimeout) }, handler),
  });

  app.decorateRequest('user', null);
  app.decorateRequest('leave', null);
  app.decorateRequest('rawBody', null);
  app.addHook('onResponse', async (req) => req.leave?.());
  app.addHook('onRequestAbort', async (req) => req.leave?.());
  app.addHook('onRequest', async (req) => {
    const token = bearerToken(req.headers.authorization);
    req.user = token ? await sessionUser(db, token, clock()) : null;
  });
  // Nobody's body is read before they are known: only the login, the PBX's and the SMS gateway's signed requests and the
  // citizens' forms are open to anyone, and their bodies are small — but for the gateway's pictures, read only under a
  // fresh signature header (the signature itself is checked over the body by the route).
  app.addHook('preParsing', async (req) => {
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    const route = req.routeOptions.url ?? '';
    if (hasBody && !req.user && !OPEN_BODY_ROUTES.has(route)) throw new HttpError(401, 'unauthorized', 'login required');
    if (route === SMS_INBOUND_ROUTE) {
      const fresh = checkSignatureHeader(req.headers[SIGNATURE_HEADER] as string | undefined, clock());
      if (fresh !== 'ok') throw new HttpError(401, 'bad-signature', `the request is not signed by the SMS gateway (${fresh})`);
    }
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  // The citizens' forms post as browsers do without script.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply: FastifyReply) => {
    // Refused before its body was read (too large, no login): close the connection rather than let
    // Node read and throw away the rest of it to keep the connection alive.
    if (!req.raw.readableEnded) reply.header('connection', 'close');
    if (err instanceof HttpError) {
      return reply.status(err.status).send({ error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
    // PostgreSQL holds no NUL character in text (SQLite does): a client's text with one is refused, not a fault.
    if (err.code === '22021') return reply.status(400).send({ error: 'invalid', message: 'text with a character the store cannot hold (NUL)' });
    if (err.statusCode && err.statusCode < 500) {
      // Fastify's own refusals: bad JSON, too large, wrong content type.
      return reply.status(err.statusCode).send({ error: err.code ?? 'bad-request', message: err.message });
    }
    logger.error(`${req.method} ${req.url}: ${err.stack ?? err.message}`);
    return reply.status(500).send({ error: 'internal', message: 'internal server error' });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: 'not-found', message: `no route ${req.method} ${req.url}` }));

  app.get('/api/health', async () => ({ ok: true, epoch: await getEpoch(db) }));

  app.post('/api/auth/login', { bodyLimit: LOGIN_BODY_LIMIT }, async (req): Promise<LoginResponse> => {
    const body = parse(loginRequestSchema, req.body, 'login');
    if (await throttle.locked(body.username, req.ip)) throw new HttpError(429, 'locked', 'too many failed logins; try again in a minute');
    const user = await authenticate(db, body.username, body.password);
    if (!user) {
      await throttle.failed(body.username, req.ip);
      logger.warn(`login failed for ${JSON.stringify(body.username)} from ${req.ip}`);
      throw new HttpError(401, 'bad-credentials', 'wrong username or password');
    }
    await throttle.succeeded(body.username, req.ip);
    const session = await openSession(db, user.id, ttl, clock());
    const stun = await sipStunServers(db);
    const sip = {
      username: user.username,
      // Accounts made before names were checked may hold anything: the phone gets one clean line.
      displayName: plainLine(user.displayName).slice(0, 60) || user.username,
      domain: await sipDomain(db),
      password: (await sipSecret(db, user.id)) as string,
      wsUrl: await sipWsUrl(db),
      ...(stun.length ? { stunServers: stun } : {}),
    };
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role }, sip, monitoringKey: deps.monitoringKey.publicKey };
  });

  app.post('/api/auth/logout', async (req) => {
    requireUser(req, ROLES);
    await closeSession(db, bearerToken(req.headers.authorization) as string);
    return { ok: true };
  });

  app.get('/api/sync', async (req, reply) => {
    const user = requireUser(req);
    req.leave = syncs.enter(user.id);
    const q = parse(syncQuerySchema, req.query, 'sync query');
    // An empty since= means no cursor, as it always has.
    const page = await syncPageJson(db, q.since || undefined, q.limit, q.maxBytes, user.id);
    if (page === null) throw new HttpError(400, 'bad-cursor', 'malformed cursor');
    return reply.type('application/json; charset=utf-8').send(page);
  });

  app.post('/api/records', { bodyLimit: RECORDS_BODY_LIMIT }, async (req) => {
    const user = requireUser(req);
    const batch = parse(recordBatchSchema, req.body, 'record batch');
    try {
      const result = await intakeBatch(db, batch, user.id, deps.phone, clock());
      if (result.rejected.length > 0) {
        logger.warn(`records from ${user.username}: ${result.rejected.length} rejected in batch ${batch.batchKey}`);
      }
      return result;
    } catch (e) {
      if (e instanceof BatchOwnerMismatch) throw new HttpError(409, 'batch-conflict', e.message);
      throw e;
    }
  });

  app.get('/api/records', async (req) => {
    const user = requireUser(req);
    const q = parse(recordsQuerySchema, req.query, 'records query');
    // Agents see their own consultations; team leads see the whole team's.
    if (user.role === 'agent' && q.agent !== undefined && q.agent !== user.id) {
      throw new HttpError(403, 'forbidden', "agents can list only their own records");
    }
    const agentId = user.role === 'agent' ? user.id : q.agent;
    await logAccess(db, { actor: user.username, subject: `records agent=${agentId ?? 'all'} from=${q.from ?? ''} to=${q.to ?? ''}`, purpose: 'record-list' }, clock());
    return { records: await listRecords(db, { ...q, ...(agentId ? { agentId } : {}) }) };
  });

  app.get('/api/callers/:number/history', async (req) => {
    const user = requireUser(req);
    const number = param(req, 'number', 100, 'caller');
    const { limit } = parse(z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20) }), req.query, 'query');
    const caller = normalisePhone(number, deps.phone);
    if (caller.kind === 'e164') await logAccess(db, { actor: user.username, subject: caller.e164, purpose: 'caller-history' }, clock());
    return { caller, items: caller.kind === 'e164' ? await callerHistory(db, caller.e164, limit, user.id) : [] };
  });

  app.get('/api/manual/:id', async (req) => {
    requireUser(req);
    const id = param(req, 'id', 64, 'entry id');
    const entry = await getEntry(db, id);
    if (!entry) throw new HttpError(404, 'not-found', `no manual entry ${id}`);
    return entry;
  });

  app.put('/api/manual/:id', async (req) => {
    const user = requireUser(req, ['lead']);
    const id = param(req, 'id', 64, 'entry id');
    const input = parse(manualEntryInputSchema, req.body, 'manual entry');
    if (input.id !== id) throw new HttpError(400, 'invalid', 'body id does not match the URL');
    const summary = await upsertEntries(db, [input], user.username, clock());
    return { ...summary, entry: await getEntry(db, id) };
  });

  app.delete('/api/manual/:id', async (req) => {
    const user = requireUser(req, ['lead']);
    const id = param(req, 'id', 64, 'entry id');
    const deleted = await deleteEntry(db, id, user.username, clock());
    if (!deleted) throw new HttpError(404, 'not-found', `no manual entry ${id}`);
    return { deleted: id };
  });

  app.get('/api/synonyms', async (req) => {
    requireUser(req);
    return { synonyms: await listSynonyms(db) };
  });

  app.put('/api/synonyms/:term', async (req) => {
    requireUser(req, ['lead']);
    const term = param(req, 'term', 40, 'term');
    const row = parse(synonymSchema, req.body, 'synonym');
    if (row.term !== term) throw new HttpError(400, 'invalid', 'body term does not match the URL');
    return { changed: await putSynonym(db, row) };
  });

  app.delete('/api/synonyms/:term', async (req) => {
    requireUser(req, ['lead']);
    const term = param(req, 'term', 40, 'term');
    if (!(await deleteSynonym(db, term))) throw new HttpError(404, 'not-found', `no synonym ${term}`);
    return { deleted: term };
  });

  app.put('/api/settings/:key', async (req) => {
    requireUser(req, ['lead']);
    const key = param(req, 'key', 64, 'setting key');
    const setting = parse(settingSchema, { key, value: req.body }, 'setting') as Setting;
    try {
      return {
        changed: await db.write(async (tx) => {
          // The slots' places are counted in their own table, kept in step in the same transaction.
          if (setting.key === 'reservations') await applySlots(tx, setting.value);
          return putSetting(tx, setting);
        }),
      };
    } catch (e) {
      if (e instanceof SlotConflict) throw new HttpError(409, 'slot-conflict', e.message);
      throw e;
    }
  });

  app.post('/api/usage', async (req) => {
    const user = requireUser(req);
    const batch = parse(usageBatchSchema, req.body, 'usage batch');
    return addUsage(db, batch, user.id, clock());
  });

  app.put('/api/presence', async (req): Promise<PresenceAnswer> => {
    const user = requireUser(req, ['agent', 'lead']);
    const row = await deps.presence.set(user.username, parse(presenceSchema, req.body, 'presence'), clock());
    // An agent turning ready is offered a due callback now, not at the next round.
    if (row.state === 'ready' && deps.distributor) await deps.distributor.run();
    return { state: row.state, since: row.since.toISOString() };
  });

  app.get('/api/presence', async (req) => {
    requireUser(req, ['lead']);
    return { agents: (await deps.presence.list()).map((r) => ({ ...r, since: r.since.toISOString() })) };
  });

  app.get('/api/sms', async (req) => {
    requireUser(req, ['lead']);
    const { limit } = parse(z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }), req.query, 'query');
    return { messages: await listSms(db, limit) };
  });

  // The queue as every desk's call bar shows it: how many calls wait, since when the longest.
  app.get('/api/queue', async (req): Promise<Queue> => {
    requireUser(req, DESK_ROLES);
    const now = clock();
    const w = await deps.presence.waiting(now);
    return { at: now.toISOString(), waiting: { count: w.count, oldestSince: w.oldestSince?.toISOString() ?? null } };
  });

  app.get('/api/board', async (req): Promise<TeamBoard> => {
    requireUser(req, ['lead']);
    const now = clock();
    return teamBoard(db, await deps.presence.list(), await deps.presence.waiting(now), now);
  });

  app.post('/api/monitoring/grants', async (req): Promise<GrantResponse> => {
    const user = requireUser(req);
    const body = parse(grantRequestSchema, req.body, 'grant request');
    if (user.role !== 'lead') {
      // Refused, and on the record: an agent asking to listen in is exactly what the audit is for.
      await auditFromServer(db, { event: 'grant-refused', lead: user.username, agent: body.agent, mode: null, nonce: null, reason: `role ${user.role}` }, clock());
      throw new HttpError(403, 'forbidden', 'only a team lead may monitor a call');
    }
    const target = await findUser(db, body.agent);
    if (!target || target.role !== 'agent') {
      await auditFromServer(db, { event: 'grant-refused', lead: user.username, agent: body.agent, mode: null, nonce: null, reason: 'no such agent' }, clock());
      throw new HttpError(404, 'not-found', `no agent ${body.agent}`);
    }
    return issueGrant(db, deps.monitoringKey, user.username, body, clock());
  });

  app.post('/api/monitoring/audit', async (req) => {
    const user = requireUser(req);
    const batch = parse(monitorAuditBatchSchema, req.body, 'audit batch');
    // Lines about others' sessions, or of the server's own kinds, are refused one by one (and
    // logged); the rest are stored, so one bad line never blocks a desk's outbox.
    const verdicts = batch.events.map((e, index) => ({ e, index, reason: deskAuditRefusal(e, user.username) }));
    const refused = verdicts.flatMap((v) => (v.reason === null ? [] : [{ index: v.index, reason: v.reason }]));
    if (refused.length > 0) logger.warn(`audit lines refused from ${user.username}: ${refused.map((r) => r.reason).join('; ')}`);
    return { stored: await auditFromDesk(db, verdicts.filter((v) => v.reason === null).map((v) => v.e), user.username, clock()), refused };
  });

  app.get('/api/monitoring/audit', async (req) => {
    requireUser(req, ['lead']);
    const { limit } = parse(z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }), req.query, 'query');
    return { events: await listAudit(db, limit) };
  });

  // Reads of personal data a desk made from its own cache (the offline screen-pop): reported here.
  app.post('/api/access-log', async (req) => {
    const user = requireUser(req);
    const batch = parse(accessBatchSchema, req.body, 'access log');
    return { stored: await accessFromDesk(db, batch.events, user.username, clock()), refused: [] };
  });

  app.get('/api/purges', async (req) => {
    requireUser(req, ['lead']);
    const { limit } = parse(z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }), req.query, 'query');
    return { purges: await listPurges(db, limit) };
  });

  app.get('/api/access-log', async (req) => {
    requireUser(req, ['lead']);
    const q = parse(z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100), subject: z.string().max(200).optional() }), req.query, 'query');
    return { events: await listAccess(db, q) };
  });

  if (deps.updatesDir) serveUpdateFeed(app, deps.updatesDir);
  if (deps.portalDir) servePortal(app, deps.portalDir);
  registerCallbackRoutes(app, { db, clock, phone: deps.phone, ...(deps.pbxSecret ? { pbxSecret: deps.pbxSecret } : {}) });
  registerReservationRoutes(app, { db, clock, phone: deps.phone });
  registerKnowledgeRoutes(app, { db, clock, phone: deps.phone });
  registerSheetRoutes(app, { db, clock });
  registerAnalyticsRoutes(app, { db, clock });
  registerRecordingRoutes(app, { db, clock, vault: deps.recordingVault });
  registerTextRoutes(app, {
    db,
    clock,
    phone: deps.phone,
    ...(deps.smsSecret ? { smsSecret: deps.smsSecret } : {}),
    ...(deps.onTextsQueued ? { onQueued: deps.onTextsQueued } : {}),
    // The gateway's answer does not wait for the round: the text is stored, the offer follows.
    ...(deps.distributor ? { onOpened: () => void deps.distributor?.run().catch((e: Error) => logger.warn(`texts: ${e.message}`)) } : {}),
  });
  registerPublicRoutes(app, { db, clock, phone: deps.phone });

  app.get('/api/agents', async (req) => {
    requireUser(req, ['lead']);
    // The desk accounts; SIP-only phones are not agents.
    return { users: (await listUsers(db)).filter((u) => DESK_ROLES.includes(u.role)) };
  });

  return app;
}
