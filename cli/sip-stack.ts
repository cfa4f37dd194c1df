import { startKamailio, type KamailioOptions, type RunningKamailio } from './kamailio';
import { startRtpengine, type RunningRtpengine } from './rtpengine';

// The SIP side of the stack: rtpengine (media) first, then Kamailio (signalling) driving it. When
// rtpengine dies, Kamailio stays up (registrations and desk-to-desk calls go on, new PBX calls get
// 503 at once) and rtpengine is started again, after 1, 3, then 10 s.

export interface SipStackOptions extends Omit<KamailioOptions, 'rtpengine'> {
  ngPort: number;
  rtpPorts: readonly [number, number];
}

export interface RunningSipStack {
  kamailio: RunningKamailio;
  /** rtpengine's control socket, as Kamailio uses it. */
  ngSocket: string;
  /** Resolves when Kamailio ends by itself. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

const RESTART_MS = [1_000, 3_000, 10_000];

export async function startSipStack(o: SipStackOptions, log: { sip(line: string): void; media(line: string): void; warn(line: string): void }): Promise<RunningSipStack> {
  const startMedia = () => startRtpengine({ dataDir: o.dataDir, ngPort: o.ngPort, rtpPorts: o.rtpPorts }, log.media);
  let rtpengine: RunningRtpengine = await startMedia();
  let kamailio: RunningKamailio;
  try {
    kamailio = await startKamailio({ ...o, rtpengine: rtpengine.ngSocket }, log.sip);
  } catch (e) {
    await rtpengine.stop();
    throw e;
  }
  let stopping = false;
  const keepMediaUp = async () => {
    for (let attempt = 0; ; attempt++) {
      const code = await rtpengine.exited;
      if (stopping) return;
      const wait = RESTART_MS[Math.min(attempt, RESTART_MS.length - 1)] as number;
      log.warn(`rtpengine is down (${code ?? 'killed'}); PBX calls get 503 until it is back; starting it in ${wait / 1000} s`);
      await new Promise((r) => setTimeout(r, wait).unref());
      if (stopping) return;
      try {
        rtpengine = await startMedia();
        if (stopping) return await rtpengine.stop();
        log.warn('rtpengine is back');
        attempt = -1;
      } catch (e) {
        log.warn(`rtpengine did not start: ${(e as Error).message}`);
      }
    }
  };
  void keepMediaUp();
  return {
    kamailio,
    ngSocket: rtpengine.ngSocket,
    exited: kamailio.exited.then(() => undefined),
    async stop() {
      stopping = true;
      await kamailio.stop();
      await rtpengine.stop();
    },
  };
}
