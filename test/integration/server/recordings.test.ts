import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskRecordingMeta } from '../../../shared/recording';
import { testCore, testLogger } from '../../helpers/core';
import { startFaultProxy, type Fault, type FaultProxy } from '../../helpers/fault-proxy';
import { call, login } from '../../helpers/http';
import { runMinwon, startCityServerProcess, type CityServerProcess } from '../../helpers/processes';
import { draft } from '../../helpers/records';
import { waitFor } from '../../helpers/wait';

// Recordings on a city server process: a desk's recording waits in its outbox while the city is
// out of reach and arrives once; it is sealed on disk; only leads and auditors open it, each time
// with a reason in the access log, and an agent's attempt is refused and logged; bad uploads are
// refused with a reason and store nothing.

let dataDir: string;
let city: CityServerProcess;
let proxy: FaultProxy;
let fault: (path: string) => Fault = () => 'pass';

/** A real WAV: 8 kHz, 16-bit mono, `seconds` of a 440 Hz tone. */
function toneWav(seconds: number): Buffer {
  const n = 8000 * seconds;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), i * 2);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(8000, 24);
  head.writeUInt32LE(16000, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minwon-recordings-'));
  for (const [name, role] of [['agent1', 'agent'], ['agent2', 'agent'], ['lead1', 'lead'], ['audit1', 'auditor'], ['analyst1', 'analyst']]) {
    const made = await runMinwon(['user', 'add', name!, '--role', role!, '--data', dataDir], { MINWON_PASSWORD: `${name}-password` });
    expect(made.stderr).toBe('');
  }
  city = await startCityServerProcess(dataDir);
  proxy = await startFaultProxy(() => city.url, (req) => fault((req.url ?? '').split('?')[0] as string));
});
afterAll(async () => {
  await proxy?.close();
  await city?.stop();
});

const audio = (token: string, id: string, body: unknown) => call(city.url, token, `/api/recordings/${id}/audio`, { method: 'POST', body: JSON.stringify(body) });

