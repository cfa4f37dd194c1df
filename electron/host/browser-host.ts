import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { AgentCore } from '../core/agent-core';
import type { Logger } from '../core/sync/sync-engine';
import { serveOverWebSocket } from '../core/transport/ws-transport';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wav': 'audio/wav',
  '.json': 'application/json',
};

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
  core: AgentCore;
  staticDir: string;
  port: number;
  host?: string;
  /** Other origins the page may connect to: the SIP server's WebSocket. */
  connectSrc?: readonly string[];
  logger: Logger;
}): Promise<BrowserHost> {
  const host = o.host ?? '127.0.0.1';
  const token = randomBytes(24).toString('base64url');
  const root = normalize(o.staticDir + sep);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    if (file.endsWith('index.html')) {
      body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    <meta name="minwon-core-token" content="${token}" />`));
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': `default-src 'self'; connect-src 'self' ws://${req.headers.host ?? host} ${(o.connectSrc ?? []).join(' ')}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((e: Error) => {
      o.logger.error(`browser host: ${e.message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  const transport = serveOverWebSocket({
    core: o.core,
    server,
    path: '/core',
    token,
    allowedOrigins: [`http://${host}:${port}`, `http://localhost:${port}`],
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
