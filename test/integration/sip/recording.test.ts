import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORDED_BY_GATEWAY, RECORDED_HEADER } from '../../../shared/recording';
import { createGatewaySpool, gatewaySpoolDir, type GatewayRecording, type GatewaySpool } from '../../../server/recording/gateway-spool';
import { call, signIn } from '../../helpers/http';
import { freePort } from '../../helpers/ports';
import { sipDataApart } from '../../helpers/city-apart';
import { spawnMinwon, startCityServerProcess, startSipProcess, waitForOutput, type CityServerProcess, type Spawned } from '../../helpers/processes';
import { gatewayCalls, ngRequest } from '../../helpers/rtpengine-ng';
import { g711Encode, rms, rtp, sine, toneShare, wavChannels } from '../../helpers/rtp-pcap';
import { srtpSender } from '../../helpers/srtp';
import { startPhone, type SipPhone } from '../../helpers/sip-phone';
import { waitFor } from '../../helpers/wait';

// The gateway's recording with the real Kamailio (the project's kamailio.cfg) and the real
// rtpengine of `minwon sip`: calls between the PBX trunk (a UDP phone at the trunk's address, 440
// Hz A-law) and desks (phones over Kamailio's WebSocket, 1000 Hz µ-law), through the city's
// spool reader. The desks' phones are Node's (test/helpers/sip-phone.ts): SIP over WebSocket as
// JsSIP speaks it, but plain RTP instead of DTLS-SRTP, which Node cannot do; rtpengine records
// what it received after decryption either way (the benchmark's Chromium desks use DTLS-SRTP).

const HEADER = RECORDED_HEADER.toLowerCase();
const PBX_HZ = 440;
const DESK_HZ = 1000;

