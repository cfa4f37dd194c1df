import type { PhoneContext } from '../../../shared/phone';
import { createAgentCore } from '../agent-core';
import type { CacheKey } from '../cache/cache-db';
import type { Logger } from '../sync/sync-engine';
import { cacheFileFor } from './cache-file';
import { cityLogin } from './city-login';
import { createDeskSession, type DeskSession } from './desk-session';
import type { SessionVault } from './session-vault';

export interface DeskConfig {
  /** Each agent's cache is a file next to this one (see cacheFileFor). */
  cacheFile: string;
  serverUrl: string;
  phone: PhoneContext;
  syncIntervalMs: number;
  /** The agent named on the command line, whose cache is `cacheFile` itself. */
  pinnedUser?: string | null;
  /** The key every agent's cache file on this desk is encrypted with (from a key file, or the app's vault). */
  cacheKey: () => CacheKey;
}

/** A desk's session whose agents' cores sync with the city server at `serverUrl`, each on their own cache file. */
export function openDeskSession(c: DeskConfig, vault: SessionVault, logger: Logger): DeskSession {
  return createDeskSession({
    openCore: ({ credentials, login, sip }) => {
      const core = createAgentCore({
        cacheFile: cacheFileFor(c.cacheFile, credentials.username, c.pinnedUser ?? null),
        cacheKey: c.cacheKey(),
        server: { baseUrl: c.serverUrl, credentials, session: login },
        phone: c.phone,
        logger,
        syncIntervalMs: c.syncIntervalMs,
        sip,
      });
      core.start();
      return core;
    },
    login: (credentials) => cityLogin(c.serverUrl, credentials),
    vault,
    clock: () => new Date(),
    logger,
  });
}
