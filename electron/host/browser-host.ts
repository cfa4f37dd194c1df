import { randomBytes } from 'node:crypto';
import { sep } from 'node:path';
import type { DeskSession } from '../core/session/desk-session';
import type { Logger } from '../core/sync/sync-engine';
import { serveOverWebSocket } from '../core/transport/ws-transport';
import { listenStatic, type StaticSite } from './static-site';

export interface BrowserHost {
  /** The page to open in Chromium. */
  url: string;
  close(): Promise<void>;
}

/**
 * The browser host: serves the built renderer and, on the same origin at /core, the agent
 * core's contract over WebSocket. Loopback only; the page gets the connection token in a meta
 * tag, and only pages from this origin may connect.
 */
export async function startBrowserHost(o: {
  /** The desk's session (and through it the signed-in agent's core). */
  core: Pick<DeskSession, 'handlers' | 'subscribe'>;
  staticDir: string;
  port: number;
  host?: string;
  /** Other origins the page may connect to: the SIP server's WebSocket. */
  connectSrc?: readonly string[];
  logger: Logger;
}): Promise<BrowserHost> {
  const host = o.host ?? '127.0.0.1';
  const token = randomBytes(24).toString('base64url');
  const site: StaticSite = {
    root: o.staticDir,
    index: 'index.html',
    // Only the desk page gets the token; other pages of the build (the practice phone) do not.
    headTags: (file) => (file.endsWith(`${sep}index.html`) ? `<meta name="minwon-core-token" content="${token}" />` : ''),
    connectSrc: o.connectSrc ?? [],
    hostNames: [host, 'localhost'],
  };

  const { server, port } = await listenStatic(site, { port: o.port, host, what: 'browser host', logger: o.logger });
  const transport = serveOverWebSocket({
    core: o.core,
    server,
    path: '/core',
    token,
    allowedOrigins: [`http://${host}:${port}`, `http://localhost:${port}`],
    hostNames: site.hostNames,
    logger: o.logger,
  });
  return {
    url: `http://${host}:${port}/`,
    async close() {
      await transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
