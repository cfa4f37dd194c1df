// The Electron main process: the only place that wires the real `electron` module into the
// shell's parts (each of which is tested with fakes of what it takes).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, net, Notification, powerMonitor, protocol, safeStorage, session, shell, Tray, utilityProcess } from 'electron';
import log from 'electron-log/main';
import { autoUpdater } from 'electron-updater';
import { IPC_CHANNELS } from '../../shared/bridge';
import { coreContract, type CoreHandlers } from '../../shared/contract';
import type { Presence } from '../../shared/presence';
import { releaseManifestName, type TrustedKeys } from '../../shared/release';
import { shellContract, type UpdateStatus } from '../../shared/shell-contract';
import { fetchManifest } from '../core/update/fetch-manifest';
import { createUpdateFlow } from '../core/update/update-flow';
import { openUpdateState } from '../core/update/update-state';
import { parseTrustedKeys } from '../core/update/verify-release';
import { APP_ENTRY, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { superviseCore } from './core-supervisor';
import { feedUrlOf, PolicyError, policyPath, readDeskPolicy, type DeskPolicy } from './desk-policy';
import { electronUpdaterPort } from './electron-updater-port';
import { handleContract, sendEvent } from './ipc';
import { LOG_LIMITS, rotateLog } from './log-rotation';
import { createPermissionPolicy, pickHidDevice } from './permissions';
import { createSafeVault } from './safe-vault';
import { createShellT } from './shell-i18n';
import { forwardSystemEvents } from './system-events';
import { createShellHandlers } from './shell-handlers';
import { trayView } from './tray-menu';
import { CHROMIUM_SWITCHES, confirmUnloadDuringCall, createMainWindow, guardNavigation } from './window';

log.transports.file.maxSize = LOG_LIMITS.maxBytes;
log.transports.file.archiveLogFn = (file) => rotateLog(file.path, LOG_LIMITS.keep);
log.errorHandler.startCatching();
const warn = (msg: string) => log.warn(msg);

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();
for (const [name, value] of CHROMIUM_SWITCHES) app.commandLine.appendSwitch(name, value);

if (!app.requestSingleInstanceLock()) {
  // Another desk is already running on this machine: it gets focus (second-instance) instead.
  app.quit();
} else {
  app.whenReady().then(start, (e: Error) => log.error(`startup failed: ${e.stack ?? e.message}`));
}

function loadPolicy(t: ReturnType<typeof createShellT>): DeskPolicy | null {
  // A development run may point at a policy of its own; an installed desk reads only IT's.
  const file = !app.isPackaged && process.env.MINWON_DESK_POLICY ? process.env.MINWON_DESK_POLICY : policyPath(process.platform, process.env);
  try {
    return readDeskPolicy(file);
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    log.error(`policy: ${e.message}`);
    dialog.showErrorBox(t('policyError.title'), t('policyError.body', { detail: e.message }));
    return null;
  }
}

async function start(): Promise<void> {
  const t = createShellT(app.getLocale());
  const policy = loadPolicy(t);
  if (!policy) {
    app.quit();
    return;
  }
  // Agents sign in on the desk's sign-in screen. Credentials from the environment remain for
  // scripted and test runs only.
  const username = process.env.MINWON_USER;
  const password = process.env.MINWON_PASSWORD;
  const envCredentials = username && password ? { username, password } : undefined;
  const vault = createSafeVault({ safeStorage, file: join(app.getPath('userData'), 'sessions.vault'), fs: { readFileSync, writeFileSync, renameSync, existsSync }, log: warn });
  const connectSrc = [new URL(policy.sipWebSocket).origin, new URL(policy.cityServer).origin];
  const links = {
    externalOrigins: policy.externalLinks,
    // Called only by openIfAllowed, after the allow-list check (window.ts).
    openExternal: (url: string) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
    log: warn,
  };

  const permissions = createPermissionPolicy(warn);
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(permissions.request);
  ses.setPermissionCheckHandler(permissions.check);
  ses.setDevicePermissionHandler(permissions.device);
  ses.on('select-hid-device', (event, details, callback) => {
    event.preventDefault();
    callback(pickHidDevice(details.deviceList));
  });
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: join(app.getAppPath(), 'dist', 'renderer'), connectSrc, log: warn }));
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, links));

  const win = createMainWindow(BrowserWindow, join(__dirname, 'preload.cjs'), t('appName'));
  const showWindow = () => {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  win.once('ready-to-show', () => win.show());
  confirmUnloadDuringCall(win.webContents, () => {
    const stay = t('unloadDuringCall.stay');
    const leave = t('unloadDuringCall.leave');
    return dialog.showMessageBoxSync(win, { type: 'warning', message: t('unloadDuringCall.message'), buttons: [stay, leave], defaultId: 0, cancelId: 0 }) === 1;
  });
  app.on('second-instance', showWindow);

  // The core, in its own process; restarted with its SQLite state if it dies.
  const core = superviseCore({
    spawn: () => {
      const child = utilityProcess.fork(join(__dirname, 'core.cjs'), [], { serviceName: 'Minwon Desk engine', stdio: 'pipe' });
      child.stderr?.on('data', (chunk: Buffer) => log.info(`core: ${chunk.toString('utf8').trimEnd()}`));
      return {
        send: (text) => child.postMessage(text),
        onMessage: (listener) => child.on('message', (message: unknown) => listener(String(message))),
        onExit: (listener) => child.on('exit', listener),
        kill: () => void child.kill(),
      };
    },
    start: {
      type: 'start',
      cacheFile: join(app.getPath('userData'), 'cache.sqlite'),
      serverUrl: policy.cityServer,
      areaCode: policy.areaCode,
      ...(envCredentials ? { credentials: envCredentials } : {}),
      vault: vault.read(),
      syncIntervalMs: 30_000,
    },
    onVault: (contents) => void vault.write(contents),
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    logger: log,
    onEvent: (event) => sendEvent(win.webContents, IPC_CHANNELS.core.event, coreContract, event.name, event.data, warn),
  });

  // The tray shows the state the page last reported; quitting is refused during a call.
  let presence: Presence | null = null;
  let quitting = false;
  const tray = new Tray(nativeImage.createFromPath(join(app.getAppPath(), 'resources', 'build', 'icon.png')));
  const quit = () => {
    if (presence?.state === 'on-call') {
      showWindow();
      void dialog.showMessageBox(win, { type: 'warning', message: t('quitDuringCall') });
      return;
    }
    quitting = true;
    app.quit();
  };
  const refreshTray = () => {
    const view = trayView(t, presence, { show: showWindow, quit });
    tray.setToolTip(view.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(view.menu));
  };
  refreshTray();
  tray.on('click', showWindow);
  // Closing the window keeps the desk running in the tray: calls must still ring.
  win.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    win.hide();
  });
  app.on('before-quit', () => {
    quitting = true;
    core.stop();
  });

  const coreHandlers: CoreHandlers = {
    ...(core.handlers as unknown as CoreHandlers),
    setPresence: async (p) => {
      presence = { state: p.state, reason: p.reason };
      refreshTray();
      return (await core.handlers.setPresence(p)) as { reported: boolean };
    },
  };
  handleContract(ipcMain, IPC_CHANNELS.core.call, coreContract, coreHandlers, warn);

  const emitShell = (name: keyof typeof shellContract.events, data: unknown) => sendEvent(win.webContents, IPC_CHANNELS.shell.event, shellContract, name, data, warn);
  const updates = createUpdates(policy, t, emitShell);
  handleContract(
    ipcMain,
    IPC_CHANNELS.shell.call,
    shellContract,
    createShellHandlers({
      notice: (title, body) => new Notification({ title, body, urgency: 'critical', timeoutType: 'never' }),
      showWindow,
      links,
      updates: {
        status: () => updates.status(),
        // electron-updater closes the window before the app hears of quitting: let it close.
        install: () => {
          quitting = true;
          if (!updates.install()) quitting = false;
          return quitting;
        },
      },
      presence: () => presence,
    }),
    warn,
  );

  forwardSystemEvents({
    powerMonitor,
    isOnline: () => net.isOnline(),
    timers: { setTimeout, clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout), setInterval },
    emit: (kind) => emitShell('system', { kind }),
  });

  await win.loadURL(APP_ENTRY);
}

