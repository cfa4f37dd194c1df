// Fakes of the few Electron objects the shell's parts take, since Electron's runtime cannot run
// here: they record what the shell does with them, nothing more.
import { EventEmitter } from 'node:events';
import type { SenderEvent } from '../../electron/shell/ipc';

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

/**
 * An IPC event from a frame: the main frame of the app by default. `replaced`: a top-level frame
 * the page has navigated away from (no parent, yet no longer the window's main frame), whose
 * message arrives after the navigation.
 */
export function ipcEventFrom(url = 'app://desk/index.html', opts: { subFrame?: boolean; gone?: boolean; replaced?: boolean } = {}): SenderEvent {
  const mainFrame: FakeFrame = { url: opts.subFrame || opts.replaced ? 'app://desk/index.html' : url, parent: null };
  const frame: FakeFrame = opts.subFrame ? { url, parent: mainFrame } : opts.replaced ? { url, parent: null } : mainFrame;
  return { senderFrame: opts.gone ? null : frame, sender: { mainFrame } } as unknown as SenderEvent;
}

/** ipcMain.handle, capturing the handler per channel so a test can invoke it as the page would. */
export function fakeIpcMain() {
  const handlers = new Map<string, (event: SenderEvent, ...args: unknown[]) => unknown>();
  return {
    handle(channel: string, handler: (event: never, ...args: never[]) => unknown) {
      handlers.set(channel, handler as never);
    },
    invoke(channel: string, event: SenderEvent, ...args: unknown[]) {
      const h = handlers.get(channel);
      if (!h) throw new Error(`nothing handles ${channel}`);
      return Promise.resolve(h(event, ...args));
    },
  };
}

/** A WebContents as far as navigation guarding goes: its events and its window-open handler. */
export function fakeWebContents() {
  const emitter = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const sent: unknown[][] = [];
  return Object.assign(emitter, {
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      openHandler = h;
    },
    open(url: string) {
      if (!openHandler) throw new Error('no window-open handler');
      return openHandler({ url });
    },
    /** Emits a cancellable event; true if the shell prevented it. */
    attempt(name: string, url?: string): boolean {
      let prevented = false;
      emitter.emit(name, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    },
    send: (...args: unknown[]) => void sent.push(args),
    destroyed: false,
    isDestroyed(): boolean {
      return this.destroyed;
    },
    sent,
  });
}
