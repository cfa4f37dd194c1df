import type { z } from 'zod';
import type { AnalyticsQuery, ExportFormat } from '../../shared/analytics';
import { apiErrorSchema } from '../../shared/auth';
import { flagInputSchema, type DraftContent, type DraftDecision, type DraftState, type FlagInput, type FlagState, type NewDraft } from '../../shared/knowledge';
import type { RecordingAccess } from '../../shared/recording';
import {
  accessLogAnswer,
  agentsAnswer,
  analyticsRecordsAnswer,
  casesAnswer,
  closedCaseAnswer,
  dashboardAnswer,
  draftAnswer,
  draftsAnswer,
  draftWithLiveAnswer,
  entriesAnswer,
  entryAnswer,
  flagAnswer,
  flagsAnswer,
  gapsAnswer,
  importAnswer,
  loginAnswer,
  maybeDraftAnswer,
  meSchema,
  okAnswer,
  recordingsAnswer,
  similarAnswer,
} from './schemas';

/** A request the city server refused (`code` is its stable error code), or one that never got an answer. */
export class PortalApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const FILE_FORMATS = ['csv', 'xlsx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];
export const FILE_TYPES: Record<FileFormat, string> = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
/** An Excel workbook by its name; anything else is read as CSV. */
export const formatOfFile = (name: string): FileFormat => (/\.xlsx$/i.test(name) ? 'xlsx' : 'csv');

export interface PortalApiDeps {
  fetch: typeof fetch;
  token(): string | null;
  /**
   * A request met a 401 (the token lived out its 15 minutes): resolves once the user has signed in
   * again, and the request is sent again; rejects when they gave up.
   */
  reauthenticate(): Promise<void>;
}

type Body = { json: unknown } | { bytes: BodyInit; type: string } | null;

interface SendOptions {
  body?: Body;
  /** False for the sign-in itself and a sign-out: a 401 there is the answer, not a lapsed token. */
  reauth?: boolean;
}

/** The query string of the defined values only. */
function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function refusal(res: Response): Promise<PortalApiError> {
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const e = apiErrorSchema.safeParse(json);
  return e.success ? new PortalApiError(res.status, e.data.error, e.data.message, e.data.details) : new PortalApiError(res.status, `http-${res.status}`, `HTTP ${res.status}`);
}

/** The records behind one figure of the analysis: the dashboard's range and channels, narrowed. */
export interface AnalyticsRecordsQuery {
  from: string;
  to: string;
  channels: readonly string[];
  category?: string;
  district?: string;
  /** Monday 0 … Sunday 6. */
  weekday?: number;
  hour?: number;
  limit: number;
}

/** The file name a download's Content-Disposition gives, if any. */
export function attachmentName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      return null;
    }
  }
  return /filename="?([^";]+)"?/i.exec(header)?.[1] ?? null;
}

