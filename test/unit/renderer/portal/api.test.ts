import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../../../../shared/analytics';
import { attachmentName, createPortalApi, formatOfFile, PortalApiError } from '../../../../renderer/portal/api';
import { dashboard } from './analytics/fixture';

interface Sent {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

/** A fetch that answers from a list and records what was sent. */
function fakeFetch(answers: (Response | Error)[]) {
  const sent: Sent[] = [];
  const fetch = (async (path: string, init: RequestInit = {}) => {
    sent.push({ method: init.method ?? 'GET', path, headers: new Headers(init.headers), body: init.body });
    const next = answers.shift();
    if (!next) throw new Error('no answer left');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const draft = {
  id: 'd-1',
  entryId: 'M-1',
  department: 'water-supply',
  action: 'publish',
  baseVersion: 1,
  content: { kind: 'manual', category: '상수도/누수', title: '누수', body: '본문', keywords: [], sections: {} },
  state: 'review',
  author: 'water1',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  submittedAt: '2026-12-01T00:00:00.000Z',
  reviewer: null,
  decidedAt: null,
  publishAt: null,
  publishedVersion: null,
  comments: [],
  editors: [],
};

function api(answers: (Response | Error)[], token: string | null = 'tok-1') {
  const f = fakeFetch(answers);
  return { ...f, api: createPortalApi({ fetch: f.fetch, token: () => token, reauthenticate: () => Promise.reject(new Error('no reauth here')) }) };
}

describe('the portal API client', () => {
  it('sends the token, JSON with its content type, and no content type when a POST has no body', async () => {
    const { api: client, sent } = api([json(200, { draft }), json(200, { draft })]);
    await client.saveDraft('d-1', draft.content as never);
    await client.submitDraft('d-1');
    expect(sent[0]).toMatchObject({ method: 'PUT', path: '/api/portal/drafts/d-1' });
    expect(sent[0]?.headers.get('content-type')).toBe('application/json');
    expect(sent[0]?.headers.get('authorization')).toBe('Bearer tok-1');
    expect(JSON.parse(sent[0]?.body as string)).toEqual({ content: draft.content });
    expect(sent[1]).toMatchObject({ method: 'POST', path: '/api/portal/drafts/d-1/submit', body: undefined });
    expect(sent[1]?.headers.has('content-type')).toBe(false);
  });

  it('turns a refusal into its code, status and details', async () => {
    const { api: client } = api([json(409, { error: 'draft-open', message: 'this entry already has a draft under way', details: { draftId: 'd-0' } })]);
    const e = await client.createDraft({ entryId: 'M-1' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PortalApiError);
    expect(e).toMatchObject({ status: 409, code: 'draft-open', details: { draftId: 'd-0' } });
  });

  it('names an answer that is not the API’s error by its status, a lost connection unreachable, a malformed answer malformed', async () => {
    const { api: client } = api([new Response('<html>bad gateway</html>', { status: 502 }), new TypeError('Failed to fetch'), json(200, { entries: [{ nonsense: true }] })]);
    await expect(client.me()).rejects.toMatchObject({ status: 502, code: 'http-502' });
    await expect(client.me()).rejects.toMatchObject({ status: 0, code: 'unreachable' });
    await expect(client.entries({})).rejects.toMatchObject({ code: 'malformed' });
  });

  it('builds queries from the values given only, and escapes ids', async () => {
    const { api: client, sent } = api([json(200, { entries: [] }), json(200, { entries: [] }), json(200, { flags: [] })]);
    await client.entries({ overdue: true });
    await client.entries({ department: 'water-supply', overdue: false });
    await client.flags({ state: 'open' });
    expect(sent.map((s) => s.path)).toEqual(['/api/portal/entries?overdue=1', '/api/portal/entries?department=water-supply', '/api/portal/flags?state=open']);
  });

  it('posts a sheet as its bytes with its type, and reads the export’s file name', async () => {
    const { api: client, sent } = api([
      json(200, { drafts: 2, unchanged: 5, problems: [] }),
      new Response('a,b\n', { status: 200, headers: { 'content-disposition': "attachment; filename*=UTF-8''%EC%83%81%EC%88%98%EB%8F%84%20%EB%A7%A4%EB%89%B4%EC%96%BC.csv" } }),
    ]);
    const bytes = new Uint8Array([80, 75, 3, 4]).buffer;
    expect(await client.importFile({ format: 'xlsx', department: 'water-supply', submit: false }, bytes)).toEqual({ drafts: 2, unchanged: 5, problems: [] });
    expect(sent[0]?.path).toBe('/api/portal/import?format=xlsx&department=water-supply');
    expect(sent[0]?.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(sent[0]?.body).toBe(bytes);
    const file = await client.exportFile('csv');
    expect(file.name).toBe('상수도 매뉴얼.csv');
    expect(await file.blob.text()).toBe('a,b\n');
  });

  it('asks the analysis with the question’s own parameters, takes fields it does not know, and downloads its exports', async () => {
    const answer = structuredClone(dashboard) as Dashboard & Record<string, unknown>;
    // A later server's additions, at the top and deep inside, break nothing.
    answer.benchmark = { city: 'pohang' };
    Object.assign(answer.volume.series[0] as object, { colour: 'blue' });
    const { api: client, sent } = api([
      json(200, answer),
      json(200, { total: 1, records: [{ startedAt: '2026-11-03T00:10:00.000Z', category: '상수도/요금', channel: 'call', outcome: 'answered', district: null, department: null, handleSeconds: 240, repeat: false }] }),
      new Response('%PDF-1.7', { status: 200, headers: { 'content-disposition': 'attachment; filename="minwon-2026-11.pdf"' } }),
    ]);
    const d = await client.dashboard(dashboard.query);
    expect(d.volume.series[0]?.category).toBe('상수도');
    const records = await client.analyticsRecords({ ...dashboard.query, category: '상수도/요금', weekday: 0, hour: 9, limit: 50 });
    expect(records.records[0]?.notes).toBeUndefined();
    const file = await client.exportAnalytics(dashboard.query, 'pdf');
    expect(file.name).toBe('minwon-2026-11.pdf');
    expect(sent.map((s) => decodeURIComponent(s.path))).toEqual([
      '/api/analytics/dashboard?from=2026-11-02&to=2026-11-22&channels=call,text&grain=week',
      '/api/analytics/records?from=2026-11-02&to=2026-11-22&channels=call,text&category=상수도/요금&weekday=0&hour=9&limit=50',
      '/api/analytics/export?from=2026-11-02&to=2026-11-22&channels=call,text&format=pdf',
    ]);
  });

  it('opens a recording with its reason in a POST body, never in the address, and lists cases and recordings', async () => {
    const recording = { id: 'rec-1', recordId: 'r 1', callId: 'c@ws', source: 'desk', startedAt: '2026-11-03T00:10:00.000Z', endedAt: '2026-11-03T00:14:00.000Z', seconds: 240, bytes: 44, mediaType: 'audio/wav', held: true, deleteAfter: null };
    const { api: client, sent } = api([
      new Response(new Uint8Array([82, 73, 70, 70]), { status: 200, headers: { 'content-type': 'audio/wav', 'content-disposition': "attachment; filename*=UTF-8''recording-2026-11-03-rec1.wav" } }),
      json(200, { recordings: [{ ...recording, later: 'field' }] }),
      json(200, { cases: [] }),
    ]);
    const audio = await client.recordingAudio('rec/1', { purpose: 'download', reason: '피해 사건 조사' });
    expect([audio.name, audio.blob.size]).toEqual(['recording-2026-11-03-rec1.wav', 4]);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/recordings/rec%2F1/audio' });
    expect(sent[0]?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(sent[0]?.body as string)).toEqual({ purpose: 'download', reason: '피해 사건 조사' });
    expect((await client.recordings({ from: '2026-11-01T15:00:00.000Z', to: '2026-11-08T15:00:00.000Z', unlinked: true, limit: 200 })).recordings[0]?.held).toBe(true);
    await client.protectionCases('open');
    expect(sent.slice(1).map((s) => decodeURIComponent(s.path))).toEqual([
      '/api/recordings?from=2026-11-01T15:00:00.000Z&to=2026-11-08T15:00:00.000Z&unlinked=1&limit=200',
      '/api/protection/cases?state=open',
    ]);
  });

  it('reads file names and formats as browsers and spreadsheets give them', () => {
    expect(attachmentName('attachment; filename="manual.csv"')).toBe('manual.csv');
    expect(attachmentName(null)).toBeNull();
    expect(attachmentName("attachment; filename*=UTF-8''%E0%A4%A")).toBeNull();
    expect(formatOfFile('급수과 매뉴얼.XLSX')).toBe('xlsx');
    expect(formatOfFile('급수과.csv')).toBe('csv');
  });
});
