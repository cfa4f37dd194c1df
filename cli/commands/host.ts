import { createAgentCore } from '../../electron/core/agent-core';
import { startBrowserHost } from '../../electron/host/browser-host';
import { areaCode, credentials, int, required, str, untilSignal } from '../args';
import { createStderrLogger } from '../log';
import type { Args } from '../main';
import { RENDERER_DIR } from '../paths';

export async function runHost(args: Args): Promise<number> {
  const logger = createStderrLogger('core');
  const core = createAgentCore({
    cacheFile: required(args, 'cache'),
    server: { baseUrl: required(args, 'server'), credentials: credentials(args) },
    phone: areaCode(args),
    logger,
    syncIntervalMs: int(args, 'interval', 30, 1, 3600) * 1000,
  });
  const sipWs = new URL(str(args, 'sip-ws') ?? 'ws://127.0.0.1:8088');
  const host = await startBrowserHost({
    core,
    staticDir: str(args, 'static') ?? RENDERER_DIR,
    port: int(args, 'port', 0, 0, 65_535),
    connectSrc: [sipWs.origin],
    logger,
  });
  core.subscribe((e) => {
    if (e.name === 'syncStatus') logger.info(`sync ${e.data.state}${e.data.lastError ? `: ${e.data.lastError}` : ''}`);
  });
  core.start();
  process.stdout.write(`minwon desk at ${host.url}\n`);
  await untilSignal();
  await host.close();
  await core.close();
  return 0;
}
