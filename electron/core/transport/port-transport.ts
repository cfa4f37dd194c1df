import { z } from 'zod';
import { dispatchCall, encodeEvent } from '../../../shared/rpc';
import { describeIssues } from '../../../shared/issues';
import { usernameSchema } from '../../../shared/auth';
import { createAgentCore, type AgentCore } from '../agent-core';
import type { Logger } from '../sync/sync-engine';

/**
 * The core's side of a process boundary (Electron's utility process, or a Node child): the
 * parent sends one start message with the configuration (credentials never go through argv or
 * the environment), the child opens the core and answers `READY`; after that every message is a
 * contract call and every core event goes up as an event message.
 */
export const READY = '{"type":"ready"}';

export const coreStartSchema = z.strictObject({
  type: z.literal('start'),
  cacheFile: z.string().min(1).max(4096),
  serverUrl: z.url().max(2000),
  areaCode: z.string().regex(/^0\d{1,2}$/),
  credentials: z.strictObject({ username: usernameSchema, password: z.string().min(1).max(200) }),
  syncIntervalMs: z.number().int().min(1000).max(3_600_000),
});
export type CoreStart = z.infer<typeof coreStartSchema>;

/** A message port as both Electron's parentPort and a Node child's IPC channel can be adapted to. */
export interface TextPort {
  post(text: string): void;
  onMessage(listener: (data: unknown) => void): void;
}

export function serveCoreOverPort(port: TextPort, openCore: (start: CoreStart) => AgentCore, logger: Logger): void {
  let core: AgentCore | null = null;
  port.onMessage((data) => {
    if (typeof data !== 'string') {
      logger.warn('core process: a message that is not text was ignored');
      return;
    }
    if (core) {
      void dispatchCall(core.handlers, data, (m) => logger.warn(m)).then((reply) => port.post(reply));
      return;
    }
    let start: z.ZodSafeParseResult<CoreStart>;
    try {
      start = coreStartSchema.safeParse(JSON.parse(data));
    } catch {
      logger.error('core process: start message is not JSON');
      return;
    }
    if (!start.success) {
      logger.error(`core process: bad start message: ${describeIssues(start.error)}`);
      return;
    }
    const opened = openCore(start.data);
    core = opened;
    opened.subscribe((event) => port.post(encodeEvent(event)));
    opened.start();
    port.post(READY);
  });
}

/** The agent core a start message describes. */
export function openCoreFromStart(start: CoreStart, logger: Logger): AgentCore {
  return createAgentCore({
    cacheFile: start.cacheFile,
    server: { baseUrl: start.serverUrl, credentials: start.credentials },
    phone: { areaCode: start.areaCode, region: 'KR' },
    logger,
    syncIntervalMs: start.syncIntervalMs,
  });
}

/** The core process's log: lines on stderr, which the parent collects into its own log. */
export const stderrLogger: Logger = {
  info: (msg) => void process.stderr.write(`info ${msg}\n`),
  warn: (msg) => void process.stderr.write(`warn ${msg}\n`),
  error: (msg) => void process.stderr.write(`error ${msg}\n`),
};
