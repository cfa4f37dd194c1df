import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import { CHROMIUM_SWITCHES, confirmUnloadDuringCall, createMainWindow, guardNavigation, isAllowedExternal } from '../../../../electron/shell/window';
import { fakeWebContents } from '../../../helpers/fake-electron';

describe('main window options', () => {
  it('isolates and sandboxes the page, without Node, with web security, and keeps timers running', () => {
    class FakeWindow {
      constructor(readonly options: BrowserWindowConstructorOptions) {}
    }
    const w = createMainWindow(FakeWindow, '/app/preload.cjs', '민원데스크').options.webPreferences ?? {};
    expect(w).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      backgroundThrottling: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(CHROMIUM_SWITCHES.map(([s]) => s)).toContain('disable-background-timer-throttling');
  });
});

describe('navigation guard', () => {
  function guarded() {
    const contents = fakeWebContents();
    const opened: string[] = [];
    const log: string[] = [];
    guardNavigation(contents as unknown as WebContents, {
      externalOrigins: ['https://www.pohang.go.kr'],
      openExternal: vi.fn(async (url: string) => void opened.push(url)),
      log: (m) => log.push(m),
    });
    return { contents, opened, log };
  }

  it('keeps the page inside the app: navigation elsewhere is prevented', () => {
    const { contents, opened, log } = guarded();
    expect(contents.attempt('will-navigate', 'app://desk/index.html')).toBe(false);
    expect(contents.attempt('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(contents.attempt('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(opened).toEqual([]);
    expect(log.filter((l) => l.startsWith('external link refused'))).toHaveLength(3);
  });

  it('sends allow-listed links to the OS browser and never opens a window', () => {
    const { contents, opened } = guarded();
    expect(contents.open('https://www.pohang.go.kr/civil/guide')).toEqual({ action: 'deny' });
    expect(contents.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(contents.open('app://desk/index.html')).toEqual({ action: 'deny' });
    expect(contents.attempt('will-navigate', 'https://www.pohang.go.kr/')).toBe(true);
    expect(opened).toEqual(['https://www.pohang.go.kr/civil/guide', 'https://www.pohang.go.kr/']);
  });

  it('refuses webviews', () => {
    const { contents, log } = guarded();
    expect(contents.attempt('will-attach-webview')).toBe(true);
    expect(log).toContain('webview refused');
  });

  it('allows only http(s) links on listed origins, without credentials', () => {
    const origins = ['https://www.pohang.go.kr'];
    expect(isAllowedExternal('https://www.pohang.go.kr/x?y=1', origins)).toBe(true);
    expect(isAllowedExternal('https://www.pohang.go.kr.evil.example/', origins)).toBe(false);
    expect(isAllowedExternal('https://user:pw@www.pohang.go.kr/', origins)).toBe(false);
    expect(isAllowedExternal('http://www.pohang.go.kr/', origins)).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)', origins)).toBe(false);
    expect(isAllowedExternal('smb://www.pohang.go.kr/share', origins)).toBe(false);
  });
});

describe('reloading during a call', () => {
  it('asks the agent instead of silently refusing; leaving lets the page go (it ends the call itself)', () => {
    const contents = fakeWebContents();
    let answer = false;
    const asked = vi.fn(() => answer);
    confirmUnloadDuringCall(contents as unknown as WebContents, asked);
    // The page's beforeunload said "in a call": Electron asks main. Stay: the unload stays prevented.
    expect(contents.attempt('will-prevent-unload')).toBe(false);
    answer = true;
    expect(contents.attempt('will-prevent-unload')).toBe(true);
    expect(asked).toHaveBeenCalledTimes(2);
  });
});
