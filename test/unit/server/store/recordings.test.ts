import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRecordingVault, recordingKey } from '../../../../server/recording/vault';
import { closeCase, listCases } from '../../../../server/store/protection-cases';
import { listRecordingAccess, logRecordingAccess, openRecording, purgeRecordings, RecordingRefused, recordingsOfRecord, storeRecording, type NewRecording } from '../../../../server/store/recordings';
import { callerHistory, intakeBatch } from '../../../../server/store/records';
import { listPurges, purgeExpired } from '../../../../server/store/retention';
import { putSetting } from '../../../../server/store/settings';
import type { RecordDraft } from '../../../../shared/record';
import { draft } from '../../../helpers/records';
import { storeEngines } from '../../../helpers/store-engines';

const PHONE = { areaCode: '054', region: 'KR' as const };
const DAY = 86_400_000;
const T0 = new Date('2026-11-10T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();
const CITIZEN = '010-5550-1234';
const vault = () => openRecordingVault(mkdtempSync(join(tmpdir(), 'minwon-rec-')), randomBytes(32));
const wav = (n: number) => Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE'), Buffer.alloc(n, 7)]);

function gateway(over: Partial<NewRecording> = {}): NewRecording {
  return { recordId: null, callId: `${randomUUID()}@pbx`, source: 'gateway', callerE164: '+821055501234', callee: '2708282', uploadedBy: null, startedAt: at(0), endedAt: at(180_000), mediaType: 'audio/wav', audio: wav(800), ...over };
}

describe('the recording vault', () => {
  it('seals each file under the city key: no audio readable on disk, another key or a flipped byte refuses to open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-vault-'));
    const key = randomBytes(32);
    const v = openRecordingVault(dir, key);
    const audio = Buffer.from('RIFF-the-citizen-said-something-private-WAVE'.repeat(20));
    v.put('rec-1', audio);
    const file = readFileSync(join(dir, 'rec-1.mwr'));
    expect(file.includes(Buffer.from('the-citizen-said'))).toBe(false);
    expect(v.get('rec-1')).toEqual(audio);
    expect(() => openRecordingVault(dir, randomBytes(32)).get('rec-1')).toThrow(/another key/);
    file.writeUInt8(file.readUInt8(file.length - 1) ^ 1, file.length - 1);
    writeFileSync(join(dir, 'rec-1.mwr'), file);
    expect(() => v.get('rec-1')).toThrow();
    expect(() => v.put('../escape', audio)).toThrow(/not a recording file name/);
  });

  it('makes the key once, readable by its owner only, or takes the city’s from MINWON_RECORDING_KEY', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-key-'));
    const first = recordingKey(dir, {});
    expect(recordingKey(dir, {})).toEqual(first);
    expect(readdirSync(dir)).toEqual(['recording.key']);
    const shared = randomBytes(32);
    expect(recordingKey(dir, { MINWON_RECORDING_KEY: shared.toString('base64') })).toEqual(shared);
    expect(() => recordingKey(dir, { MINWON_RECORDING_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
  });
});

