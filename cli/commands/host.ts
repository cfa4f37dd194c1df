import { openDeskSession } from '../../electron/core/session/open-desk-session';
import { memoryVault } from '../../electron/core/session/session-vault';
import { startBrowserHost } from '../../electron/host/browser-host';
import { areaCode, cacheKey, int, optionalCredentials, required, str, untilSignal } from '../args';
import { createStderrLogger } from '../log';
import type { Args } from '../main';
import { RENDERER_DIR } from '../paths';

export async function runHost(args: Args): Promise<number> {
  const logger = createStderrLogger('core');
  const credentials = optionalCredentials(args);
  // The browser host keeps cached sessions in memory only: an offline sign-in works while it runs.
  const cacheFile = required(args, 'cache');
  const session = openDeskSession(
    {
      cacheFile,
      // Encrypted: its key is a file only this account can read (by default beside it).
      cacheKey: () => cacheKey(args, cacheFile),
      serverUrl: required(args, 'server'),
      phone: areaCode(args),
      syncIntervalMs: int(args, 'interval', 30, 1, 3600) * 1000,
      pinnedUser: credentials?.username ?? null,
    },
    memoryVault(),
    logger,
  );
  const sipWs = new URL(str(args, 'sip-ws') ?? 'ws://127.0.0.1:8088');
  const host = await startBrowserHost({
    core: session,
    staticDir: str(args, 'static') ?? RENDERER_DIR,
    port: int(args, 'port', 0, 0, 65_535),
    connectSrc: [sipWs.origin],
    logger,
  });
  session.subscribe((e) => {
    if (e.name === 'syncStatus') logger.info(`sync ${e.data.state}${e.data.lastError ? `: ${e.data.lastError}` : ''}`);
    if (e.name === 'session') logger.info(`session ${e.data.state}${e.data.state === 'signed-out' ? '' : ` ${e.data.user}`}`);
  });
  // Named on the command line or in the environment: signed in at once, no sign-in screen.
  if (credentials) await session.open(credentials);
  process.stdout.write(`minwon desk at ${host.url}\n`);
  await untilSignal();
  await host.close();
  await session.close();
  return 0;
}
