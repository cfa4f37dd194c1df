import { resolve } from 'node:path';
import { gatewaySpoolDir } from '../server/recording/gateway-spool';
import { supervise } from './daemon';
import { startKamailio, type KamailioOptions } from './kamailio';
import { startRtpengine } from './rtpengine';

// The SIP side of the stack: rtpengine (media) first, then Kamailio (signalling) driving it. Both
// are supervised: when rtpengine dies, Kamailio stays up (registrations and desk-to-desk calls go
// on, new PBX calls get 503 at once); when Kamailio dies, its workers go with it and it is started
// again (desks register again by themselves). Each restarts after 1, 3, then 10 s.

/** Read by kamailio.cfg (WITH_RECORDING). */
const RECORDING_ENV = 'MINWON_SIP_RECORDING';

export interface SipStackOptions extends Omit<KamailioOptions, 'rtpengine'> {
  ngPort: number;
  rtpPorts: readonly [number, number];
  /** rtpengine records every call it bridges into DATA/recording-spool (default); false: none. */
  recording?: boolean;
}

export interface RunningSipStack {
  /** Kamailio's WebSocket address. */
  wsUrl: string;
  /** rtpengine's control socket, as Kamailio uses it. */
  ngSocket: string;
  /** Where the recorded calls are (createGatewaySpool reads it); null when not recording. */
  recordingDir: string | null;
  stop(): Promise<void>;
}

export async function startSipStack(o: SipStackOptions, log: { sip(line: string): void; media(line: string): void; warn(line: string): void }): Promise<RunningSipStack> {
  const recording = o.recording !== false && !o.bypassMediaGateway;
  const recordingDir = recording ? resolve(gatewaySpoolDir(o.dataDir)) : undefined;
  const startMedia = () => startRtpengine({ dataDir: o.dataDir, ngPort: o.ngPort, rtpPorts: o.rtpPorts, ...(recordingDir ? { recordingDir } : {}) }, log.media);
  const rtpengine = await startMedia();
  // kamailio.cfg asks for recording, and marks recorded calls to the desks, only when told
  // (#!trydefenv): Kamailio inherits this process's environment.
  if (recording) process.env[RECORDING_ENV] = '1';
  else delete process.env[RECORDING_ENV];
  const startSignalling = () => startKamailio({ ...o, rtpengine: rtpengine.ngSocket }, log.sip);
  let kamailio;
  try {
    kamailio = await startSignalling();
  } catch (e) {
    await rtpengine.stop();
    throw e;
  }
  const media = supervise('rtpengine', rtpengine, startMedia, log, 'PBX calls get 503 until it is back');
  const signalling = supervise('kamailio', kamailio, startSignalling, log, 'no calls until it is back; desks register again by themselves');
  return {
    wsUrl: kamailio.wsUrl,
    ngSocket: rtpengine.ngSocket,
    recordingDir: recordingDir ?? null,
    async stop() {
      await signalling.stop();
      await media.stop();
    },
  };
}
