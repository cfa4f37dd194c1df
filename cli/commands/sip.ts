import { int, required, untilSignal } from '../args';
import { startKamailio } from '../kamailio';
import { createStderrLogger } from '../log';
import type { Args } from '../main';

export async function runSip(args: Args): Promise<number> {
  const logger = createStderrLogger('sip');
  const wsPort = int(args, 'ws-port', 8088, 1, 65_535);
  const sipPort = int(args, 'sip-port', 5060, 1, 65_535);
  const maxExpires = int(args, 'max-expires', 3600, 10, 86_400);
  const kamailio = await startKamailio({ dataDir: required(args, 'data'), wsPort, sipPort, maxExpires }, (line) => logger.info(line));
  process.stdout.write(`minwon sip listening on ${kamailio.wsUrl} (SIP over UDP on 127.0.0.1:${sipPort})\n`);
  const code = await Promise.race([untilSignal().then(() => null), kamailio.exited]);
  await kamailio.stop();
  return code === null ? 0 : 1;
}
