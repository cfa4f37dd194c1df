import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ENTRY, APP_ORIGIN, createAppProtocolHandler, isAppUrl } from '../../../../electron/shell/app-protocol';

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
    // A sibling whose name starts with the root's: a prefix check without the separator reaches it.
    mkdirSync(join(dir, 'renderer-private'));
    writeFileSync(join(dir, 'renderer-private', 'key.txt'), 'not for the page');
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
    expect([js.headers.get('x-content-type-options'), js.headers.get('cache-control')]).toEqual(['nosniff', 'no-store']);
    expect(await js.text()).toBe('console.log(1)');
  });

  it('answers GET and HEAD only', async () => {
    const head = await handle(new Request('app://desk/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handle(new Request('app://desk/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const missing = await handle(new Request('app://desk/missing.js'));
    expect([missing.status, missing.headers.get('allow')]).toEqual([404, null]);
  });

  it('never serves a file outside the renderer, however the path is spelled', async () => {
    // Each of these files exists: the refusal must come from the path check, not from a missing file.
    for (const path of ['/..%2fsecret.txt', '/assets/..%2F..%2Fsecret.txt', '/..%2frenderer-private/key.txt', '/%E0%A4%A', '/index.html%00.js']) {
      refused.length = 0;
      const res = await handle(new Request(`app://desk${path}`));
      expect(res.status, path).toBe(404);
      expect(refused, path).toEqual([expect.stringContaining('outside the renderer')]);
    }
    // Plain dot segments never get that far: the URL parser resolves them at the root.
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt']) {
      refused.length = 0;
      expect((await handle(new Request(`app://desk${path}`))).status, path).toBe(404);
      expect(refused, path).toEqual(['app protocol refused app://desk/secret.txt: no such file']);
    }
    // An absolute path stays inside the root, where there is no such file.
    refused.length = 0;
    expect((await handle(new Request(`app://desk/${encodeURIComponent(outside)}`))).status).toBe(404);
    expect(refused).toEqual([expect.stringContaining('no such file')]);
  });

  it('logs each refusal with its reason and the URL, cut short', async () => {
    refused.length = 0;
    const long = `app://evil/${'a'.repeat(300)}`;
    await handle(new Request(long));
    await handle(new Request('app://desk/index.html', { method: 'DELETE' }));
    expect(refused).toEqual([`app protocol refused ${long.slice(0, 200)}: not the app host`, 'app protocol refused app://desk/index.html: method DELETE']);
    expect([APP_ORIGIN, APP_ENTRY]).toEqual(['app://desk', 'app://desk/index.html']);
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
    expect(isAppUrl('app://desk.evil/index.html')).toBe(false);
    expect(isAppUrl('app://desk:8080/index.html')).toBe(false);
    expect(isAppUrl('app://desk/')).toBe(true);
  });
});
