import { randomBytes } from 'node:crypto';
import { createAgentCore } from '../../electron/core/agent-core';
import { serveOverWebSocket } from '../../electron/core/transport/ws-transport';
import { areaCode, credentials, int, required, untilSignal } from '../args';
import { createStderrLogger } from '../log';
import type { Args } from '../main';

export async function runHost(args: Args): Promise<number> {
  const logger = createStderrLogger('core');
  const core = createAgentCore({
    cacheFile: required(args, 'cache'),
    server: { baseUrl: required(args, 'server'), credentials: credentials(args) },
    phone: areaCode(args),
    logger,
    syncIntervalMs: int(args, 'interval', 30, 1, 3600) * 1000,
  });
  const transport = await serveOverWebSocket({
    core,
    port: int(args, 'port', 0, 0, 65_535),
    token: process.env.MINWON_CORE_TOKEN ?? randomBytes(24).toString('base64url'),
    allowedOrigins: [],
    logger,
  });
  core.subscribe((e) => {
    if (e.name === 'syncStatus') logger.info(`sync ${e.data.state}${e.data.lastError ? `: ${e.data.lastError}` : ''}`);
  });
  core.start();
  process.stdout.write(`minwon core listening on ${transport.url}\n`);
  await untilSignal();
  await transport.close();
  await core.close();
  return 0;
}
