import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { UPDATE_CHANNELS } from '../../shared/release';

/** File names the feed serves: installers, electron-updater's latest*.yml and blockmaps, signed manifests. */
const FEED_FILE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.yml': 'text/yaml; charset=utf-8',
};

/**
 * The desks' update feed: `GET /updates/<channel>/<file>` from `<dir>/<channel>/`. No login:
 * electron-updater fetches it plainly, and nothing on it is trusted without the release
 * signature a desk checks (shared/release.ts). Only flat names in known channels are served.
 */
export function serveUpdateFeed(app: FastifyInstance, dir: string): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/updates/:channel/:file',
    handler: async (req, reply) => {
      const { channel, file } = req.params as { channel: string; file: string };
      if (!(UPDATE_CHANNELS as readonly string[]).includes(channel) || !FEED_FILE.test(file) || file.includes('..')) {
        return reply.status(404).send({ error: 'not-found', message: 'no such update file' });
      }
      const path = join(dir, channel, file);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return reply.status(404).send({ error: 'not-found', message: 'no such update file' });
      const ext = file.slice(file.lastIndexOf('.'));
      reply.header('content-type', TYPES[ext] ?? 'application/octet-stream');
      reply.header('content-length', info.size);
      // Manifests and metadata change with every release; installers never change under a name.
      reply.header('cache-control', ext === '.json' || ext === '.yml' ? 'no-cache' : 'public, max-age=86400, immutable');
      return req.method === 'HEAD' ? reply.send() : reply.send(createReadStream(path));
    },
  });
}
