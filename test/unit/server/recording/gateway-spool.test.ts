import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGatewaySpool, rescueInterruptedRecordings, type GatewaySpool } from '../../../../server/recording/gateway-spool';
import { rms, toneShare, toneStream, wavChannels, writePcap, type Captured } from '../../../helpers/rtp-pcap';

// A spool laid out as rtpengine 10.5 lays it (metadata/, pcaps/, tmp/; names and file contents as
// seen in a real run: see rtpengine-meta.ts), written by the test.

const T0 = Date.parse('2026-12-08T01:00:00Z');
const PBX = '127.0.0.1:40000';
const DESK = '127.0.0.1:50000';

/** The SDP rtpengine sends on: toward the PBX plain RTP on `port`, toward a browser DTLS-SRTP with rtcp-mux. */
const sdp = (port: number, web: boolean) =>
  [
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${port} ${web ? 'UDP/TLS/RTP/SAVPF' : 'RTP/AVP'} 8 0 101`, 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000',
    ...(web ? ['a=rtcp-mux', 'a=setup:actpass', 'a=fingerprint:sha-256 AA:BB', 'a=ice-ufrag:x'] : [`a=rtcp:${port + 1}`]),
    'a=sendrecv', '',
  ].join('\r\n');

interface Recording {
  callId: string;
  /** The random part rtpengine adds. */
  rand?: string;
  packets: Captured[];
  /** SDP blocks: [mode, port, toward a browser]. */
  sdps?: [string, number, boolean][];
  /** undefined: still running (tmp/); null: finished without metadata. */
  metadata?: string | null;
  pcap?: Buffer;
}

describe('the gateway spool', () => {
  let dir: string;
  let logs: string[];
  let now: Date;
  let spool: GatewaySpool;
  const open = () => createGatewaySpool(dir, { clock: () => now, log: (l) => logs.push(l) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'minwon-spool-'));
    for (const d of ['metadata', 'pcaps', 'tmp']) mkdirSync(join(dir, d));
    logs = [];
    now = new Date(Date.now());
    spool = open();
  });

  const key = (r: Recording) => `${encodeURIComponent(r.callId)}-${r.rand ?? 'a1b2c3d4e5f60718'}`;
  /** Writes a recording as rtpengine would: running (tmp/) or finished (metadata/). */
  function write(r: Recording): string {
    const k = key(r);
    const pcapPath = join(dir, 'pcaps', `${k}.pcap`);
    writeFileSync(pcapPath, r.pcap ?? writePcap(r.packets));
    let text = `${pcapPath}\n\n`;
    for (const [mode, port, web] of r.sdps ?? [['offer', 30010, true], ['answer', 30000, false]]) {
      text += `\nTimestamp started ms: ${T0 - 5000}.125\nSDP mode: ${mode}\nSDP before RTP packet: 1\n\n${sdp(port, web)}`;
    }
    if (r.metadata === undefined) {
      writeFileSync(join(dir, 'tmp', `rtpengine-meta-${k}.tmp`), text);
    } else {
      text += `\nTimestamp terminated ms(first monologue): ${T0 + 9000}.5\n\ncall start time: 2026-12-08T10:00:00\ncall end time: 2026-12-08T10:00:09\n`;
      if (r.metadata) text += `\n\n${r.metadata}\n`;
      writeFileSync(join(dir, 'metadata', `rtpengine-meta-${k}.txt`), text);
    }
    return k;
  }
  /** rtpengine finishing a recording: the end written, the file moved from tmp/ to metadata/. */
  const finish = (r: Recording, metadata: string | null) => {
    rmSync(join(dir, 'tmp', `rtpengine-meta-${key(r)}.tmp`));
    write({ ...r, metadata });
  };

  /** The PBX's 440 Hz to rtpengine's port 30000 from T0 for 3 s; the desk's 1000 Hz to 30010 from T0 + 1 s. */
  const call = (callId: string, startMs = T0): Recording => ({
    callId,
    packets: [
      ...toneStream({ hz: 440, pt: 8, startMs, seconds: 3, ssrc: 1, src: PBX, dst: '127.0.0.1:30000' }),
      ...toneStream({ hz: 1000, pt: 0, startMs: startMs + 1000, seconds: 2, ssrc: 2, src: DESK, dst: '127.0.0.1:30010' }),
    ].sort((a, b) => a.timeMs - b.timeMs),
  });

  it('takes a finished call with its numbers, times and both sides’ audio, and never one still running', async () => {
    const running = call('running-1@10.0.0.5');
    write(running);
    const finished = call('finished-1@10.0.0.5');
    write({ ...finished, metadata: 'caller:01012345678|callee:2708282' });
    const taken = await spool.takeFinished();
    expect(taken.map((r) => r.callId)).toEqual(['finished-1@10.0.0.5']);
    const r = taken[0];
    expect(r).toMatchObject({ caller: '01012345678', callee: '2708282', startedAt: new Date(T0), endedAt: new Date(T0 + 3000) });
    const { left, right } = wavChannels(r?.wav as Buffer);
    expect(toneShare(left, 440, 0, 3)).toBeGreaterThan(0.95);
    expect(toneShare(left, 1000, 0, 3)).toBeLessThan(0.01);
    expect(rms(right, 0, 1)).toBe(0);
    expect(toneShare(right, 1000, 1, 3)).toBeGreaterThan(0.95);
    expect(toneShare(right, 440, 1, 3)).toBeLessThan(0.01);
    expect(logs).toEqual([]);

    // The running call once rtpengine finished it.
    finish(running, 'caller:01099998888|callee:agent2');
    expect((await spool.takeFinished()).map((x) => [x.callId, x.caller, x.callee])).toEqual([
      ['finished-1@10.0.0.5', '01012345678', '2708282'],
      ['running-1@10.0.0.5', '01099998888', 'agent2'],
    ]);
  });

  it('waits for every recording of a call (rtpengine may have made more than one) and joins them', async () => {
    const first = { ...call('twice@pbx'), rand: '0000000000000001' };
    const second = { ...call('twice@pbx', T0 + 5000), rand: '0000000000000002' };
    write({ ...first, metadata: 'caller:0212345678|callee:2708282' });
    write(second);
    expect(await spool.takeFinished()).toEqual([]);
    finish(second, 'caller:0212345678|callee:2708282');
    const [r] = await spool.takeFinished();
    expect(r).toMatchObject({ callId: 'twice@pbx', caller: '0212345678', startedAt: new Date(T0), endedAt: new Date(T0 + 8000) });
    const { left } = wavChannels(r?.wav as Buffer);
    expect(toneShare(left, 440, 0, 3)).toBeGreaterThan(0.95);
    expect(rms(left, 3, 5)).toBe(0);
    expect(toneShare(left, 440, 5, 8)).toBeGreaterThan(0.95);
  });

  it('tells the sides apart by the one SDP recorded when recording began at the answer', async () => {
    // A PBX call to a desk: the desk's answer, rewritten toward the PBX, is the only SDP.
    write({ ...call('answer-only'), sdps: [['answer', 30000, false]], metadata: 'caller:01011112222|callee:2708282' });
    // A desk's call out: the PBX's answer, rewritten toward the desk.
    write({ ...call('desk-out'), sdps: [['answer', 30010, true]], metadata: 'caller:agent1|callee:01033334444' });
    for (const r of await spool.takeFinished()) {
      const { left, right } = wavChannels(r.wav);
      expect(toneShare(left, 440, 0, 3), r.callId).toBeGreaterThan(0.95);
      expect(toneShare(right, 1000, 1, 3), r.callId).toBeGreaterThan(0.95);
      expect(toneShare(right, 440, 1, 3), r.callId).toBeLessThan(0.01);
    }
  });

  it('gives packets to a port no SDP named to the callee, when a re-INVITE named new ports for it', async () => {
    // Answered (SDP toward the PBX), then held by the desk: rtpengine answered it on new ports.
    const r = call('reinvited');
    r.packets = [
      ...toneStream({ hz: 440, pt: 8, startMs: T0, seconds: 3, ssrc: 1, src: PBX, dst: '127.0.0.1:30000' }),
      ...toneStream({ hz: 1000, pt: 0, startMs: T0, seconds: 1, ssrc: 2, src: DESK, dst: '127.0.0.1:30010' }),
      ...toneStream({ hz: 1000, pt: 0, startMs: T0 + 1000, seconds: 2, ssrc: 2, src: '127.0.0.1:50002', dst: '127.0.0.1:30020', seq0: 1050, ts0: 50_000 + 8000 }),
    ].sort((a, b) => a.timeMs - b.timeMs);
    write({ ...r, sdps: [['answer', 30000, false], ['offer', 30000, false], ['answer', 30020, true]], metadata: 'caller:01011112222|callee:2708282' });
    const [taken] = await spool.takeFinished();
    const { left, right } = wavChannels(taken?.wav as Buffer);
    expect(toneShare(left, 440, 0, 3)).toBeGreaterThan(0.95);
    expect(toneShare(right, 1000, 0, 3)).toBeGreaterThan(0.95);
    expect(toneShare(left, 1000, 0, 3)).toBeLessThan(0.01);
    expect(logs).toEqual([]);
  });

  it('hands a call out again until it is done, then removes its files; done works after a restart too', async () => {
    const a = write({ ...call('a@x'), metadata: 'caller:01000000001|callee:2708282' });
    const b = write({ ...call('b@x'), metadata: 'caller:01000000002|callee:2708282' });
    expect((await spool.takeFinished()).map((r) => r.callId).sort()).toEqual(['a@x', 'b@x']);
    // The server died before storing: a new spool (the restarted server) gets both again.
    spool = open();
    expect((await spool.takeFinished()).length).toBe(2);
    spool.done('a@x');
    expect(readdirSync(join(dir, 'metadata'))).toEqual([`rtpengine-meta-${b}.txt`]);
    expect(readdirSync(join(dir, 'pcaps'))).toEqual([`${b}.pcap`]);
    expect(a).not.toBe(b);
    // Done without a take in this process (stored by the previous one).
    open().done('b@x');
    expect(readdirSync(join(dir, 'metadata'))).toEqual([]);
    expect(readdirSync(join(dir, 'pcaps'))).toEqual([]);
    expect(await spool.takeFinished()).toEqual([]);
    spool.done('nobody@x');
  });

  it('decodes the Call-ID from rtpengine’s escaped file name', async () => {
    const callId = 'a84b4c76e66710@pc33.atlanta.com:5060;x=/y?z%20';
    const k = write({ ...call(callId), metadata: 'caller:01012345678|callee:2708282' });
    expect(k).toContain('%3A');
    expect((await spool.takeFinished()).map((r) => r.callId)).toEqual([callId]);
    spool.done(callId);
    expect(readdirSync(join(dir, 'metadata'))).toEqual([]);
  });

  it('sets aside a call whose files cannot be read, with a log line, and goes on with the others', async () => {
    write({ ...call('garbage'), pcap: Buffer.from('this is not a pcap at all, it is some text'), metadata: 'caller:1|callee:2' });
    const truncated = writePcap(call('x').packets);
    write({ ...call('truncated'), pcap: truncated.subarray(0, truncated.length - 10), metadata: 'caller:1|callee:2' });
    const missing = write({ ...call('missing-pcap'), metadata: 'caller:1|callee:2' });
    rmSync(join(dir, 'pcaps', `${missing}.pcap`));
    write({ ...call('good'), metadata: 'caller:01012345678|callee:2708282' });
    expect((await spool.takeFinished()).map((r) => r.callId)).toEqual(['good']);
    expect(logs.join('\n')).toMatch(/call garbage cannot be read \(not a pcap file/);
    expect(logs.join('\n')).toMatch(/call truncated cannot be read \(truncated pcap/);
    expect(logs.join('\n')).toMatch(/call missing-pcap cannot be read \(ENOENT/);
    const failed = readdirSync(join(dir, 'failed')).sort();
    expect(failed.filter((f) => f.endsWith('.txt'))).toHaveLength(3);
    expect(failed.filter((f) => f.endsWith('.pcap'))).toHaveLength(2);
    // Not tried again.
    logs = [];
    expect((await spool.takeFinished()).map((r) => r.callId)).toEqual(['good']);
    expect(logs).toEqual([]);
  });

  it('keeps what a killed rtpengine left: moved on its next start, read up to the last whole packet, without numbers', async () => {
    const pcap = writePcap(call('killed').packets);
    write({ ...call('killed'), pcap: pcap.subarray(0, pcap.length - 50) });
    expect(await spool.takeFinished()).toEqual([]);
    expect(rescueInterruptedRecordings(dir, { log: (l) => logs.push(l) })).toBe(1);
    const [r] = await spool.takeFinished();
    expect(r).toMatchObject({ callId: 'killed', caller: null, callee: null, startedAt: new Date(T0) });
    // The last packet (the desk's, at 2.98 s) is cut off; the PBX's of the same moment is whole.
    expect(r?.endedAt).toEqual(new Date(T0 + 3000));
    const { left, right } = wavChannels(r?.wav as Buffer);
    expect(toneShare(left, 440, 0, 3)).toBeGreaterThan(0.95);
    expect(toneShare(right, 1000, 1, 2.98)).toBeGreaterThan(0.95);
    expect(rms(right, 2.98, 3)).toBe(0);
    expect(logs.join('\n')).toMatch(/call killed was interrupted/);
  });

  it('takes a recording nothing wrote for hours as abandoned by a dead rtpengine', async () => {
    const k = write(call('stale'));
    expect(await spool.takeFinished()).toEqual([]);
    const old = new Date(now.getTime() - 3 * 3600_000 - 1000);
    utimesSync(join(dir, 'tmp', `rtpengine-meta-${k}.tmp`), old, old);
    expect(await spool.takeFinished()).toEqual([]);
    utimesSync(join(dir, 'pcaps', `${k}.pcap`), old, old);
    expect((await spool.takeFinished()).map((r) => r.callId)).toEqual(['stale']);
    expect(logs.join('\n')).toMatch(/call stale was abandoned by its rtpengine/);
  });

  it('takes the oldest first, a few at a time', async () => {
    for (let i = 0; i < 5; i++) {
      const k = write({ ...call(`c${i}`), metadata: `caller:0100000000${i}|callee:2708282` });
      const at = new Date(now.getTime() - (10 - i) * 60_000);
      utimesSync(join(dir, 'metadata', `rtpengine-meta-${k}.txt`), at, at);
    }
    expect((await spool.takeFinished({ max: 2 })).map((r) => r.callId)).toEqual(['c0', 'c1']);
    // Over the byte budget after the first: one at a time, never none.
    expect((await spool.takeFinished({ maxBytes: 1 })).map((r) => r.callId)).toEqual(['c0']);
    expect((await spool.takeFinished()).length).toBe(5);
  });

  it('says when a side sent a codec it cannot decode, and not for key presses', async () => {
    const r = call('opus');
    r.packets.push(...toneStream({ hz: 1000, pt: 0, startMs: T0, seconds: 0.1, ssrc: 7, src: DESK, dst: '127.0.0.1:30010' }).map((c) => ({ ...c, data: Buffer.concat([Buffer.from([0x80, 111]), c.data.subarray(2)]) })));
    r.packets.push(...toneStream({ hz: 1000, pt: 0, startMs: T0, seconds: 0.1, ssrc: 8, src: PBX, dst: '127.0.0.1:30000' }).map((c) => ({ ...c, data: Buffer.concat([Buffer.from([0x80, 101]), c.data.subarray(2)]) })));
    write({ ...r, metadata: 'caller:1|callee:2' });
    await spool.takeFinished();
    expect(logs).toEqual(['gateway recording of call opus: left out 5 (pt 111)']);
  });
});
