import { z } from 'zod';
import { UPDATE_CHANNELS } from './release';

/** What the desk's updater is doing, for the agent's status bar and the log. */
export const UPDATE_STATES = [
  /** Self-update is off by IT's policy, or this desk is not an installed build. */
  'disabled',
  'idle',
  'checking',
  'up-to-date',
  /** A verified release exists but is staged to other desks first. */
  'staged',
  /** Managed mode: a verified release exists; IT installs it. */
  'available',
  'downloading',
  /** Downloaded and verified: installs when the agent restarts the desk. */
  'ready',
  /** The feed offered something that failed verification: nothing was downloaded or installed. */
  'refused',
  /** The feed could not be reached or read; tried again later. */
  'error',
] as const;

export const updateStatusSchema = z.strictObject({
  state: z.enum(UPDATE_STATES),
  channel: z.enum(UPDATE_CHANNELS),
  currentVersion: z.string().max(64),
  /** The release concerned, once a manifest was verified. */
  version: z.string().max(64).nullable(),
  /** Why, for 'refused' and 'error'. */
  message: z.string().max(500).nullable(),
  at: z.iso.datetime(),
});
export type UpdateStatus = z.infer<typeof updateStatusSchema>;

/** System events the phone acts on: re-register after sleep or a network change. */
/** What the OS knows first: woke, the screen unlocked or locked, the network back or gone. */
export const SYSTEM_EVENTS = ['resume', 'unlock', 'lock', 'online', 'offline'] as const;

/**
 * The Electron shell's own API to the page, beside the core's contract (shared/contract.ts):
 * what only the desktop can do. Validated by the same code on both ends (shared/rpc.ts).
 */
export const shellContract = {
  methods: {
    /** A desktop notification from the main process (the page itself has no notification permission). */
    notify: {
      params: z.strictObject({ title: z.string().min(1).max(200), body: z.string().max(500), tag: z.string().max(64) }),
      result: z.strictObject({ shown: z.boolean() }),
    },
    /** Takes a notification of `tag` away (the call it announced stopped ringing). */
    dismiss: { params: z.strictObject({ tag: z.string().max(64) }), result: z.strictObject({ dismissed: z.boolean() }) },
    /** Opens a link in the OS browser, only if its origin is on the city's allow-list. */
    openExternal: { params: z.strictObject({ url: z.url().max(2000) }), result: z.strictObject({ opened: z.boolean() }) },
    updateStatus: { params: z.strictObject({}), result: updateStatusSchema },
    /** Restarts into a downloaded, verified update; refused during a call or when none is ready. */
    installUpdate: { params: z.strictObject({}), result: z.strictObject({ installing: z.boolean() }) },
  },
  events: {
    system: z.strictObject({ kind: z.enum(SYSTEM_EVENTS) }),
    update: updateStatusSchema,
  },
} as const;

export type ShellContract = typeof shellContract;

/** What the shell implements: each handler gets params already validated. */
export type ShellHandlers = {
  [M in keyof ShellContract['methods']]: (
    params: z.infer<ShellContract['methods'][M]['params']>,
  ) => z.infer<ShellContract['methods'][M]['result']> | Promise<z.infer<ShellContract['methods'][M]['result']>>;
};
