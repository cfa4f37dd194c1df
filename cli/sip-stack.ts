import { startKamailio, type KamailioOptions, type RunningKamailio } from './kamailio';
import { startRtpengine, type RunningRtpengine } from './rtpengine';

// The SIP side of the stack: rtpengine (media) first, then Kamailio (signalling) driving it.

export interface SipStackOptions extends Omit<KamailioOptions, 'rtpengine'> {
  ngPort: number;
  rtpPorts: readonly [number, number];
}

export interface RunningSipStack {
  kamailio: RunningKamailio;
  rtpengine: RunningRtpengine;
  /** Resolves when either process ends by itself. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export async function startSipStack(o: SipStackOptions, log: { sip(line: string): void; media(line: string): void }): Promise<RunningSipStack> {
  const rtpengine = await startRtpengine({ dataDir: o.dataDir, ngPort: o.ngPort, rtpPorts: o.rtpPorts }, log.media);
  let kamailio: RunningKamailio;
  try {
    kamailio = await startKamailio({ ...o, rtpengine: rtpengine.ngSocket }, log.sip);
  } catch (e) {
    await rtpengine.stop();
    throw e;
  }
  return {
    kamailio,
    rtpengine,
    exited: Promise.race([kamailio.exited, rtpengine.exited]).then(() => undefined),
    async stop() {
      await kamailio.stop();
      await rtpengine.stop();
    },
  };
}
