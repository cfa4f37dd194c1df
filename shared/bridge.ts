import type { Reply } from './rpc';

/**
 * The Electron preload's whole surface to the page: one typed bridge per contract (the core's
 * and the shell's). Calls go to the main process, which checks the sender and validates every
 * payload before anything runs; the page validates what comes back. No IPC object, no event
 * object, no Node value crosses.
 */
export interface ContractBridge {
  call(method: string, params: unknown): Promise<Reply>;
  /** Events as name and data only; returns the unsubscribe function. */
  subscribe(listener: (name: string, data: unknown) => void): () => void;
}

export interface DeskBridge {
  core: ContractBridge;
  shell: ContractBridge;
}

/** The global the preload defines (`window.minwonDesk`). */
export const DESK_BRIDGE_KEY = 'minwonDesk';

/** IPC channels between preload and main: a call channel and an event channel per contract. */
export const IPC_CHANNELS = {
  core: { call: 'minwon:core:call', event: 'minwon:core:event' },
  shell: { call: 'minwon:shell:call', event: 'minwon:shell:event' },
} as const;
