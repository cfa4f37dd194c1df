import { DESK_BRIDGE_KEY, type DeskBridge } from '../../shared/bridge';
import { clientOverBridge, type ContractClient } from '../../shared/bridge-client';
import { coreContract } from '../../shared/contract';
import type { CoreClient } from '../../shared/rpc';
import { shellContract, type ShellContract } from '../../shared/shell-contract';

export type ShellClient = ContractClient<ShellContract>;

/** The Electron preload's bridge, when the page runs in the desktop app; null in a browser. */
export function deskBridge(win: Window): DeskBridge | null {
  const bridge = (win as unknown as Record<string, unknown>)[DESK_BRIDGE_KEY];
  return bridge && typeof bridge === 'object' ? (bridge as DeskBridge) : null;
}

/** The core's and the shell's clients over the bridge, each validating what comes back. */
export function desktopClients(bridge: DeskBridge, onBadMessage: (why: string) => void): { core: CoreClient; shell: ShellClient } {
  return { core: clientOverBridge(coreContract, bridge.core, onBadMessage), shell: clientOverBridge(shellContract, bridge.shell, onBadMessage) };
}

/** The phone's notifications and wake-ups through the shell: the main process shows them and knows of sleep first. */
export function desktopPhoneHooks(shell: ShellClient) {
  return {
    notify: (text: { title: string; body: string }) => {
      void shell.call('notify', { ...text, tag: 'call' }).catch(() => undefined);
      return () => void shell.call('dismiss', { tag: 'call' }).catch(() => undefined);
    },
    onSystemWake: (reRegister: () => void) => {
      shell.on('system', ({ kind }) => ['resume', 'unlock', 'online'].includes(kind) && reRegister());
    },
  };
}
