import { join } from 'node:path';
import { createAgentCore } from '../../electron/core/agent-core';
import { startBrowserHost } from '../../electron/host/browser-host';
import { startKamailio } from '../kamailio';
import { RENDERER_DIR } from '../paths';
import { DEFAULT_PHONE, startCityServer } from '../../server/main';
import { int, str, untilSignal } from '../args';
import { createStderrLogger } from '../log';
import type { Args } from '../main';

/** The city server with demo data, Kamailio, and one agent's desk, syncing. */
export async function runDemo(args: Args): Promise<number> {
  const dataDir = str(args, 'data') ?? '.data/demo';
  const wsPort = int(args, 'ws-port', 8088, 1, 65_535);
  const sipWsUrl = `ws://127.0.0.1:${wsPort}`;
  const server = await startCityServer({
    dataDir: join(dataDir, 'city'),
    port: int(args, 'port', 8470, 0, 65_535),
    demo: true,
    phone: DEFAULT_PHONE,
    sip: { wsUrl: sipWsUrl },
    logger: createStderrLogger('server'),
  });
  const sipLog = createStderrLogger('sip', true);
  const kamailio = await startKamailio({ dataDir: join(dataDir, 'city'), wsPort, sipPort: int(args, 'sip-port', 5060, 1, 65_535) }, (l) => sipLog.info(l));
  const logger = createStderrLogger('core');
  const core = createAgentCore({
    cacheFile: join(dataDir, 'agent1-cache.sqlite'),
    server: { baseUrl: server.url, credentials: { username: 'agent1', password: 'agent1' } },
    phone: DEFAULT_PHONE,
    logger,
    syncIntervalMs: 10_000,
  });
  const desk = await startBrowserHost({ core, staticDir: RENDERER_DIR, port: int(args, 'desk-port', 8471, 0, 65_535), connectSrc: [sipWsUrl], logger });
  const report = await core.syncNow();
  core.start();
  process.stdout.write(
    [
      'Minwon Desk demo',
      `  city server   ${server.url}  (accounts agent1/agent1, agent2/agent2, lead1/lead1)`,
      `  SIP server    ${kamailio.wsUrl}  (Kamailio)`,
      `  agent desk    ${desk.url}  (open in Chromium; signed in as agent1)`,
      `  first sync    ${report.upserts.entry} manual/FAQ entries, ${report.upserts.department} departments, ${report.upserts.history} consultations`,
      '  try           npx minwon sync --server ' + server.url + ' --cache /tmp/desk.sqlite --user agent2 --password agent2',
      'Ctrl-C stops the demo.',
      '',
    ].join('\n'),
  );
  await untilSignal();
  await desk.close();
  await kamailio.stop();
  await core.close();
  await server.close();
  return 0;
}
