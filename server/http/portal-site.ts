import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { contentTypeOfExtension } from '../../shared/content-types';


/**
 * The portal's pages: its own scripts and styles only, talking to this server alone. Media only
 * from blob: URLs: a recording is fetched with the token and a reason (a POST), then played from
 * its bytes; no address of the server's plays by itself.
 */
const CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; media-src blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves the knowledge portal (the renderer's `portal.html` and its assets, as `npm run
 * build:renderer` leaves them in `dir`) at /portal/. A file outside the assets is never served.
 */
export function servePortal(app: FastifyInstance, dir: string): void {
  const assets = normalize(join(dir, 'assets') + sep);
  const send = async (file: string, reply: FastifyReply) => {
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return reply.status(404).send({ error: 'not-found', message: 'the portal is not built here (npm run build:renderer)' });
    }
    return reply
      .header('content-type', contentTypeOfExtension(extname(file)))
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(body);
  };
  app.get('/portal', async (_req, reply) => reply.redirect('/portal/'));
  app.get('/portal/', async (_req, reply) => send(join(dir, 'portal.html'), reply));
  app.get('/portal/assets/*', async (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    const file = normalize(join(assets, rest));
    if (!file.startsWith(assets) || rest.includes('\0')) return reply.status(404).send({ error: 'not-found', message: 'no such file' });
    return send(file, reply);
  });
}
