// The real preload bridge (electron/shell/preload-bridge.ts), run in a Chromium page with
// stand-ins for Electron's contextBridge and ipcRenderer: invoke goes to the test's emulated main
// process through a Playwright binding, and events come back through __minwonIpcEmit.
import { exposeDeskBridge } from '../../../electron/shell/preload-bridge';

type Listener = (event: unknown, ...args: unknown[]) => void;
const w = window as unknown as Record<string, unknown> & { __minwonInvoke(channel: string, ...args: unknown[]): Promise<unknown> };
const listeners = new Map<string, Set<Listener>>();
w.__minwonIpcEmit = (channel: string, ...args: unknown[]) => {
  for (const l of listeners.get(channel) ?? []) l({}, ...args);
};
exposeDeskBridge(
  { exposeInMainWorld: (key: string, api: unknown) => void (w[key] = api) },
  {
    invoke: (channel: string, ...args: unknown[]) => w.__minwonInvoke(channel, ...args),
    on(channel: string, listener: Listener) {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
      return this;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
      return this;
    },
  } as never,
);
