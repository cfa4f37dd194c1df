import { z } from 'zod';
import type { AccessEvent } from '../../../shared/access-log';
import { apiErrorSchema, loginResponseSchema, type LoginResponse } from '../../../shared/auth';
import { grantResponseSchema, type GrantRequest, type GrantResponse, type MonitorAuditEvent } from '../../../shared/monitoring';
import { queueSchema, teamBoardSchema, type Queue, type TeamBoard } from '../../../shared/board';
import { callbackSchema, type AgentCallbackRequest, type Callback, type CallbackOutcomeEvent } from '../../../shared/callback';
import { dayReservationSchema, openSlotSchema, reservationSchema, type BookingRequest, type DayReservation, type OpenSlot, type Reservation } from '../../../shared/reservation';
import { describeIssues } from '../../../shared/issues';
import { flagSchema, type Flag, type FlagInput, type SearchMiss } from '../../../shared/knowledge';
import { presenceAnswerSchema, type Presence, type PresenceAnswer } from '../../../shared/presence';
import { deskHistoryItemSchema, recordBatchResultSchema, type DeskHistoryItem, type RecordBatchResult } from '../../../shared/record';
import { SYNC_PAGE, syncPageSchema, type SyncPage, type UsageBatch } from '../../../shared/sync';
import { MEDIA_TYPES, textThreadSchema, type MediaType, type TextReplyLine, type TextThread } from '../../../shared/text-inquiry';
import type { OutboxBatch } from '../outbox/outbox';
import type { DeskRecordingMeta } from '../../../shared/recording';

export type CityApiErrorKind = 'network' | 'timeout' | 'auth' | 'http' | 'malformed';

/** Why a call to the city server failed, in terms the sync status can show. */
export class CityApiError extends Error {
  constructor(
    readonly kind: CityApiErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CityApiError';
  }
}

export interface Credentials {
  username: string;
  password: string;
}

export interface CityApiOptions {
  baseUrl: string;
  credentials: Credentials;
  /** Per request; a server that accepts the connection and never answers must not stall the desk. */
  timeoutMs?: number;
  /** Rows per page asked for (default: the most the server gives; fewer round trips on a LAN). */
  pageRows?: number;
  /** A login already made (the sign-in screen's): used until its token expires, then logged in again. */
  session?: LoginResponse | null;
}

/** The city's answer to a desk's report lines (audit, access log): how many were new, which it refused. */
const reportAnswerSchema = z.strictObject({ stored: z.number().int(), refused: z.array(z.strictObject({ index: z.number().int(), reason: z.string() })) });
export type ReportAnswer = z.infer<typeof reportAnswerSchema>;

/** The city's answer to a batch of flags: each id stored, already there, or refused. */
const flagAnswerSchema = z.object({ stored: z.array(z.string()), duplicates: z.array(z.string()), refused: z.array(z.object({ id: z.string(), reason: z.string() })) });
export type FlagAnswer = z.infer<typeof flagAnswerSchema>;


const oneCallback = z.object({ callback: callbackSchema });
const oneReservation = z.object({ reservation: reservationSchema });
const oneThread = z.object({ thread: textThreadSchema });

