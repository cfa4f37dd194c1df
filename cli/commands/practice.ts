import { createCityApi } from '../../electron/core/sync/city-api';
import { startPracticeHost } from '../../electron/host/practice-host';
import { credentials, int, required, str, untilSignal } from '../args';
import { createStderrLogger } from '../log';
import type { Args } from '../main';
import { RENDERER_DIR } from '../paths';

export const REPRESENTATIVE_NUMBER = '2708282';

/** Logs in as a SIP-only phone account and serves the practice phone with that account. */
export async function runPractice(args: Args): Promise<number> {
  const logger = createStderrLogger('practice');
  const api = createCityApi({ baseUrl: required(args, 'server'), credentials: credentials(args) });
  const { sip } = await api.login();
  const host = await startPracticeHost({
    staticDir: str(args, 'static') ?? RENDERER_DIR,
    port: int(args, 'port', 0, 0, 65_535),
    config: { account: sip, number: str(args, 'number') ?? REPRESENTATIVE_NUMBER },
    logger,
  });
  process.stdout.write(`minwon practice phone at ${host.url}\n`);
  await untilSignal();
  await host.close();
  return 0;
}
