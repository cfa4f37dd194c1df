import { z } from 'zod';
import { dispatchCall, encodeEvent } from '../../../shared/rpc';
import { describeIssues } from '../../../shared/issues';
import { usernameSchema } from '../../../shared/auth';
import { LOCK_REASONS, vaultSchema, type VaultContents } from '../../../shared/session';
import type { DeskSession } from '../session/desk-session';
import { keyFromVault } from '../cache/cache-key';
import { openDeskSession } from '../session/open-desk-session';
import type { SessionVault } from '../session/session-vault';
import type { Logger } from '../sync/sync-engine';

/**
 * The core's side of a process boundary (Electron's utility process, or a Node child): the
 * parent sends one start message with the configuration (credentials never go through argv or
 * the environment), the child opens the desk's session and answers `READY`; after that every
 * message is a contract call and every event goes up as an event message. The cached sessions
 * (the vault) come down decrypted in the start message and go up whenever they change, for the
 * parent to encrypt: only the parent can reach the OS keystore.
 */
export const READY = '{"type":"ready"}';

export const coreStartSchema = z.strictObject({
  type: z.literal('start'),
  cacheFile: z.string().min(1).max(4096),
  serverUrl: z.url().max(2000),
  areaCode: z.string().regex(/^0\d{1,2}$/),
  /** Sign in at once as this agent (the CLI, tests; or the session a restarted process had): no sign-in screen. */
  credentials: z.strictObject({ username: usernameSchema, password: z.string().min(1).max(200) }).optional(),
  vault: vaultSchema.default({ sessions: [] }),
  /** The lock the session had when the process before this one died: a crash never unlocks a desk. */
  locked: z.enum(LOCK_REASONS).optional(),
  syncIntervalMs: z.number().int().min(1000).max(3_600_000),
});
export type CoreStart = z.input<typeof coreStartSchema>;

/** The child telling its parent the vault changed: `{"type":"vault","contents":…}`. */
export const vaultMessageSchema = z.strictObject({ type: z.literal('vault'), contents: vaultSchema });
export const vaultMessage = (contents: VaultContents) => JSON.stringify({ type: 'vault', contents });

/** A message port as both Electron's parentPort and a Node child's IPC channel can be adapted to. */
export interface TextPort {
  post(text: string): void;
  onMessage(listener: (data: unknown) => void): void;
}

export function serveCoreOverPort(port: TextPort, openSession: (start: z.infer<typeof coreStartSchema>, vault: SessionVault) => DeskSession, logger: Logger): void {
  let session: DeskSession | null = null;
  port.onMessage((data) => {
    if (typeof data !== 'string') {
      logger.warn('core process: a message that is not text was ignored');
      return;
    }
    if (session) {
      void dispatchCall(session.handlers, data, (m) => logger.warn(m)).then((reply) => port.post(reply));
      return;
    }
    let start: z.ZodSafeParseResult<z.infer<typeof coreStartSchema>>;
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
    let contents = start.data.vault;
    const vault: SessionVault = {
      read: () => contents,
      write: (next) => {
        contents = vaultSchema.parse(next);
        port.post(vaultMessage(contents));
      },
    };
    const opened = openSession(start.data, vault);
    session = opened;
    opened.subscribe((event) => port.post(encodeEvent(event)));
    const credentials = start.data.credentials;
    const locked = start.data.locked;
    void (credentials ? opened.open(credentials, locked ? { locked } : {}) : Promise.resolve()).then(() => port.post(READY));
  });
}

/** The desk's session a start message describes: each agent's core on their own cache file next to `cacheFile`. */
export const openSessionFromStart = (start: z.infer<typeof coreStartSchema>, vault: SessionVault, logger: Logger): DeskSession =>
  // The desktop app keeps the cache key in its vault, which the shell encrypts with the OS keystore.
  openDeskSession({ cacheFile: start.cacheFile, cacheKey: () => keyFromVault(vault), serverUrl: start.serverUrl, phone: { areaCode: start.areaCode, region: 'KR' }, syncIntervalMs: start.syncIntervalMs }, vault, logger);

/** The core process's log: lines on stderr, which the parent collects into its own log. */
export const stderrLogger: Logger = {
  info: (msg) => void process.stderr.write(`info ${msg}\n`),
  warn: (msg) => void process.stderr.write(`warn ${msg}\n`),
  error: (msg) => void process.stderr.write(`error ${msg}\n`),
};
