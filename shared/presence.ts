import { z } from 'zod';

/**
 * What an agent's desk tells the city about taking calls. Only 'ready' agents are offered calls
 * to the representative number; the SIP server picks the one ready the longest.
 */
export const PRESENCE_STATES = ['ready', 'not-ready', 'break', 'on-call', 'wrap-up', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

export const presenceSchema = z.strictObject({
  state: z.enum(PRESENCE_STATES),
  /** The not-ready reason's id from the city's list. */
  reason: z.string().regex(/^[a-z0-9-]{1,32}$/).nullable(),
  /** On a call: what it is about as far as the desk knows (the category the wrap-up starts with), for the team board. */
  category: z.string().max(100).nullable().optional(),
  /** On a call: warnings given to an abusive caller so far (the team lead's board is alerted from the first). */
  warnings: z.number().int().min(0).max(50).optional(),
  /**
   * The desk's own counter for its states (it only grows): a desk tells both the city server and
   * the SIP server, and whichever hears of a state late keeps the newer one. Absent (older desks):
   * newer than anything recorded.
   */
  version: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type Presence = z.infer<typeof presenceSchema>;

export const presenceAnswerSchema = z.strictObject({
  state: z.enum(PRESENCE_STATES),
  /** When the agent entered this state (ISO time); for 'ready', the start of their idle time. */
  since: z.iso.datetime({ offset: true }),
});
export type PresenceAnswer = z.infer<typeof presenceAnswerSchema>;
