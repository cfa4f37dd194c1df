import { startCityServer } from '../../server/main';
import { areaCode, databaseUrl, flag, int, str } from '../args';
import { UsageError } from '../usage';
import { createStderrLogger } from '../log';
import type { Args } from '../main';
import { untilSignal } from '../args';

/** `--stun stun:a:3478,stun:b:3478`; an empty value clears the list. */
function stunList(value: string): string[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((s) => !/^stuns?:[^\s]+$/.test(s));
  if (bad) throw new UsageError(`--stun: ${bad} is not a stun: or stuns: address`);
  return list;
}

export async function runServer(args: Args): Promise<number> {
  const logger = createStderrLogger('server');
  const ttl = int(args, 'token-ttl', 900, 1, 86_400);
  const database = databaseUrl(args);
  // From the environment only: a secret on the command line shows in the process list.
  const pbxSecret = process.env.MINWON_PBX_SECRET;
  if (pbxSecret !== undefined && pbxSecret.length < 16) throw new UsageError('MINWON_PBX_SECRET must be at least 16 characters');
  const smsSecret = process.env.MINWON_SMS_SECRET;
  if (smsSecret !== undefined && smsSecret.length < 16) throw new UsageError('MINWON_SMS_SECRET must be at least 16 characters');
  const carrierUrl = str(args, 'sms-carrier');
  if (carrierUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(carrierUrl)) throw new UsageError('--sms-carrier takes the carrier API\'s http(s) URL');
  if (carrierUrl !== undefined && smsSecret === undefined) throw new UsageError('--sms-carrier needs MINWON_SMS_SECRET (the secret shared with the SMS gateway)');
  const trustProxy = str(args, 'trust-proxy');
  if (trustProxy !== undefined && !/^[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*$/.test(trustProxy)) throw new UsageError('--trust-proxy takes addresses or CIDRs, comma-separated');
  const server = await startCityServer({
    dataDir: str(args, 'data') ?? '.data/city',
    ...(database ? { database } : {}),
    port: int(args, 'port', 8470, 0, 65_535),
    host: str(args, 'host') ?? '127.0.0.1',
    demo: flag(args, 'demo'),
    phone: areaCode(args),
    tokenTtlMs: ttl * 1000,
    sip: {
      ...(str(args, 'sip-domain') ? { domain: str(args, 'sip-domain') } : {}),
      ...(str(args, 'sip-ws') ? { wsUrl: str(args, 'sip-ws') } : {}),
      ...(str(args, 'stun') !== undefined ? { stunServers: stunList(str(args, 'stun') as string) } : {}),
    },
    logger,
    ...(pbxSecret ? { pbxSecret } : {}),
    ...(smsSecret ? { sms: { secret: smsSecret, ...(carrierUrl ? { carrierUrl } : {}) } } : {}),
    ...(trustProxy ? { trustProxy } : {}),
    ...(str(args, 'recordings') ? { recordingsDir: str(args, 'recordings') as string } : {}),
    ...(str(args, 'recording-spool') ? { recordingSpool: str(args, 'recording-spool') as string } : {}),
  });
  // Tests and scripts read this line to learn the port.
  process.stdout.write(`minwon server listening on ${server.url}\n`);
  const signal = await untilSignal();
  logger.info(`${signal}: stopping`);
  await server.close();
  return 0;
}
