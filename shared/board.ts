import { z } from 'zod';
import { usernameSchema } from './auth';
import { PRESENCE_STATES } from './presence';

const count = z.number().int().nonnegative();

/** One agent's row on the team lead's board. */
export const boardAgentSchema = z.strictObject({
  username: usernameSchema,
  displayName: z.string(),
  state: z.enum(PRESENCE_STATES),
  /** When the agent entered the state (for 'on-call': when the call began); null if never reported. */
  since: z.iso.datetime({ offset: true }).nullable(),
  /** The not-ready reason's id. */
  reason: z.string().nullable(),
  /** Today's (Asia/Seoul) consultations the city has from this agent. */
  handledToday: count,
  averageHandlingSeconds: z.number().nonnegative().nullable(),
  /** On a call: what it is about, as the agent's desk knows it (screen-pop or the agent's choice). */
  callCategory: z.string().nullable(),
  /** The category of the agent's latest consultation. */
  lastCategory: z.string().nullable(),
  /** On a call: warnings the agent has given an abusive caller (the board alerts the team lead). */
  warnings: count,
  /** The agent is on the city's protected break after an abusive call: not held against them. */
  protectedBreak: z.boolean(),
});
export type BoardAgent = z.infer<typeof boardAgentSchema>;

/** Calls to the representative number ringing an agent, not yet answered, and since when the longest has. */
export const waitingSchema = z.strictObject({ count, oldestSince: z.iso.datetime({ offset: true }).nullable() });
export type Waiting = z.infer<typeof waitingSchema>;

/** What every agent's call bar shows of the queue. */
export const queueSchema = z.strictObject({ at: z.iso.datetime({ offset: true }), waiting: waitingSchema });
export type Queue = z.infer<typeof queueSchema>;

export const teamBoardSchema = z.strictObject({
  at: z.iso.datetime({ offset: true }),
  day: z.iso.date(),
  waiting: waitingSchema,
  agents: z.array(boardAgentSchema).max(500),
});
export type TeamBoard = z.infer<typeof teamBoardSchema>;

/** Who the desk is signed in as (the board is a team lead's). */
export const whoAmISchema = z.strictObject({ username: z.string(), displayName: z.string(), role: z.enum(['agent', 'lead', 'phone']) });
