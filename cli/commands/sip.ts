import { databaseUrl, flag, int, str, untilSignal } from '../args';
import { createStderrLogger } from '../log';
import type { Args } from '../main';
import { parsePbxTrunk } from '../pbx-trunk';
import { parseRtpPorts } from '../rtpengine';
import { startSipStack } from '../sip-stack';
import { UsageError } from '../usage';

export async function runSip(args: Args): Promise<number> {
  const sipLog = createStderrLogger('sip');
  const mediaLog = createStderrLogger('media');
  const wsPort = int(args, 'ws-port', 8088, 1, 65_535);
  const sipPort = int(args, 'sip-port', 5060, 1, 65_535);
  const maxExpires = int(args, 'max-expires', 3600, 10, 86_400);
  const ngPort = int(args, 'ng-port', 2223, 1, 65_535);
  let rtpPorts: [number, number];
  let pbx;
  try {
    rtpPorts = parseRtpPorts(str(args, 'rtp-ports') ?? '30000-30999');
    const trunk = str(args, 'pbx');
    pbx = trunk === undefined ? undefined : parsePbxTrunk(trunk);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const database = databaseUrl(args);
  const stack = await startSipStack(
    { dataDir: str(args, 'data') ?? '.data/city', ...(database ? { database } : {}), wsPort, sipPort, maxExpires, ngPort, rtpPorts, pbx, bypassMediaGateway: flag(args, 'bypass-media-gateway'), recording: !flag(args, 'no-recording') },
    { sip: (l) => sipLog.info(l), media: (l) => mediaLog.info(l), warn: (l) => sipLog.warn(l) },
  );
  const trunk = pbx ? pbx.map((p) => `${p.address}:${p.port}`).join(', ') : 'none';
  const recording = stack.recordingDir ? `recording PBX calls into ${stack.recordingDir}` : 'not recording';
  process.stdout.write(`minwon sip listening on ${stack.wsUrl} (SIP over UDP on 127.0.0.1:${sipPort}; rtpengine ${stack.ngSocket}, ${recording}; PBX trunk ${trunk}; accounts in ${database ? 'the database' : 'the data folder'})\n`);
  await untilSignal();
  await stack.stop();
  return 0;
}
