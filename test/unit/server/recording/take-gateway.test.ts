import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GatewayRecording, GatewaySpool } from '../../../../server/recording/gateway-spool';
import { takeGatewayRecordings } from '../../../../server/recording/take-gateway';
import { openRecordingVault } from '../../../../server/recording/vault';
import { openRecording } from '../../../../server/store/recordings';
import { tempCityDb } from '../../../helpers/temp-db';

const PHONE = { areaCode: '054', region: 'KR' as const };
const wav = Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE'), Buffer.alloc(64, 3)]);
const call = (callId: string, caller: string | null, callee: string | null): GatewayRecording => ({
  callId,
  caller,
  callee,
  startedAt: new Date('2026-12-01T01:00:00Z'),
  endedAt: new Date('2026-12-01T01:03:00Z'),
  wav,
});

/** A spool that hands out its calls in takes of two, and forgets what is done. */
function fakeSpool(calls: GatewayRecording[], failDoneOnce = false): GatewaySpool & { done_: string[] } {
  let waiting = [...calls];
  const done_: string[] = [];
  let fail = failDoneOnce;
  return {
    done_,
    takeFinished: async () => waiting.slice(0, 2),
    done(callId) {
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
      done_.push(callId);
      waiting = waiting.filter((c) => c.callId !== callId);
    },
  };
}

describe('filing the gateway’s recordings', () => {
  it('files every finished call with its citizen (the caller of a PBX call, the number a desk called out), then clears the spool', async () => {
    const db = tempCityDb('take');
    const vault = openRecordingVault(mkdtempSync(join(tmpdir(), 'minwon-take-')), randomBytes(32));
    const spool = fakeSpool([call('in@pbx', '01055501234', '2708282'), call('out@pbx', 'agent1', '01099998888'), call('withheld@pbx', null, '2708282')]);
    expect(await takeGatewayRecordings({ db, vault, spool, phone: PHONE, clock: () => new Date() })).toBe(3);
    expect(spool.done_).toEqual(['in@pbx', 'out@pbx', 'withheld@pbx']);
    const rows = await db.all<{ call_id: string; caller_e164: string | null; id: string }>('SELECT call_id, caller_e164, id FROM recordings ORDER BY call_id');
    expect(rows.map((r) => [r.call_id, r.caller_e164])).toEqual([
      ['in@pbx', '+821055501234'],
      ['out@pbx', '+821099998888'],
      ['withheld@pbx', null],
    ]);
    expect((await openRecording(db, vault, rows[0]?.id as string))?.audio).toEqual(wav);
    await db.close();
  });

  it('files a call again after a crash before the spool was cleared, once', async () => {
    const db = tempCityDb('take-again');
    const vault = openRecordingVault(mkdtempSync(join(tmpdir(), 'minwon-take-')), randomBytes(32));
    const spool = fakeSpool([call('in@pbx', '01055501234', '2708282')], true);
    await expect(takeGatewayRecordings({ db, vault, spool, phone: PHONE, clock: () => new Date() })).rejects.toThrow(/disk full/);
    expect(await takeGatewayRecordings({ db, vault, spool, phone: PHONE, clock: () => new Date() })).toBe(1);
    expect(await db.all('SELECT call_id FROM recordings')).toEqual([{ call_id: 'in@pbx' }]);
    await db.close();
  });
});
