import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attr, contentTypeOf, fileUnder, listenStatic, type StaticSite } from '../../../../electron/host/static-site';

/**
 * Every file a traversal could reach exists, so a 404 here means "refused", never "not found":
 * a secret beside the root, and one in a sibling folder whose name starts with the root's.
 */
function site(): { dir: string; root: string } {
  const dir = mkdtempSync(join(tmpdir(), 'minwon-static-'));
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(dir, 'renderer-private'));
  writeFileSync(join(root, 'index.html'), '<html><head></head><body>desk</body></html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'not for the page');
  writeFileSync(join(dir, 'renderer-private', 'key.txt'), 'not for the page');
  return { dir, root };
}

describe('fileUnder', () => {
  const { dir, root } = site();

  it('maps a URL path to the file under the root, and / to the index', () => {
    expect(fileUnder(root, '/', 'index.html')).toBe(join(root, 'index.html'));
    expect(fileUnder(root, '/assets/app.js', 'index.html')).toBe(join(root, 'assets', 'app.js'));
    expect(fileUnder(root, '/assets/../index.html', 'index.html')).toBe(join(root, 'index.html'));
    expect(fileUnder(root, '/%EC%95%88%EB%82%B4.html', 'index.html')).toBe(join(root, '안내.html'));
    // A root given with its trailing separator means the same folder.
    expect(fileUnder(root + sep, '/assets/app.js', 'index.html')).toBe(join(root, 'assets', 'app.js'));
  });

  it.each([
    ['a parent folder', '/../secret.txt'],
    ['an encoded parent folder', '/%2e%2e/secret.txt'],
    ['an encoded separator', '/..%2fsecret.txt'],
    ['a climb from a subfolder', '/assets/..%2F..%2Fsecret.txt'],
    ['a sibling folder starting with the root’s name', '/..%2frenderer-private/key.txt'],
    ['the sibling, named without a separator', '/../renderer-private'],
    ['the root’s parent itself', '/..'],
    ['a malformed escape', '/%E0%A4%A'],
    ['a NUL byte', '/index.html%00.js'],
  ])('refuses %s', (_what, path) => {
    expect(fileUnder(root, path, 'index.html')).toBeNull();
  });

  it('keeps an absolute path inside the root', () => {
    const inside = fileUnder(root, `/${encodeURIComponent(join(dir, 'secret.txt'))}`, 'index.html');
    expect(inside?.startsWith(root + sep)).toBe(true);
  });
});

describe('serving a built page', () => {
  const { root } = site();
  const headFor: string[] = [];
  const pageSite: StaticSite = {
    root,
    index: 'index.html',
    headTags: (file) => {
      headFor.push(file);
      return '<meta name="minwon-core-token" content="t&quot;k" />';
    },
    connectSrc: ['ws://127.0.0.1:5060'],
    hostNames: ['127.0.0.1', 'localhost'],
  };
  let server: Server;
  let port: number;
  const errors: string[] = [];
  beforeAll(async () => ({ server, port } = await listenStatic(pageSite, { port: 0, host: '127.0.0.1', what: 'test site', logger: { error: (m) => errors.push(m) } })));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function get(path: string, method = 'GET', host?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, ...(host === undefined ? {} : { headers: { host } }) }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves the index with its head tags, a strict CSP and no caching', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toBe('<html><head>\n    <meta name="minwon-core-token" content="t&quot;k" /></head><body>desk</body></html>');
    expect(headFor).toEqual([join(root, 'index.html')]);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(
      `default-src 'self'; connect-src 'self' ws://127.0.0.1:${port} ws://127.0.0.1:5060; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers only to its own names: another Host (a rebound DNS name) gets nothing, and never reaches the CSP', async () => {
    expect((await get('/', 'GET', `localhost:${port}`)).status).toBe(200);
    for (const host of [`evil.example:${port}`, 'x; script-src *', `127.0.0.1:${port + 1}`, '127.0.0.1', `localhost:${port}.evil.example`]) {
      const res = await get('/', 'GET', host);
      expect([res.status, res.body, res.headers['content-security-policy']], host).toEqual([421, '', undefined]);
    }
    expect(headFor).toHaveLength(2);
  });

  it('serves assets untouched, and HEAD without a body', async () => {
    const js = await get('/assets/app.js');
    expect([js.status, js.body, js.headers['content-type']]).toEqual([200, 'console.log(1)', 'text/javascript; charset=utf-8']);
    expect(headFor).toHaveLength(2);
    const head = await get('/assets/app.js', 'HEAD');
    expect([head.status, head.body, head.headers['content-type']]).toEqual([200, '', 'text/javascript; charset=utf-8']);
  });

  it('answers GET and HEAD only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await get('/index.html', method);
      expect([res.status, res.headers.allow], method).toEqual([405, 'GET, HEAD']);
    }
  });

  it('refuses what is outside the root and what does not exist, with no body', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2frenderer-private/key.txt', '/missing.js', '/assets']) {
      const res = await get(path);
      expect([res.status, res.body], path).toEqual([404, '']);
    }
    expect(errors).toEqual([]);
  });
});

describe('a site that fails', () => {
  it('answers 500 and logs, when building a page fails', async () => {
    const { root } = site();
    const errors: string[] = [];
    const broken: StaticSite = { root, index: 'index.html', headTags: () => { throw new Error('no token'); }, connectSrc: [], hostNames: ['127.0.0.1'] };
    const { server, port } = await listenStatic(broken, { port: 0, host: '127.0.0.1', what: 'desk page', logger: { error: (m) => errors.push(m) } });
    try {
      const status = await new Promise<number>((resolve, reject) => request({ host: '127.0.0.1', port, path: '/' }, (res) => resolve(res.statusCode ?? 0)).on('error', reject).end());
      expect(status).toBe(500);
      expect(errors).toEqual(['desk page: no token']);
    } finally {
      server.close();
    }
  });

  it('refuses to start on a port already taken', async () => {
    const { root } = site();
    const quiet = { error: () => {} };
    const first = await listenStatic({ root, index: 'index.html', headTags: () => '', connectSrc: [], hostNames: ['127.0.0.1'] }, { port: 0, host: '127.0.0.1', what: 'a', logger: quiet });
    try {
      await expect(listenStatic({ root, index: 'index.html', headTags: () => '', connectSrc: [], hostNames: ['127.0.0.1'] }, { port: first.port, host: '127.0.0.1', what: 'b', logger: quiet })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      first.server.close();
    }
  });
});

describe('content types and attributes', () => {
  it('names the types the pages use, and a safe default for the rest', () => {
    expect(contentTypeOf('a/b.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('a/tone.wav')).toBe('audio/wav');
    expect(contentTypeOf('a/icon.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('a/icon.png')).toBe('image/png');
    expect(contentTypeOf('a/strings.json')).toBe('application/json');
    expect(contentTypeOf('a/file.exe')).toBe('application/octet-stream');
    expect(contentTypeOf('a/Makefile')).toBe('application/octet-stream');
  });

  it('escapes what could end an attribute or open a tag', () => {
    expect(attr('a&b"c<d>e')).toBe('a&amp;b&quot;c&lt;d&gt;e');
    expect(attr('&&""')).toBe('&amp;&amp;&quot;&quot;');
  });
});
