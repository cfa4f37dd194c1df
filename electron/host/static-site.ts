import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { contentTypeOfExtension } from '../../shared/content-types';
import { hostAllowed } from '../core/transport/host-check';


export interface StaticSite {
  root: string;
  /** The page served for '/'. */
  index: string;
  /** Adds tags to an HTML page's <head> (the host's token, a practice phone's account). */
  headTags: (file: string) => string;
  /** Origins the page may connect to besides its own (the SIP server's WebSocket). */
  connectSrc: readonly string[];
  /**
   * The names this server answers to (its loopback address, `localhost`): a request for any other
   * Host is refused, so a page on another site that rebinds its name to 127.0.0.1 gets nothing.
   */
  hostNames: readonly string[];
}


/** Escapes text for an HTML attribute value in double quotes. */
export const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The file under `root` that a URL path names, or null for anything outside it. */
export function fileUnder(root: string, urlPath: string, index: string): string | null {
  const base = normalize(root + sep);
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = normalize(join(base, path === '/' ? index : path));
  return file.startsWith(base) ? file : null;
}

export const contentTypeOf = (file: string) => contentTypeOfExtension(extname(file));

/** The pages' Content-Security-Policy: own scripts only, connections to `connectSrc` besides their own origin. */
export function contentSecurityPolicy(connectSrc: readonly string[]): string {
  return `default-src 'self'; connect-src 'self' ${connectSrc.join(' ')}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/**
 * Serves a built page and its assets: GET and HEAD only, nothing outside `root`, a strict
 * Content-Security-Policy, no caching (a desk must not run a stale renderer after an update).
 */
export async function serveStatic(site: StaticSite, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const host = req.headers.host;
  if (!hostAllowed(site.hostNames, host, req.socket.localPort)) {
    res.writeHead(421).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  // Node's HTTP server always gives a request its URL.
  const file = fileUnder(site.root, new URL(req.url as string, 'http://host').pathname, site.index);
  // Stryker disable next-line ConditionalExpression,BlockStatement: readFile(null) would reject into a 404 as well; the refusal must not rest on that.
  if (!file) {
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
  if (file.endsWith('.html')) body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    ${site.headTags(file)}`));
  res.writeHead(200, {
    'content-type': contentTypeOf(file),
    // The Host was checked against our own names above: nothing from the request reaches the policy unchecked.
    'content-security-policy': contentSecurityPolicy([`ws://${host as string}`, ...site.connectSrc]),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  // Node's HTTP server sends no body in answer to HEAD, whatever is written.
  res.end(body);
}

/** An HTTP server for `site` on `host:port` (0: any free port); errors are logged as `what`. */
export async function listenStatic(site: StaticSite, o: { port: number; host: string; what: string; logger: { error(msg: string): void } }): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    serveStatic(site, req, res).catch((e: Error) => {
      o.logger.error(`${o.what}: ${e.message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  return { server, port: (server.address() as AddressInfo).port };
}
