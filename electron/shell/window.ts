import type { BrowserWindowConstructorOptions, Event, HandlerDetails, WebContents } from 'electron';
import { isAppUrl } from './app-protocol';

/**
 * Makes the main window. Every security option is written out here, in the constructor call, not
 * left to defaults, so a reader (and electronegativity) sees them: an isolated, sandboxed page
 * without Node that keeps web security. Background throttling is off: a minimised desk must keep
 * its SIP keep-alives and ring on time. `BrowserWindow` is Electron's class, or a test's fake.
 */
export function createMainWindow<W>(BrowserWindow: new (options: BrowserWindowConstructorOptions) => W, preload: string, title: string): W {
  return new BrowserWindow({
    title,
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      // The preload exposes only the two typed contract bridges (preload-bridge.ts, tested).
      preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A call's audio (its mix, the warning, the recording notice, the desk's recording) must play
      // before the agent has clicked anything: a ringing call is answered from a headset or a key.
      autoplayPolicy: 'no-user-gesture-required',
      // Middle-click would try a new window (refused anyway): switch it off at the source.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      backgroundThrottling: false,
      safeDialogs: true,
    },
  });
}

/** Chromium switches set before the app is ready. */
export const CHROMIUM_SWITCHES: readonly (readonly [string] | readonly [string, string])[] = [
  // Timers of a hidden or minimised window would be throttled to once a minute: SIP needs them.
  ['disable-background-timer-throttling'],
  ['disable-renderer-backgrounding'],
  ['disable-backgrounding-occluded-windows'],
];

export interface NavigationGuardOptions {
  /** Origins (scheme://host[:port]) whose links may open in the OS browser. */
  externalOrigins: readonly string[];
  openExternal: (url: string) => Promise<void>;
  log: (msg: string) => void;
}

/** Whether a link may leave the app for the OS browser: https (or http) on an allow-listed origin. */
export function isAllowedExternal(url: string, origins: readonly string[]): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '' && origins.includes(u.origin);
  } catch {
    return false;
  }
}

/** Opens an allowed link in the OS browser; true if it did. */
export function openIfAllowed(url: string, o: NavigationGuardOptions): boolean {
  if (!isAllowedExternal(url, o.externalOrigins)) {
    o.log(`external link refused: ${url.slice(0, 200)}`);
    return false;
  }
  // Only http(s) URLs on IT's allow-listed origins get here (checked just above).
  void o.openExternal(url).catch((e: Error) => o.log(`external link failed: ${e.message}`)); // eng-disable OPEN_EXTERNAL_JS_CHECK
  return true;
}

/**
 * The page asks before it unloads during a call (renderer/core/page-exit.ts); Electron would
 * silently refuse the reload. The agent is asked instead: `leave` true lets the page go (it ends
 * the call properly as it does).
 */
export function confirmUnloadDuringCall(contents: Pick<WebContents, 'on'>, leave: () => boolean): void {
  contents.on('will-prevent-unload', (event) => {
    if (leave()) event.preventDefault();
  });
}

/**
 * Keeps every web contents inside the app: no navigation away from app://desk, no new windows
 * or webviews; an allow-listed link goes to the OS browser instead.
 */
export function guardNavigation(contents: WebContents, o: NavigationGuardOptions): void {
  const stay = (event: Event, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openIfAllowed(url, o);
  };
  contents.on('will-navigate', (event, url) => stay(event, url));
  contents.on('will-redirect', (event, url) => stay(event, url));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    o.log('webview refused');
  });
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    openIfAllowed(details.url, o);
    return { action: 'deny' };
  });
}