/** The signed-update flow for this desk, checking on the policy's schedule. */
function createUpdates(policy: DeskPolicy, t: ReturnType<typeof createShellT>, emit: (name: 'update', data: UpdateStatus) => void) {
  const feed = feedUrlOf(policy);
  let mode = app.isPackaged ? policy.updates.mode : 'off';
  let trust: TrustedKeys;
  try {
    trust = parseTrustedKeys(readFileSync(join(app.getAppPath(), 'resources', 'update', 'trusted-keys.json'), 'utf8'));
  } catch (e) {
    log.error(`updates off: ${(e as Error).message}`);
    mode = 'off';
    trust = { threshold: 1, keys: [] };
  }
  const flow = createUpdateFlow({
    mode,
    channel: policy.updates.channel,
    platform: process.platform,
    arch: process.arch,
    currentVersion: app.getVersion(),
    trust,
    readManifest: () => fetchManifest(new URL(releaseManifestName(process.platform, process.arch), feed).href, (url, init) => net.fetch(url, init)),
    updater: electronUpdaterPort(autoUpdater, feed),
    state: openUpdateState(join(app.getPath('userData'), 'update-state.json'), (m) => log.warn(m)),
    clock: () => new Date(),
    logger: log,
    onStatus: (status) => {
      emit('update', status);
      // Installing at quit only ever follows a verified download.
      autoUpdater.autoInstallOnAppQuit = status.state === 'ready';
      if (status.state === 'refused') new Notification({ title: t('appName'), body: t('updateRefused') }).show();
    },
  });
  if (mode !== 'off') {
    setTimeout(() => void flow.check(), 30_000);
    setInterval(() => void flow.check(), policy.updates.checkEveryMinutes * 60_000);
  }
  return flow;
}
