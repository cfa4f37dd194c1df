import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, isAppUrl } from '../../../../electron/shell/app-protocol';

describe('app:// protocol', () => {
  const refused: string[] = [];
  let handle: (r: Request) => Promise<Response>;
  let outside: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-app-'));
    const root = join(dir, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<html><head></head><body>desk</body></html>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    outside = join(dir, 'secret.txt');
    writeFileSync(outside, 'not for the page');
    handle = createAppProtocolHandler({ root, connectSrc: ['wss://sip.city.go.kr', 'https://minwon.city.go.kr'], log: (m) => refused.push(m) });
  });

  it('serves the renderer with a strict CSP naming only the configured origins', async () => {
    const res = await handle(new Request('app://desk/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('desk');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' wss://sip.city.go.kr https://minwon.city.go.kr;");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect((await handle(new Request('app://desk/'))).status).toBe(200);
    const js = await handle(new Request('app://desk/assets/app.js'));
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('answers GET and HEAD only', async () => {
    const head = await handle(new Request('app://desk/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handle(new Request('app://desk/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('never serves a file outside the renderer, however the path is spelled', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2F..%2Fsecret.txt', `/${encodeURIComponent(outside)}`, '/%E0%A4%A', '/index.html%00.js']) {
      const res = await handle(new Request(`app://desk${path}`));
      expect(res.status, path).toBe(404);
    }
    expect(refused.length).toBeGreaterThanOrEqual(7);
  });

  it('serves only the app host', async () => {
    expect((await handle(new Request('app://evil/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://desk:99/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://desk/missing.js'))).status).toBe(404);
    expect(isAppUrl('app://desk/index.html')).toBe(true);
    expect(isAppUrl('app://user@desk/index.html')).toBe(false);
    expect(isAppUrl('https://desk/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