/** The knowledge portal's requests to the city server it is served from, each answer checked by its schema. */
export function createPortalApi(deps: PortalApiDeps) {
  async function send(method: string, path: string, o: SendOptions = {}): Promise<Response> {
    for (;;) {
      const headers = new Headers();
      const token = deps.token();
      if (token) headers.set('authorization', `Bearer ${token}`);
      let body: BodyInit | undefined;
      // No body, no content type: the server refuses an empty JSON body.
      if (o.body && 'json' in o.body) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(o.body.json);
      } else if (o.body) {
        headers.set('content-type', o.body.type);
        body = o.body.bytes;
      }
      let res: Response;
      try {
        res = await deps.fetch(path, { method, headers, ...(body === undefined ? {} : { body }) });
      } catch (e) {
        throw new PortalApiError(0, 'unreachable', (e as Error).message);
      }
      if (res.status === 401 && o.reauth !== false) {
        await deps.reauthenticate();
        continue;
      }
      if (!res.ok) throw await refusal(res);
      return res;
    }
  }

  async function json<S extends z.ZodType>(schema: S, method: string, path: string, o: SendOptions = {}): Promise<z.infer<S>> {
    const res = await send(method, path, o);
    let value: unknown;
    try {
      value = await res.json();
    } catch {
      throw new PortalApiError(res.status, 'malformed', `${method} ${path}: not JSON`);
    }
    const r = schema.safeParse(value);
    if (!r.success) throw new PortalApiError(res.status, 'malformed', `${method} ${path}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return r.data;
  }

  /** A file: its bytes and the name the server gives it. */
  async function download(path: string, method = 'GET', body?: Body): Promise<{ blob: Blob; name: string | null }> {
    const res = await send(method, path, body ? { body } : {});
    return { blob: await res.blob(), name: attachmentName(res.headers.get('content-disposition')) };
  }

  const id = encodeURIComponent;
  const range = (q: { from: string; to: string; channels: readonly string[] }) => ({ from: q.from, to: q.to, channels: q.channels.join(',') });

  return {
    login: (username: string, password: string) => json(loginAnswer, 'POST', '/api/auth/login', { body: { json: { username, password } }, reauth: false }),
    logout: () => send('POST', '/api/auth/logout', { reauth: false }).then(() => undefined),
    me: (o: { reauth?: boolean } = {}) => json(meSchema, 'GET', '/api/portal/me', o),

    entries: (q: { department?: string; overdue?: boolean }) => json(entriesAnswer, 'GET', `/api/portal/entries${query({ department: q.department, overdue: q.overdue ? '1' : undefined })}`),
    entry: (entryId: string) => json(entryAnswer, 'GET', `/api/portal/entries/${id(entryId)}`),
    openDraftOf: (entryId: string) => json(maybeDraftAnswer, 'GET', `/api/portal/entries/${id(entryId)}/draft`),
    verify: (entryId: string) => json(okAnswer, 'POST', `/api/portal/entries/${id(entryId)}/verify`),
    setOwner: (entryId: string, owner: string) => json(okAnswer, 'PUT', `/api/portal/entries/${id(entryId)}/owner`, { body: { json: { owner } } }),
    similar: (q: { title: string; keywords: string[]; exclude?: string }) => json(similarAnswer, 'POST', '/api/portal/similar', { body: { json: q } }),

    drafts: (q: { state: DraftState; department?: string }) => json(draftsAnswer, 'GET', `/api/portal/drafts${query(q)}`),
    createDraft: (d: NewDraft) => json(draftAnswer, 'POST', '/api/portal/drafts', { body: { json: d } }),
    draft: (draftId: string) => json(draftWithLiveAnswer, 'GET', `/api/portal/drafts/${id(draftId)}`),
    saveDraft: (draftId: string, content: DraftContent) => json(draftAnswer, 'PUT', `/api/portal/drafts/${id(draftId)}`, { body: { json: { content } } }),
    submitDraft: (draftId: string) => json(draftAnswer, 'POST', `/api/portal/drafts/${id(draftId)}/submit`),
    withdrawDraft: (draftId: string) => json(draftAnswer, 'POST', `/api/portal/drafts/${id(draftId)}/withdraw`),
    decide: (draftId: string, decision: DraftDecision) => json(draftAnswer, 'POST', `/api/portal/drafts/${id(draftId)}/decision`, { body: { json: decision } }),

    flags: (q: { state: FlagState; department?: string }) => json(flagsAnswer, 'GET', `/api/portal/flags${query(q)}`),
    replyToFlag: (flagId: string, reply: string) => json(flagAnswer, 'POST', `/api/portal/flags/${id(flagId)}/reply`, { body: { json: { reply } } }),
    /** A team lead's flag on an entry, through the desks' own route. */
    raiseFlag: (flag: Omit<FlagInput, 'id' | 'at'>) =>
      json(okAnswer, 'POST', '/api/manual/flags', { body: { json: { flags: [flagInputSchema.parse({ ...flag, id: crypto.randomUUID(), at: new Date().toISOString() })] } } }),

    gaps: (q: { from: string; to: string }) => json(gapsAnswer, 'GET', `/api/portal/gaps${query(q)}`),

    /** The department's entries as a file: its bytes and the name the server gives it. */
    exportFile: (format: FileFormat, department?: string) => download(`/api/portal/export${query({ format, department })}`),
    /** A department's sheet back as drafts (`submit`: sent to review at once); all or nothing. */
    importFile: (q: { format: FileFormat; department?: string; submit?: boolean }, bytes: ArrayBuffer) =>
      json(importAnswer, 'POST', `/api/portal/import${query({ format: q.format, department: q.department, submit: q.submit ? '1' : undefined })}`, { body: { bytes, type: FILE_TYPES[q.format] } }),

    dashboard: (q: AnalyticsQuery) => json(dashboardAnswer, 'GET', `/api/analytics/dashboard${query({ ...range(q), grain: q.grain })}`),
    analyticsRecords: (q: AnalyticsRecordsQuery) =>
      json(
        analyticsRecordsAnswer,
        'GET',
        `/api/analytics/records${query({ ...range(q), category: q.category, district: q.district, weekday: q.weekday?.toString(), hour: q.hour?.toString(), limit: String(q.limit) })}`,
      ),
    /** The analysis as a file (small cells left out by the server). */
    exportAnalytics: (q: AnalyticsQuery, format: ExportFormat) => download(`/api/analytics/export${query({ ...range(q), format })}`),

    protectionCases: (state: 'open' | 'closed' | 'all') => json(casesAnswer, 'GET', `/api/protection/cases${query({ state })}`),
    closeCase: (recordId: string, note: string) => json(closedCaseAnswer, 'POST', `/api/protection/cases/${id(recordId)}/close`, { body: { json: { note } } }),
    recordingsOfRecord: (recordId: string) => json(recordingsAnswer, 'GET', `/api/records/${id(recordId)}/recordings`),
    /** Recordings that started in [from, to) (ISO instants), newest first; `unlinked`: only those no record claims. */
    recordings: (q: { from: string; to: string; unlinked: boolean; limit: number }) =>
      json(recordingsAnswer, 'GET', `/api/recordings${query({ from: q.from, to: q.to, unlinked: q.unlinked ? '1' : '0', limit: String(q.limit) })}`),
    recordingAccessLog: () => json(accessLogAnswer, 'GET', '/api/recordings/access-log'),
    /** A recording's audio, with the reason the server writes to the access log (a POST: the reason never sits in an address). */
    recordingAudio: (recordingId: string, access: RecordingAccess) => download(`/api/recordings/${id(recordingId)}/audio`, 'POST', { json: access }),
    /** The desk accounts (team leads only): the names behind the cases' agent ids. */
    agents: () => json(agentsAnswer, 'GET', '/api/agents'),
  };
}

export type PortalApi = ReturnType<typeof createPortalApi>;
