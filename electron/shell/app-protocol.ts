import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy, contentTypeOf, fileUnder } from '../host/static-site';

/** The desk's own scheme and origin: the renderer is served from `app://desk/`, never file:// or the network. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** For protocol.registerSchemesAsPrivileged, before the app is ready: a secure, standard origin. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: false, bypassCSP: false },
} as const;

/** True for URLs of the app's own origin (Node's URL gives custom schemes an opaque 'null' origin). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.port === '';
  } catch {
    return false;
  }
}

export interface AppProtocolOptions {
  /** The built renderer (inside the app's asar). */
  root: string;
  /** Origins the page may connect to: the SIP server's WebSocket and the city server. */
  connectSrc: readonly string[];
  log: (msg: string) => void;
  read?: (file: string) => Promise<Buffer>;
}

/**
 * The handler for protocol.handle('app', …): GET and HEAD of files inside the renderer's build,
 * on the app's own host only, with the strict CSP. Everything else is refused and logged.
 */
export function createAppProtocolHandler(o: AppProtocolOptions): (request: Request) => Promise<Response> {
  const read = o.read ?? readFile;
  const csp = contentSecurityPolicy(o.connectSrc);
  const refuse = (status: number, why: string, url: string) => {
    o.log(`app protocol refused ${url.slice(0, 200)}: ${why}`);
    return new Response(null, { status, headers: status === 405 ? { allow: 'GET, HEAD' } : {} });
  };
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, `method ${request.method}`, request.url);
    if (!isAppUrl(request.url)) return refuse(404, 'not the app host', request.url);
    const file = fileUnder(o.root, new URL(request.url).pathname, 'index.html');
    if (!file) return refuse(404, 'outside the renderer', request.url);
    let body: Buffer;
    try {
      body = await read(file);
    } catch {
      return refuse(404, 'no such file', request.url);
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': contentTypeOf(file),
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  };
}