/** Client of the city server's HTTP API with login on demand and one re-login when a token expires. */
export function createCityApi(o: CityApiOptions) {
  const timeoutMs = o.timeoutMs ?? 15_000;
  let session: LoginResponse | null = o.session ?? null;

  async function request(path: string, init: RequestInit, auth: boolean): Promise<{ status: number; text: string; bytes: Buffer; type: string | null }> {
    const headers = new Headers(init.headers);
    if (auth && session) headers.set('authorization', `Bearer ${session.token}`);
    let res: Response;
    let bytes: Buffer;
    try {
      res = await fetch(new URL(path, o.baseUrl), { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError') throw new CityApiError('timeout', `city server did not answer in ${timeoutMs} ms`);
      throw new CityApiError('network', `city server unreachable: ${err.cause?.code ?? err.message}`);
    }
    // A picture is read as its bytes; everything else is JSON text.
    return { status: res.status, text: bytes.toString('utf8'), bytes, type: res.headers.get('content-type') };
  }

  function parseBody<S extends z.ZodType>(schema: S, status: number, text: string, what: string): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CityApiError('malformed', `${what}: the answer is not JSON (HTTP ${status})`, status);
    }
    if (status >= 400) {
      const err = apiErrorSchema.safeParse(json);
      const message = err.success ? `${err.data.error}: ${err.data.message}` : `HTTP ${status}`;
      throw new CityApiError(status === 401 || status === 403 ? 'auth' : 'http', `${what}: ${message}`, status);
    }
    const r = schema.safeParse(json);
    if (!r.success) throw new CityApiError('malformed', `${what}: malformed answer: ${describeIssues(r.error, '(root)', 5)}`, status);
    return r.data;
  }

  async function login(): Promise<LoginResponse> {
    const { status, text } = await request(
      '/api/auth/login',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(o.credentials) },
      false,
    );
    session = parseBody(loginResponseSchema, status, text, 'login');
    return session;
  }

  /** An authenticated call; logs in first when needed and once more when the token has expired. */
  async function authedRaw(path: string, init: RequestInit): ReturnType<typeof request> {
    if (!session) await login();
    const res = await request(path, init, true);
    if (res.status !== 401) return res;
    await login();
    return request(path, init, true);
  }

  async function authed<S extends z.ZodType>(path: string, init: RequestInit, schema: S, what: string): Promise<z.infer<S>> {
    const res = await authedRaw(path, init);
    return parseBody(schema, res.status, res.text, what);
  }

  /** An authenticated call with a JSON body. */
  const sendJson = <S extends z.ZodType>(method: 'POST' | 'PUT', path: string, body: unknown, schema: S, what: string): Promise<z.infer<S>> =>
    authed(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, schema, what);

  return {
    login,
    /** The user of the current session, once logged in. */
    user: () => session?.user ?? null,
    /** The phone's SIP account from the current session. */
    sipAccount: () => session?.sip ?? null,
    /** The key the city server signs monitoring grants with, from the current session. */
    monitoringKey: () => session?.monitoringKey ?? null,

    page(cursor: string | null): Promise<SyncPage> {
      const q = new URLSearchParams();
      if (cursor) q.set('since', cursor);
      q.set('limit', String(o.pageRows ?? SYNC_PAGE.maxRows));
      q.set('maxBytes', String(SYNC_PAGE.maxBytes));
      return authed(`/api/sync?${q}`, { method: 'GET' }, syncPageSchema, 'sync page');
    },

    /** One caller's consultations as the city has them (for a ringing call's screen-pop). */
    callerHistory: (number: string): Promise<{ items: DeskHistoryItem[] }> =>
      authed(
        `/api/callers/${encodeURIComponent(number)}/history?limit=50`,
        { method: 'GET' },
        z.object({ items: z.array(deskHistoryItemSchema) }),
        'caller history',
      ),
    uploadRecords: (batch: OutboxBatch): Promise<RecordBatchResult> => sendJson('POST', '/api/records', batch, recordBatchResultSchema, 'record upload'),
    putPresence: (presence: Presence): Promise<PresenceAnswer> => sendJson('PUT', '/api/presence', presence, presenceAnswerSchema, 'presence'),
    /** The team lead's board (403 for anyone else). */
    board: (): Promise<TeamBoard> => authed('/api/board', { method: 'GET' }, teamBoardSchema, 'team board'),
    queue: (): Promise<Queue> => authed('/api/queue', { method: 'GET' }, queueSchema, 'queue'),
    requestMonitorGrant: (request: GrantRequest): Promise<GrantResponse> => sendJson('POST', '/api/monitoring/grants', request, grantResponseSchema, 'monitoring grant'),
    uploadMonitorAudit: (events: MonitorAuditEvent[]): Promise<ReportAnswer> => sendJson('POST', '/api/monitoring/audit', { events }, reportAnswerSchema, 'monitoring audit'),
    uploadAccessLog: (events: AccessEvent[]): Promise<ReportAnswer> => sendJson('POST', '/api/access-log', { events }, reportAnswerSchema, 'access log'),
    uploadUsage: (batch: UsageBatch): Promise<{ replayed: boolean }> => sendJson('POST', '/api/usage', batch, z.strictObject({ replayed: z.boolean() }), 'usage upload'),
    /** The agent's callbacks: the offer they have, their dials not yet settled, the ones they keep. */
    myCallbacks: (): Promise<{ callbacks: Callback[] }> => authed('/api/callbacks/mine', { method: 'GET' }, z.object({ callbacks: z.array(callbackSchema) }), 'callbacks'),
    acceptCallback: (id: string): Promise<{ callback: Callback; attemptId: string }> =>
      sendJson('POST', `/api/callbacks/${encodeURIComponent(id)}/accept`, {}, z.object({ callback: callbackSchema, attemptId: z.string() }), 'callback accept'),
    declineCallback: (id: string): Promise<{ callback: Callback }> => sendJson('POST', `/api/callbacks/${encodeURIComponent(id)}/decline`, {}, oneCallback, 'callback decline'),
    callbackConnected: (id: string, attemptId: string): Promise<{ ok: boolean }> =>
      sendJson('POST', `/api/callbacks/${encodeURIComponent(id)}/connected`, { attemptId }, z.object({ ok: z.boolean() }), 'callback connected'),
    uploadCallbackOutcomes: (events: CallbackOutcomeEvent[]): Promise<ReportAnswer> => sendJson('POST', '/api/callbacks/outcomes', { events }, reportAnswerSchema, 'callback outcomes'),
    askCallback: (request: AgentCallbackRequest): Promise<{ callback: Callback; merged: boolean }> =>
      sendJson('POST', '/api/callbacks', request, z.object({ callback: callbackSchema, merged: z.boolean() }), 'callback request'),
    cancelCallback: (id: string): Promise<{ callback: Callback }> => sendJson('POST', `/api/callbacks/${encodeURIComponent(id)}/cancel`, {}, oneCallback, 'callback cancel'),
    assignCallback: (id: string, agent: string): Promise<{ callback: Callback }> => sendJson('POST', `/api/callbacks/${encodeURIComponent(id)}/assign`, { agent }, oneCallback, 'callback assign'),
    callbackQueue: (state: 'open' | 'failed' | 'done'): Promise<{ callbacks: Callback[] }> => authed(`/api/callbacks?state=${state}`, { method: 'GET' }, z.object({ callbacks: z.array(callbackSchema) }), 'callback queue'),
    reservationSlots: (): Promise<{ slots: OpenSlot[] }> => authed('/api/reservations/slots', { method: 'GET' }, z.object({ slots: z.array(openSlotSchema) }), 'reservation slots'),
    bookReservation: (request: BookingRequest): Promise<{ reservation: Reservation }> => sendJson('POST', '/api/reservations', request, oneReservation, 'booking'),
    cancelReservation: (id: string): Promise<{ reservation: Reservation }> => sendJson('POST', `/api/reservations/${encodeURIComponent(id)}/cancel`, {}, oneReservation, 'booking cancel'),
    reservationsOn: (day: string): Promise<{ reservations: DayReservation[] }> =>
      authed(`/api/reservations?day=${encodeURIComponent(day)}`, { method: 'GET' }, z.object({ reservations: z.array(dayReservationSchema) }), 'reservations'),
    textThreads: (): Promise<{ threads: TextThread[] }> => authed('/api/sms/threads', { method: 'GET' }, z.object({ threads: z.array(textThreadSchema) }), 'text threads'),
    textThread: (id: string): Promise<{ thread: TextThread }> => authed(`/api/sms/threads/${encodeURIComponent(id)}`, { method: 'GET' }, oneThread, 'text thread'),
    threadAction: (id: string, action: 'take' | 'decline' | 'close', body: unknown = {}): Promise<{ thread: TextThread }> =>
      sendJson('POST', `/api/sms/threads/${encodeURIComponent(id)}/${action}`, body, oneThread, `thread ${action}`),
    assignThread: (id: string, agent: string): Promise<{ thread: TextThread }> => sendJson('POST', `/api/sms/threads/${encodeURIComponent(id)}/assign`, { agent }, oneThread, 'thread assign'),
    uploadTextReplies: (events: TextReplyLine[]): Promise<ReportAnswer> => sendJson('POST', '/api/sms/replies', { events }, reportAnswerSchema, 'text replies'),
    uploadFlags: (flags: FlagInput[]): Promise<FlagAnswer> => sendJson('POST', '/api/manual/flags', { flags }, flagAnswerSchema, 'manual flags'),
    /** The agent's flags, newest first, with what the departments made of them. */
    myFlags: (): Promise<{ flags: Flag[] }> => authed('/api/manual/flags/mine', { method: 'GET' }, z.object({ flags: z.array(flagSchema) }), 'my flags'),
    uploadSearchMisses: (misses: SearchMiss[]): Promise<{ stored: number }> => sendJson('POST', '/api/knowledge/misses', { misses }, z.object({ stored: z.number().int() }), 'search misses'),
    /** A desk's recording of a call: the audio is the body, what it is goes in the query. */
    uploadRecording: (meta: DeskRecordingMeta, audio: Buffer): Promise<{ id: string; duplicate: boolean }> =>
      authed(
        `/api/recordings?${new URLSearchParams(meta).toString()}`,
        { method: 'POST', headers: { 'content-type': meta.mediaType }, body: new Uint8Array(audio) },
        z.object({ id: z.string(), duplicate: z.boolean() }),
        'recording',
      ),
    /** A picture of a citizen's text, as the city checked it to be. */
    async textMedia(id: string): Promise<{ type: MediaType; dataBase64: string }> {
      const res = await authedRaw(`/api/sms/media/${encodeURIComponent(id)}`, { method: 'GET' });
      const type = (res.type ?? '').split(';')[0]?.trim() ?? '';
      if (res.status !== 200) return parseBody(z.never(), res.status, res.text, 'picture');
      if (!(MEDIA_TYPES as readonly string[]).includes(type)) throw new CityApiError('malformed', `picture: not a picture (${type || 'no type'})`, res.status);
      return { type: type as MediaType, dataBase64: res.bytes.toString('base64') };
    },
  };
}

export type CityApi = ReturnType<typeof createCityApi>;
