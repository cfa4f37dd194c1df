import type { ContextBridge, IpcRenderer } from 'electron';
import { DESK_BRIDGE_KEY, IPC_CHANNELS, type ContractBridge, type DeskBridge } from '../../shared/bridge';
import type { Reply } from '../../shared/rpc';

function bridgeOf(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>, channels: { call: string; event: string }): ContractBridge {
  return {
    // Only the method name and params cross; main checks both.
    call: (method, params) => ipc.invoke(channels.call, String(method), params) as Promise<Reply>,
    subscribe(listener) {
      // The IPC event object stays here: the page gets the event's name and data only.
      const forward = (_event: unknown, name: unknown, data: unknown) => listener(String(name), data);
      ipc.on(channels.event, forward);
      return () => void ipc.removeListener(channels.event, forward);
    },
  };
}

/** What the preload exposes: the two contracts' bridges and nothing else. */
export function exposeDeskBridge(contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>, ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): DeskBridge {
  const bridge: DeskBridge = { core: bridgeOf(ipc, IPC_CHANNELS.core), shell: bridgeOf(ipc, IPC_CHANNELS.shell) };
  contextBridge.exposeInMainWorld(DESK_BRIDGE_KEY, bridge);
  return bridge;
}