describe('call recordings on a city server', () => {
  it('a desk’s recording waits out an outage in its outbox, arrives once, sealed, and opens only for a lead or an auditor with a reason', async () => {
    const core = testCore(join(mkdtempSync(join(tmpdir(), 'minwon-desk-')), 'cache.sqlite'), proxy.url, { user: 'agent1', password: 'agent1-password', timeoutMs: 2_000, logger: testLogger() });
    const record = draft({ callerNumber: '010-5550-1234', callIds: ['desk-call-1@ws'], warnings: { played: 3, spoken: 1 }, endReason: 'abusive', report: 'threat' });
    const wav = toneWav(2);
    const meta: DeskRecordingMeta = { id: randomUUID(), recordId: record.id, callId: 'desk-call-1@ws', startedAt: record.startedAt, endedAt: record.endedAt, mediaType: 'audio/wav' };
    try {
      await core.syncNow();
      fault = (path) => (path === '/api/recordings' ? 'cut' : 'pass');
      expect(await core.handlers.saveRecord(record)).toEqual({ id: record.id, duplicate: false });
      expect(await core.handlers.saveRecording({ meta, audioBase64: wav.toString('base64') })).toEqual({ queued: true });
      // The same recording handed over twice (a page retrying) is kept once.
      expect(await core.handlers.saveRecording({ meta, audioBase64: wav.toString('base64') })).toEqual({ queued: false });
      await core.syncNow();
      expect(core.db.prepare('SELECT COUNT(*) FROM recording_outbox').pluck().get()).toBe(1);
      // Reported: the desk keeps it whatever the retention, until the city has it.
      expect(core.db.prepare('SELECT held FROM recording_outbox').pluck().get()).toBe(1);
      fault = () => 'pass';
      await core.syncNow();
      await waitFor(async () => core.db.prepare('SELECT COUNT(*) FROM recording_outbox').pluck().get(), (n) => n === 0, 15_000);
    } finally {
      await core.close();
    }
    // Sealed on disk: the tone's samples are nowhere in the file.
    const files = readdirSync(join(dataDir, 'recordings'));
    expect(files).toEqual([`${meta.id}.mwr`]);
    expect(readFileSync(join(dataDir, 'recordings', files[0] as string)).includes(wav.subarray(44, 1044))).toBe(false);

    const lead = await login(city.url, 'lead1', 'lead1-password');
    const listed = await call(city.url, lead, `/api/records/${record.id}/recordings`);
    expect(listed.body).toMatchObject({ recordings: [{ id: meta.id, recordId: record.id, source: 'desk', seconds: 240, bytes: wav.length, held: true, deleteAfter: null }] });
    const played = await fetch(`${city.url}/api/recordings/${meta.id}/audio`, { method: 'POST', headers: { authorization: `Bearer ${lead}`, 'content-type': 'application/json' }, body: JSON.stringify({ purpose: 'play', reason: '피해 사건 조사' }) });
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('audio/wav');
    expect(played.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await played.arrayBuffer())).toEqual(wav);
    const auditor = await login(city.url, 'audit1', 'audit1-password');
    const downloaded = await fetch(`${city.url}/api/recordings/${meta.id}/audio`, { method: 'POST', headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/json' }, body: JSON.stringify({ purpose: 'download', reason: '정기 감사' }) });
    expect(downloaded.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''recording-\d{4}-\d\d-\d\d-[0-9a-f]{8}\.wav$/);
    // No reason, no audio (the lead is told why; nothing was opened, so nothing is logged).
    expect((await audio(lead, meta.id, { purpose: 'play' })).status).toBe(400);
    for (const name of ['agent1', 'analyst1'] as const) {
      const token = await login(city.url, name, `${name}-password`);
      expect((await audio(token, meta.id, { purpose: 'play', reason: '궁금해서' })).status).toBe(403);
      expect((await call(city.url, token, `/api/records/${record.id}/recordings`)).status).toBe(403);
      expect((await call(city.url, token, '/api/recordings/access-log')).status).toBe(403);
      expect((await call(city.url, token, '/api/protection/cases')).status).toBe(403);
    }
    // An auditor follows the cases but does not close them.
    expect((await call(city.url, auditor, '/api/protection/cases')).body).toMatchObject({ cases: [{ recordId: record.id, kind: 'threat', warnings: { played: 3, spoken: 1 }, endReason: 'abusive', recordings: 1 }] });
    expect((await call(city.url, auditor, `/api/protection/cases/${record.id}/close`, { method: 'POST', body: JSON.stringify({ note: '종결' }) })).status).toBe(403);
    expect((await call(city.url, lead, `/api/protection/cases/${record.id}/close`, { method: 'POST', body: JSON.stringify({ note: '' }) })).status).toBe(400);
    expect((await call(city.url, lead, `/api/protection/cases/${record.id}/close`, { method: 'POST', body: JSON.stringify({ note: '경찰 신고 후 종결' }) })).body).toMatchObject({ case: { closedBy: 'lead1', closingNote: '경찰 신고 후 종결' } });

    const log = (await call(city.url, auditor, '/api/recordings/access-log')).body as { access: { actor: string; purpose: string; reason: string; allowed: boolean }[] };
    const lines = log.access.map((a) => `${a.actor} ${a.purpose} ${a.allowed ? 'allowed' : 'refused'} ${a.reason}`);
    expect(lines).toEqual(
      expect.arrayContaining(['lead1 play allowed 피해 사건 조사', 'audit1 download allowed 정기 감사', 'agent1 play refused 궁금해서', 'analyst1 play refused 궁금해서']),
    );
    expect(lines.filter((l) => l.includes('list refused'))).toHaveLength(2);
  });

  it('refuses a bad upload with its reason and stores nothing', async () => {
    const agent = await login(city.url, 'agent2', 'agent2-password');
    const record = draft({ callerNumber: '010-5550-9999' });
    const meta = { id: randomUUID(), recordId: record.id, callId: 'desk-call-2@ws', startedAt: record.startedAt, endedAt: record.endedAt, mediaType: 'audio/webm' };
    const upload = (q: Record<string, string>, body: Buffer, type = 'audio/webm', token: string | null = agent) =>
      fetch(`${city.url}/api/recordings?${new URLSearchParams(q).toString()}`, { method: 'POST', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': type }, body: new Uint8Array(body) });
    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(200, 1)]);
    const cases: [string, Promise<Response>, number, RegExp][] = [
      ['not WebM at all', upload(meta, Buffer.from('hello, this is not audio')), 400, /not audio\/webm audio/],
      ['a type other than it says', upload(meta, toneWav(1), 'audio/wav'), 415, /must be audio\/webm/],
      ['no call id', upload({ ...meta, callId: '' }, webm), 400, /invalid recording/],
      ['ends before it starts', upload({ ...meta, endedAt: '2020-01-01T00:00:00Z' }, webm), 400, /invalid recording/],
      ['not signed in', upload(meta, webm, 'audio/webm', null), 401, /login required/],
      ['a media type no recorder writes (Ogg)', upload(meta, webm, 'audio/ogg'), 415, /./],
    ];
    for (const [what, res, status, message] of cases) {
      const r = await res;
      expect(r.status, what).toBe(status);
      expect(await r.text(), what).toMatch(message);
    }
    const lead = await login(city.url, 'lead1', 'lead1-password');
    expect((await call(city.url, lead, `/api/records/${record.id}/recordings`)).body).toEqual({ recordings: [] });
    expect(readdirSync(join(dataDir, 'recordings')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
