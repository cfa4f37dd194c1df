import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { defaultKeyFile, keyFromFile } from '../../electron/core/cache/cache-key';
import { openDeskSession } from '../../electron/core/session/open-desk-session';
import type { DeskSession } from '../../electron/core/session/desk-session';
import { memoryVault } from '../../electron/core/session/session-vault';
import { createCityApi } from '../../electron/core/sync/city-api';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host';
import { startPracticeHost, type PracticeHost } from '../../electron/host/practice-host';
import { RENDERER_DIR } from '../paths';
import { DEFAULT_PHONE, startCityServer } from '../../server/main';
import { startCarrierStandIn } from '../../server/carrier/stand-in';
import { int, str, untilSignal } from '../args';
import { parsePbxTrunk } from '../pbx-trunk';
import { startSipStack } from '../sip-stack';
import { createStderrLogger } from '../log';
import type { Args } from '../main';
import { REPRESENTATIVE_NUMBER } from './practice';

/** Where the demo's stand-in PBX sends from (resources/baresip listens here). */
const DEMO_PBX = '127.0.0.1:5090';

/** The city server with demo data, Kamailio and rtpengine, two agents' desks, a practice caller and a staff phone. */
export async function runDemo(args: Args): Promise<number> {
  const dataDir = str(args, 'data') ?? '.data/demo';
  const wsPort = int(args, 'ws-port', 8088, 1, 65_535);
  const deskPort = int(args, 'desk-port', 8471, 0, 65_535);
  const sipWsUrl = `ws://127.0.0.1:${wsPort}`;
  // The SMS carrier's stand-in and the city each call the other: the city is told the stand-in's
  // fixed port and starts first (its own port may be 0), then the stand-in learns the city's URL.
  // The city only calls the carrier when it sends, and retries a text it could not hand over.
  const carrierPort = int(args, 'carrier-port', 8490, 1, 65_535);
  const smsSecret = randomBytes(24).toString('base64url');
  const server = await startCityServer({
    dataDir: join(dataDir, 'city'),
    port: int(args, 'port', 8470, 0, 65_535),
    demo: true,
    demoAnalysis: true,
    phone: DEFAULT_PHONE,
    sip: { wsUrl: sipWsUrl },
    sms: { secret: smsSecret, carrierUrl: `http://127.0.0.1:${carrierPort}` },
    logger: createStderrLogger('server'),
  });
  const carrierLog = createStderrLogger('carrier');
  const carrier = await startCarrierStandIn({ city: server.url, secret: smsSecret, port: carrierPort, log: (l) => carrierLog.info(l) });
  const sipLog = createStderrLogger('sip', true);
  const mediaLog = createStderrLogger('media', true);
  const pbx = parsePbxTrunk(str(args, 'pbx') ?? DEMO_PBX);
  const sipPort = int(args, 'sip-port', 5060, 1, 65_535);
  const stack = await startSipStack(
    { dataDir: join(dataDir, 'city'), wsPort, sipPort, pbx, ngPort: 2223, rtpPorts: [30_000, 30_999] },
    { sip: (l) => sipLog.info(l), media: (l) => mediaLog.info(l), warn: (l) => sipLog.warn(l) },
  );
  const logger = createStderrLogger('core');
  const port = (i: number) => (deskPort === 0 ? 0 : deskPort + i);
  const sessions: DeskSession[] = [];
  const hosts: (BrowserHost | PracticeHost)[] = [];
  const lines: string[] = [];
  /** A desk signed in as `user` (null: the sign-in screen, any account). */
  const openDesk = async (user: string | null, i: number, note: string) => {
    const session = openDeskSession(
      {
        cacheFile: join(dataDir, `${user ?? 'shared'}-cache.sqlite`),
        cacheKey: () => keyFromFile(defaultKeyFile(join(dataDir, `${user ?? 'shared'}-cache.sqlite`))),
        serverUrl: server.url,
        phone: DEFAULT_PHONE,
        syncIntervalMs: 10_000,
        pinnedUser: user,
      },
      memoryVault(),
      logger,
    );
    const desk = await startBrowserHost({ core: session, staticDir: RENDERER_DIR, port: port(i), connectSrc: [sipWsUrl], logger });
    if (user) {
      await session.open({ username: user, password: user });
      await session.handlers.syncNow({});
    }
    sessions.push(session);
    hosts.push(desk);
    lines.push(`  desk ${(user ?? '(sign in)').padEnd(10)} ${desk.url}  (${note})`);
  };
  for (const [i, agent] of ['agent1', 'agent2'].entries()) await openDesk(agent, i, 'press 상담 대기 to take calls');
  for (const [i, phone] of [
    { user: 'citizen1', what: `practice caller: calls the representative number ${REPRESENTATIVE_NUMBER}` },
    { user: '3511', what: 'staff phone 3511 (요금관리과 김민수): a transfer target' },
  ].entries()) {
    const { sip } = await createCityApi({ baseUrl: server.url, credentials: { username: phone.user, password: phone.user } }).login();
    const host = await startPracticeHost({ staticDir: RENDERER_DIR, port: port(2 + i), config: { account: sip, number: REPRESENTATIVE_NUMBER }, logger });
    hosts.push(host);
    lines.push(`  ${phone.user.padEnd(12)}${host.url}  (${phone.what})`);
  }
  await openDesk('lead1', 4, 'team lead: the team board; listen, whisper or barge into a call');
  await openDesk(null, 5, 'a shared desk: sign in as any account above');
  process.stdout.write(
    [
      'Minwon Desk demo',
      `  city server   ${server.url}  (accounts agent1/agent1, agent2/agent2, lead1/lead1)`,
      `  SIP server    ${stack.wsUrl}  (Kamailio; representative number ${REPRESENTATIVE_NUMBER})`,
      `  PBX trunk     ${pbx.map((p) => `${p.address}:${p.port}`).join(', ')} → udp:127.0.0.1:${sipPort}  (trusted without registration; media through rtpengine ${stack.ngSocket})`,
      `                call in as the PBX: baresip -f resources/baresip (see README, "Calls from the PBX")`,
      `  knowledge     ${server.url}/portal/  (the departments' portal: water1/water1 edits 급수과's entries, review1/review1 approves)`,
      `  analysis      ${server.url}/portal/#/analytics  (민원 분석: lead1/lead1, or analyst1/analyst1 read-only)`,
      `  recordings    ${server.url}/portal/#/protection  (녹취·보호: lead1/lead1, or audit1/audit1 read-only; every playback logged)`,
      `  SMS carrier   ${carrier.url}  (stand-in: takes the city's texts, lists them at ${carrier.url}/sent, sends receipts)`,
      `                text as a citizen: curl -d '{"from":"010-1234-5678","text":"수도 요금 문의드립니다"}' ${carrier.url}/inbound`,
      ...lines,
      'Open each page in Chromium. Ctrl-C stops the demo.',
      '',
    ].join('\n'),
  );
  await untilSignal();
  for (const h of hosts) await h.close();
  await stack.stop();
  for (const s of sessions) await s.close();
  await carrier.close();
  await server.close();
  return 0;
}