describe.each(storeEngines())('on $name', ({ open }) => {
  const file = async (db: Awaited<ReturnType<typeof open>>, records: RecordDraft[], agent = 'agent-1', now = new Date(T0.getTime() + DAY)) =>
    intakeBatch(db, { batchKey: randomUUID(), records }, agent, PHONE, now);

  it('files a gateway recording once per call, linked to the record that names its call whichever comes first', async () => {
    const db = await open();
    const v = vault();
    const early = gateway();
    const first = await storeRecording(db, v, early, T0);
    expect(first.duplicate).toBe(false);
    // The spool after a crash offers the same call again: the first stays, nothing more on disk.
    expect(await storeRecording(db, v, { ...early, audio: wav(10) }, T0)).toEqual({ id: first.id, duplicate: true });
    const record = draft({ callerNumber: CITIZEN, startedAt: at(0), endedAt: at(180_000), callIds: [early.callId] });
    await file(db, [record]);
    expect((await recordingsOfRecord(db, record.id)).map((r) => r.id)).toEqual([first.id]);
    // A record filed first links the recording that comes after it.
    const later = draft({ callerNumber: CITIZEN, startedAt: at(DAY / 2), endedAt: at(DAY / 2 + 60_000), callIds: ['call-b@pbx'] });
    await file(db, [later]);
    const second = await storeRecording(db, v, gateway({ callId: 'call-b@pbx', startedAt: later.startedAt, endedAt: later.endedAt }), T0);
    expect((await recordingsOfRecord(db, later.id)).map((r) => r.id)).toEqual([second.id]);
    const opened = await openRecording(db, v, first.id);
    expect(opened?.audio).toEqual(early.audio);
    expect(opened?.summary).toMatchObject({ recordId: record.id, source: 'gateway', seconds: 180, bytes: early.audio.length, mediaType: 'audio/wav', held: false, deleteAfter: new Date(T0.getTime() + 60 * DAY).toISOString() });
  });

  it('links the staff leg of a blind transfer to the transferred consultation, and nothing else of the citizen', async () => {
    const db = await open();
    const v = vault();
    const record = draft({ callerNumber: CITIZEN, startedAt: at(0), endedAt: at(120_000), outcome: 'transferred', callIds: ['leg-1@pbx'] });
    await file(db, [record]);
    const staffLeg = await storeRecording(db, v, gateway({ callId: 'leg-2@pbx', callee: '3511', startedAt: at(121_000), endedAt: at(300_000) }), T0);
    const nextDay = await storeRecording(db, v, gateway({ callId: 'leg-3@pbx', startedAt: at(DAY), endedAt: at(DAY + 60_000) }), T0);
    const other = await storeRecording(db, v, gateway({ callId: 'leg-4@pbx', callerE164: '+821099998888', startedAt: at(121_000), endedAt: at(200_000) }), T0);
    expect((await recordingsOfRecord(db, record.id)).map((r) => r.id)).toEqual([staffLeg.id]);
    expect((await db.all<{ id: string }>('SELECT id FROM recordings WHERE record_id IS NULL ORDER BY id')).map((r) => r.id).sort()).toEqual([nextDay.id, other.id].sort());
  });

  it('refuses a desk recording for another agent’s record, and another desk’s upload of the same call', async () => {
    const db = await open();
    const v = vault();
    const record = draft({ callerNumber: CITIZEN, startedAt: at(0), endedAt: at(60_000) });
    await file(db, [record], 'agent-1');
    const desk = (uploadedBy: string, over: Partial<NewRecording> = {}): NewRecording => ({ ...gateway(), source: 'desk', recordId: record.id, callId: 'desk-call@ws', callerE164: null, uploadedBy, mediaType: 'audio/webm', ...over });
    await expect(storeRecording(db, v, desk('agent-2'), T0)).rejects.toBeInstanceOf(RecordingRefused);
    const mine = await storeRecording(db, v, desk('agent-1'), T0);
    expect(await storeRecording(db, v, desk('agent-1'), T0)).toEqual({ id: mine.id, duplicate: true });
    await expect(storeRecording(db, v, desk('agent-2', { recordId: randomUUID() }), T0)).rejects.toThrow(/another desk/);
    expect(await db.all('SELECT id FROM recordings')).toHaveLength(1);
  });

  it('deletes recordings past the city’s days, files and rows, with the purge logged — but not a reported call’s until its case is closed', async () => {
    const db = await open();
    const v = vault();
    await putSetting(db, { key: 'protection', value: { warningsBeforeEnd: 3, protectedBreakReason: 'recovery', recordingRetentionDays: 30 } });
    const plain = draft({ callerNumber: CITIZEN, startedAt: at(0), endedAt: at(60_000), callIds: ['plain@pbx'] });
    const reported = draft({ callerNumber: CITIZEN, startedAt: at(1000), endedAt: at(90_000), callIds: ['reported@pbx'], warnings: { played: 2, spoken: 1 }, endReason: 'abusive', report: 'threat' });
    const fresh = draft({ callerNumber: CITIZEN, startedAt: at(20 * DAY), endedAt: at(20 * DAY + 60_000), callIds: ['fresh@pbx'] });
    await file(db, [plain, reported], 'agent-1', new Date(T0.getTime() + DAY));
    await file(db, [fresh], 'agent-1', new Date(T0.getTime() + 21 * DAY));
    const [a, b, c] = [
      await storeRecording(db, v, gateway({ callId: 'plain@pbx', startedAt: plain.startedAt, endedAt: plain.endedAt }), T0),
      await storeRecording(db, v, gateway({ callId: 'reported@pbx', startedAt: reported.startedAt, endedAt: reported.endedAt }), T0),
      await storeRecording(db, v, gateway({ callId: 'fresh@pbx', startedAt: fresh.startedAt, endedAt: fresh.endedAt }), T0),
    ];
    const day40 = new Date(T0.getTime() + 40 * DAY);
    expect(await purgeRecordings(db, v, day40)).toEqual({ cutoff: new Date(day40.getTime() - 30 * DAY).toISOString(), count: 1 });
    expect(v.has(a.id)).toBe(false);
    expect(await openRecording(db, v, a.id)).toBeNull();
    expect((await openRecording(db, v, b.id))?.summary).toMatchObject({ held: true, deleteAfter: null });
    expect(v.has(c.id)).toBe(true);
    expect((await listPurges(db, 10)).map((p) => [p.kind, p.count])).toEqual([['recordings', 1]]);

    // The case: listed open, with what the agent recorded; closing it lets retention take the recording.
    const [open1] = await listCases(db, 'open', 10);
    expect(open1).toMatchObject({ recordId: reported.id, kind: 'threat', agentId: 'agent-1', warnings: { played: 2, spoken: 1 }, endReason: 'abusive', recordings: 1, closedAt: null });
    // The records' own retention keeps the reported record while its case is open.
    await putSetting(db, { key: 'retentionDays', value: 30 });
    await purgeExpired(db, day40);
    expect((await db.all<{ id: string }>('SELECT id FROM records ORDER BY started_ms')).map((r) => r.id)).toEqual([reported.id, fresh.id]);
    const closed = await closeCase(db, reported.id, 'lead1', '가해자 고발 완료', day40);
    expect(closed).toMatchObject({ closedBy: 'lead1', closingNote: '가해자 고발 완료', closedAt: day40.toISOString() });
    // Closing again keeps the first closing.
    expect(await closeCase(db, reported.id, 'lead2', '다시', new Date(day40.getTime() + 1000))).toMatchObject({ closedBy: 'lead1' });
    expect(await closeCase(db, plain.id, 'lead1', '없는 사건', day40)).toBeNull();
    expect(await listCases(db, 'open', 10)).toEqual([]);
    expect(await purgeRecordings(db, v, day40)).toMatchObject({ count: 1 });
    expect(v.has(b.id)).toBe(false);
  });

  it('logs every access with its reason, refused ones too', async () => {
    const db = await open();
    await logRecordingAccess(db, { actor: 'agent1', role: 'agent', recordingId: 'r-1', recordId: null, purpose: 'play', reason: '궁금해서', allowed: false }, T0);
    await logRecordingAccess(db, { actor: 'lead1', role: 'lead', recordingId: 'r-1', recordId: 'x', purpose: 'download', reason: '민원 재확인', allowed: true }, new Date(T0.getTime() + 1000));
    expect((await listRecordingAccess(db, 10)).map((r) => [r.actor, r.purpose, r.reason, r.allowed])).toEqual([
      ['lead1', 'download', '민원 재확인', true],
      ['agent1', 'play', '궁금해서', false],
    ]);
  });

  it('keeps the protocol on the record: every desk’s history shows the protocol end, a retry with other warnings is refused', async () => {
    const db = await open();
    const abusive = draft({ callerNumber: CITIZEN, startedAt: at(0), endedAt: at(60_000), warnings: { played: 3, spoken: 0 }, endReason: 'abusive' });
    expect((await file(db, [abusive])).accepted).toEqual([abusive.id]);
    const [item] = await callerHistory(db, '+821055501234', 10, 'agent-2');
    expect(item?.endReason).toBe('abusive');
    const retry = await file(db, [{ ...abusive, warnings: { played: 1, spoken: 0 } }]);
    expect(retry.rejected.map((r) => r.reason)).toEqual(['this id was already stored with different content']);
    expect((await file(db, [abusive])).duplicates).toEqual([abusive.id]);
  });
});
