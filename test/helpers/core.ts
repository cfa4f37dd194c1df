import { randomBytes } from 'node:crypto';
import { createAgentCore, type AgentCore } from '../../electron/core/agent-core';
import { DEFAULT_PHONE } from '../../server/main';

export interface TestLogger {
  lines: string[];
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
}

export function testLogger(): TestLogger {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

/** An agent core in this process against `url`, as agent1, with short timeouts for tests. */
export function testCore(cacheFile: string, url: string, o: { pageRows?: number; timeoutMs?: number; user?: string; password?: string; clock?: () => Date; cacheKey?: Buffer; logger?: TestLogger; syncIntervalMs?: number } = {}): AgentCore {
  return createAgentCore({
    cacheFile,
    cacheKey: o.cacheKey ?? null,
    server: {
      baseUrl: url,
      credentials: { username: o.user ?? 'agent1', password: o.password ?? o.user ?? 'agent1' },
      timeoutMs: o.timeoutMs ?? 5_000,
      ...(o.pageRows ? { pageRows: o.pageRows } : {}),
    },
    phone: DEFAULT_PHONE,
    logger: o.logger ?? testLogger(),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.syncIntervalMs ? { syncIntervalMs: o.syncIntervalMs } : {}),
  });
}

/** A cache key for desks the tests open (their caches are encrypted as a desk's are). */
export const TEST_CACHE_KEY = randomBytes(32);