describe('the gateway records every call it bridges', () => {
  let dataDir: string;
  let city: CityServerProcess;
  /** `minwon sip`'s data folder: the city's accounts, a recording spool of its own. */
  let sipDir: string;
  let sip: Spawned;
  const ports = { ws: 0, sip: 0, ng: 0, trunk: 0 };
  let spool: GatewaySpool;
  const logs: string[] = [];
  let pbx: SipPhone;
  let desk1: SipPhone;
  let desk2: SipPhone;
  const spoolFiles = (sub: string, callId: string) => readdirSync(join(gatewaySpoolDir(sipDir), sub)).filter((f) => f.includes(encodeURIComponent(callId)));

  const desk = async (user: string, extra: { answerHeaders?: string[] } = {}) => {
    const { sip: account } = await signIn(city.url, user, user);
    const phone = await startPhone({ transport: { ws: `ws://127.0.0.1:${ports.ws}` }, user, secret: account.password, tone: { hz: DESK_HZ, pt: 0 }, ...extra });
    expect(await phone.register()).toBe(200);
    return phone;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'minwon-recording-'));
    city = await startCityServerProcess(dataDir, { demo: true });
    // The city server files recordings from its DATA/recording-spool itself: here the test reads the spool.
    sipDir = sipDataApart(dataDir);
    Object.assign(ports, { ws: await freePort(), sip: await freePort(), ng: await freePort(), trunk: await freePort() });
    sip = await startSipProcess(sipDir, ports, { pbx: `127.0.0.1:${ports.trunk}` });
    spool = createGatewaySpool(gatewaySpoolDir(sipDir), { clock: () => new Date(), log: (l) => logs.push(l) });
    pbx = await startPhone({ transport: { udp: { host: '127.0.0.1', port: ports.sip }, localPort: ports.trunk }, user: '01055501234', tone: { hz: PBX_HZ, pt: 8 } });
    desk1 = await desk('agent1');
    // agent2's desk tries to forge the mark on its answers.
    desk2 = await desk('agent2', { answerHeaders: [`${RECORDED_HEADER}: ${RECORDED_BY_GATEWAY}`] });
  });

  afterAll(async () => {
    for (const p of [pbx, desk1, desk2]) p?.close();
    if (sip && sip.proc.exitCode === null) {
      sip.proc.kill('SIGTERM');
      await sip.exited;
    }
    await city?.stop();
  });

  /** Takes the spool until the call is there (it is only once rtpengine finished it). */
  const taken = (callId: string) => waitFor(() => spool.takeFinished(), (l) => l.some((r) => r.callId === callId), 5_000).then((l) => l.find((r) => r.callId === callId) as GatewayRecording);

  /**
   * The citizen's side of a call through Kamailio: the PBX's tone, left, for the whole call. (The
   * Node desks send plain RTP on the leg rtpengine secures, which it drops: the desk's side is
   * checked with a secured leg below, and with Chromium's DTLS-SRTP in the gateway benchmark.)
   */
  const expectCitizenSide = (r: GatewayRecording, seconds: number) => {
    const { left, right } = wavChannels(r.wav);
    expect(left.length / 8000).toBeGreaterThan(seconds - 0.5);
    expect(toneShare(left, PBX_HZ, 0.2, seconds - 0.3)).toBeGreaterThan(0.9);
    expect(toneShare(left, DESK_HZ, 0.2, seconds - 0.3)).toBeLessThan(0.02);
    expect(toneShare(right, PBX_HZ, 0.2, seconds - 0.3)).toBeLessThan(0.02);
    expect(r.endedAt.getTime() - r.startedAt.getTime()).toBe(Math.round((left.length / 8000) * 1000));
  };

  it('records a PBX call to the representative number in one recording through hold and resume, with the network’s number, and tells the desk', async () => {
    const { token } = await signIn(city.url, 'agent2', 'agent2');
    expect((await call(city.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify({ state: 'ready', reason: null }) })).status).toBe(200);
    const began = Date.now();
    // The network's number, and a mark the PBX has no say in.
    const answer = pbx.call('2708282', ['P-Asserted-Identity: <sip:01077001234@127.0.0.1>', `${RECORDED_HEADER}: forged`]);
    const atDesk = await desk2.nextCall();
    const { status, response, call: pbxCall } = await answer;
    expect(status).toBe(200);
    const callId = atDesk.callId;
    // The desk is told, once, in Kamailio's words; the PBX never sees the desk's forged mark.
    expect(atDesk.setup.headers(HEADER)).toEqual([RECORDED_BY_GATEWAY]);
    expect(response.headers(HEADER)).toEqual([]);

    await new Promise((r) => setTimeout(r, 1_200));
    // Running: rtpengine is writing, and the spool leaves it alone.
    expect(spoolFiles('tmp', callId)).toHaveLength(1);
    expect(spoolFiles('pcaps', callId)).toHaveLength(1);
    expect(spoolFiles('metadata', callId)).toEqual([]);
    expect((await spool.takeFinished()).map((r) => r.callId)).not.toContain(callId);

    // Hold and resume from the desk: the same recording goes on.
    expect(await atDesk.reinvite('sendonly')).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await atDesk.reinvite('sendrecv')).toBe(200);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await pbxCall?.hangup()).toBe(200);
    await atDesk.ended;
    const seconds = (Date.now() - began) / 1000;

    const r = await taken(callId);
    expect(spoolFiles('metadata', callId)).toHaveLength(1);
    expect(r).toMatchObject({ callId, caller: '01077001234', callee: '2708282' });
    expect(r.startedAt.getTime()).toBeGreaterThanOrEqual(began - 50);
    expect(r.endedAt.getTime()).toBeLessThanOrEqual(Date.now() + 50);
    expectCitizenSide(r, Math.min(seconds, r.wav.length / 32_000));
    expect(logs).toEqual([]);
    spool.done(callId);
    expect([...spoolFiles('metadata', callId), ...spoolFiles('pcaps', callId), ...spoolFiles('tmp', callId)]).toEqual([]);
    await call(city.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify({ state: 'not-ready', reason: 'meal' }) });
  });

  it('records a desk’s call out through the PBX, and says so on the answer', async () => {
    const atPbx = pbx.nextCall();
    const { status, response, call: deskCall } = await desk1.call('01012345678', [`${RECORDED_HEADER}: forged`]);
    expect(status).toBe(200);
    expect(response.headers(HEADER)).toEqual([RECORDED_BY_GATEWAY]);
    const pbxSide = await atPbx;
    expect(pbxSide.setup.headers(HEADER)).toEqual([]);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await deskCall?.hangup()).toBe(200);
    await pbxSide.ended;
    const r = await taken(pbxSide.callId);
    expect(r).toMatchObject({ caller: 'agent1', callee: '01012345678' });
    expectCitizenSide(r, r.wav.length / 32_000);
    spool.done(r.callId);
  });

  it('neither marks nor records a desk-to-desk call (no rtpengine), and strips a desk’s forged mark', async () => {
    const atDesk = desk2.nextCall();
    const { status, response, call: deskCall } = await desk1.call('agent2', [`${RECORDED_HEADER}: ${RECORDED_BY_GATEWAY}`]);
    expect(status).toBe(200);
    const callee = await atDesk;
    expect(callee.setup.headers(HEADER)).toEqual([]);
    expect(response.headers(HEADER)).toEqual([]);
    expect(await gatewayCalls(ports.ng)).not.toContain(callee.callId);
    await new Promise((r) => setTimeout(r, 500));
    expect(await deskCall?.hangup()).toBe(200);
    expect(['tmp', 'pcaps', 'metadata'].flatMap((d) => spoolFiles(d, callee.callId))).toEqual([]);
    expect(sip.stderr()).toMatch(/X-Minwon-Recorded from 127\.0\.0\.1:\d+ stripped/);
    expect(sip.stderr()).toMatch(/X-Minwon-Recorded in a 200 from 127\.0\.0\.1:\d+ stripped/);
  });

  it('records both directions, the secured leg as rtpengine decrypted it, and hands the call over only once it ended (rtpengine driven over ng)', async () => {
    // Kamailio's part is the tests above; here rtpengine of `minwon sip` gets the call as Kamailio
    // would hand it over, with a secured leg keyed by SDES (DTLS-SRTP needs a browser; the SRTP
    // that rtpengine decrypts is the same).
    const callId = `ng-${randomBytes(6).toString('hex')}@pbx.city`;
    const sockets: Socket[] = [];
    const bound = async () => {
      const s = createSocket('udp4');
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      sockets.push(s);
      return s;
    };
    try {
      const [pbxMedia, deskMedia] = [await bound(), await bound()];
      const sdp = (port: number, proto: string, extra: string[] = []) =>
        ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} ${proto} 8 0 101`, 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', ...extra, 'a=sendrecv', ''].join('\r\n');
      const port = (text: unknown) => Number(/^m=audio (\d+)/m.exec(String(text))?.[1]);
      const offer = await ngRequest(ports.ng, {
        command: 'offer', 'call-id': callId, 'from-tag': 'pbx', sdp: sdp(pbxMedia.address().port, 'RTP/AVP'), 'transport-protocol': 'RTP/SAVP',
        replace: ['origin', 'session-connection'], metadata: 'caller:01099990000|callee:2708282',
      });
      const crypto = /^a=crypto:(\d+) AES_CM_128_HMAC_SHA1_80 /m.exec(String(offer.sdp));
      expect(crypto).not.toBeNull();
      const srtp = srtpSender(randomBytes(30));
      const answer = await ngRequest(ports.ng, {
        command: 'answer', 'call-id': callId, 'from-tag': 'pbx', 'to-tag': 'desk', sdp: sdp(deskMedia.address().port, 'RTP/SAVP', [srtp.cryptoLine(Number(crypto?.[1]))]),
        'transport-protocol': 'RTP/AVP', replace: ['origin', 'session-connection'], 'record-call': 'yes',
      });
      expect(answer.result).toBe('ok');
      /** 20 ms packets of a tone for `ms`, paced by the clock. */
      const play = (socket: Socket, to: number, hz: number, pt: 0 | 8, ms: number, protect = (b: Buffer) => b) =>
        new Promise<void>((resolve) => {
          const started = Date.now();
          let n = 0;
          const timer = setInterval(() => {
            while (n <= Math.min(ms, Date.now() - started) / 20) {
              socket.send(protect(rtp({ pt, seq: 100 + n, ts: 8000 + n * 160, ssrc: 0x5eed + pt, payload: g711Encode(pt, sine(hz, 160, n * 160)) })), to, '127.0.0.1');
              n++;
            }
            if (Date.now() - started >= ms) {
              clearInterval(timer);
              resolve();
            }
          }, 10);
        });
      const playing = Promise.all([play(pbxMedia, port(answer.sdp), PBX_HZ, 8, 2_000), play(deskMedia, port(offer.sdp), DESK_HZ, 0, 2_000, (b) => srtp.protect(b))]);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(spoolFiles('tmp', callId)).toHaveLength(1);
      expect((await spool.takeFinished()).map((r) => r.callId)).not.toContain(callId);
      await playing;
      expect((await spool.takeFinished()).map((r) => r.callId)).not.toContain(callId);
      await ngRequest(ports.ng, { command: 'delete', 'call-id': callId, 'from-tag': 'pbx' });

      const r = await taken(callId);
      expect(r).toMatchObject({ caller: '01099990000', callee: '2708282' });
      const { left, right } = wavChannels(r.wav);
      expect(left.length / 8000).toBeGreaterThan(1.9);
      expect(left.length / 8000).toBeLessThan(2.3);
      expect(toneShare(left, PBX_HZ, 0.1, 1.9)).toBeGreaterThan(0.95);
      expect(toneShare(left, DESK_HZ, 0.1, 1.9)).toBeLessThan(0.01);
      expect(toneShare(right, DESK_HZ, 0.1, 1.9)).toBeGreaterThan(0.95);
      expect(toneShare(right, PBX_HZ, 0.1, 1.9)).toBeLessThan(0.01);
      expect(rms(right, 0.1, 1.9)).toBeGreaterThan(0.3);
      expect(sip.stderr()).not.toMatch(new RegExp(`${callId}.*(SRTP|authentication)`, 'i'));
      spool.done(callId);
    } finally {
      sockets.forEach((s) => s.close());
    }
  });

  it('with --no-recording: rtpengine bridges the call, nothing is recorded and the desk is not told', async () => {
    sip.proc.kill('SIGTERM');
    await sip.exited;
    const plain = spawnMinwon(['sip', '--data', sipDir, '--ws-port', String(ports.ws), '--sip-port', String(ports.sip), '--ng-port', String(ports.ng), '--pbx', `127.0.0.1:${ports.trunk}`, '--no-recording']);
    sip = plain;
    expect((await waitForOutput(plain, /minwon sip listening on .*\n/))[0]).toMatch(/not recording/);
    // The desk's socket went with the old Kamailio.
    desk2.close();
    desk2 = await desk('agent2');
    const answer = pbx.call('agent2');
    const atDesk = await desk2.nextCall();
    expect((await answer).status).toBe(200);
    expect(atDesk.setup.headers(HEADER)).toEqual([]);
    expect(await gatewayCalls(ports.ng)).toContain(atDesk.callId);
    await new Promise((r) => setTimeout(r, 500));
    await (await answer).call?.hangup();
    expect(['tmp', 'pcaps', 'metadata'].flatMap((d) => spoolFiles(d, atDesk.callId))).toEqual([]);
    expect(plain.stderr()).not.toMatch(/recording requested/i);
  });
});
