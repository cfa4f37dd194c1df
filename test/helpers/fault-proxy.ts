import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What the proxy does with one request:
 * pass it on; answer 500, non-JSON garbage or a given body; hang; cut the connection before
 * forwarding; or forward it and cut the connection instead of delivering the answer
 * (the server did the work, the desk never hears of it).
 */
export type Fault = 'pass' | 'error500' | 'garbage' | 'hang' | 'cut' | 'cut-after-forward' | { body: string };

export interface FaultProxy {
  url: string;
  /** Requests seen so far, by path without query. */
  seen: string[];
  close(): Promise<void>;
}

/** A real HTTP proxy on loopback between a desk and the city server, that misbehaves on demand (or only watches what is sent). */
export async function startFaultProxy(upstream: () => string, decide: (req: IncomingMessage, n: number, body: Buffer) => Fault | Promise<Fault>): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const up = request(new URL(req.url ?? '/', upstream()), { method: req.method, headers: req.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // A decision that fails drops the connection, as a broken proxy would (never an unhandled rejection).
    req.on('end', () => void answer().catch(() => req.socket.destroy()));
    async function answer() {
      seen.push((req.url ?? '').split('?')[0] as string);
      const body = Buffer.concat(chunks);
      const fault = await decide(req, seen.length, body);
      if (fault === 'hang') return;
      if (fault === 'cut') return req.socket.destroy();
      if (fault === 'error500') return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal","message":"boom"}');
      if (fault === 'garbage') return res.writeHead(200, { 'content-type': 'application/json' }).end('<html>proxy error</html>');
      if (typeof fault === 'object') return res.writeHead(200, { 'content-type': 'application/json' }).end(fault.body);
      try {
        const upstream = await forward(req, body);
        if (fault === 'cut-after-forward') return req.socket.destroy();
        res.writeHead(upstream.status, { 'content-type': upstream.headers['content-type'] ?? 'application/json' }).end(upstream.body);
      } catch {
        req.socket.destroy();
      }
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
