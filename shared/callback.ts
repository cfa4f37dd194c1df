import { z } from 'zod';
import { IVR_CHOICE } from './ivr';
import { SEOUL_OFFSET_MS } from './seoul-time';

// Callbacks (콜백서비스): a citizen asked to be called back (the PBX's IVR, a call nobody answered,
// an agent during a call, the city's web form, a reservation coming due). They wait in one work
// queue, in the order citizens first asked, and are offered to ready agents like calls.

export const CALLBACK_SOURCES = ['ivr', 'abandoned', 'agent', 'web', 'reservation'] as const;
export type CallbackSource = (typeof CALLBACK_SOURCES)[number];

export const CALLBACK_STATES = ['pending', 'offered', 'dialling', 'connected', 'completed', 'failed', 'cancelled', 'expired'] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];
/** A callback in one of these is open: a new request for its number merges into it. */
export const OPEN_CALLBACK_STATES = ['pending', 'offered', 'dialling', 'connected'] as const satisfies readonly CallbackState[];

/** What the agent says of one attempt, in one click. */
export const CALLBACK_OUTCOMES = ['reached', 'no-answer', 'busy', 'wrong-number', 'citizen-declined'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

const dueAt = z.iso.datetime({ offset: true });
const number = z.string().min(3).max(40);
const note = z.string().max(500);

/** The PBX's IVR ("press 1 for a callback"): replayed requests carry the same key and change nothing. */
export const ivrCallbackRequestSchema = z.strictObject({
  number,
  idempotencyKey: z.string().regex(/^[A-Za-z0-9._:-]{8,100}$/),
  ivr: z.string().regex(IVR_CHOICE).optional(),
  /** The PBX's id of the call the citizen made. */
  callId: z.string().max(200).optional(),
});
export type IvrCallbackRequest = z.infer<typeof ivrCallbackRequestSchema>;

/** An agent during or after a call ("call me back tomorrow at 3"). */
export const agentCallbackRequestSchema = z.strictObject({
  number,
  /** When the citizen wants the call; now when absent. Outside opening hours it waits for opening. */
  dueAt: dueAt.optional(),
  note: note.optional(),
  /** The call the citizen made, when there was one. */
  callId: z.string().max(200).optional(),
  /** The agent keeps it (until the city's time, then it goes to everyone). */
  keep: z.boolean().optional(),
});
export type AgentCallbackRequest = z.infer<typeof agentCallbackRequestSchema>;

export const callbackOutcomeSchema = z.strictObject({ attemptId: z.string().max(64), outcome: z.enum(CALLBACK_OUTCOMES) });

/**
 * An outcome as the desk's outbox delivers it (kept on the desk until the city has it, so an
 * agent's click survives an outage or a restart): `id` is the line's, `at` when the agent said it.
 */
export const callbackOutcomeEventSchema = callbackOutcomeSchema.extend({
  id: z.uuid(),
  at: z.iso.datetime({ offset: true }),
  callbackId: z.string().max(64),
});
export type CallbackOutcomeEvent = z.infer<typeof callbackOutcomeEventSchema>;
// Lines are checked one by one, so one bad line cannot sink the rest.
export const callbackOutcomeBatchSchema = z.strictObject({ events: z.array(z.unknown()).min(1).max(500) });

/** A callback as desks and team leads see it. */
export const callbackSchema = z.strictObject({
  id: z.string(),
  /** E.164 (+82…). */
  number: z.string(),
  sources: z.array(z.enum(CALLBACK_SOURCES)),
  callId: z.string().nullable(),
  topic: z.string().nullable(),
  note: z.string().nullable(),
  /** When the citizen first asked: their place in the queue. */
  askedAt: z.string(),
  dueAt: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  state: z.enum(CALLBACK_STATES),
  /** The agent (username) it belongs to until `ownerUntil`, or null: everyone's. Agents are named by username throughout. */
  owner: z.string().nullable(),
  ownerUntil: z.string().nullable(),
  offeredTo: z.string().nullable(),
  offerUntil: z.string().nullable(),
  /** The attempt in progress (dialling or connected), or whose outcome nobody has said. */
  openAttempt: z.strictObject({ id: z.string(), agent: z.string(), startedAt: z.string() }).nullable(),
  /** What the last settled attempt came to (the team lead's reason a callback failed). */
  lastOutcome: z.enum(CALLBACK_OUTCOMES).nullable(),
  /** The consultation record the callback's conversation was filed as. */
  recordId: z.string().nullable(),
});
export type Callback = z.infer<typeof callbackSchema>;

const hhmm = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/);
const period = z.strictObject({ from: hhmm, to: hhmm }).refine((p) => p.from < p.to, 'a period ends after it starts');

/** When the center answers, Korea time: periods per weekday (Monday first) and the days it is closed. */
export const openingHoursSchema = z
  .strictObject({
    weekly: z.array(z.array(period).max(4)).length(7),
    /** Korean public holidays and the city's own closed days (YYYY-MM-DD). */
    holidays: z.array(z.iso.date()).max(400),
  })
  .refine((h) => h.weekly.some((d) => d.length > 0), 'open at least one period a week');
export type OpeningHours = z.infer<typeof openingHoursSchema>;

/** How the city runs its callbacks. */
export const callbackPolicySchema = z.strictObject({
  /** A call to the representative number that nobody answered becomes a callback request. */
  fromAbandoned: z.boolean(),
  /** Attempts before a callback fails (and is shown to the team lead). */
  maxAttempts: z.number().int().min(1).max(10),
  /** Wait after an attempt that did not reach the citizen. */
  retryMinutes: z.number().int().min(1).max(1440),
  /** How long an agent has to accept an offer before it goes to the next agent. */
  offerSeconds: z.number().int().min(5).max(120),
  /** An agent's own callback goes to everyone this long after it is due. */
  ownerMinutes: z.number().int().min(1).max(10_080),
});
export type CallbackPolicy = z.infer<typeof callbackPolicySchema>;

const DAY_MS = 86_400_000;
const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/**
 * The first moment from `at` on when the center is open: `at` itself when it is open then, else
 * the start of the next opening period (Korea time, holidays skipped).
 */
export function nextOpening(hours: OpeningHours, at: Date): Date {
  const holidays = new Set(hours.holidays);
  const kst = at.getTime() + SEOUL_OFFSET_MS;
  const midnight = kst - (((kst % DAY_MS) + DAY_MS) % DAY_MS);
  // A year ahead is far past any schedule with one period a week and the holidays of a year.
  for (let day = 0; day < 400; day++) {
    const start = midnight + day * DAY_MS;
    const date = new Date(start);
    if (holidays.has(date.toISOString().slice(0, 10))) continue;
    const weekday = (date.getUTCDay() + 6) % 7;
    for (const p of [...(hours.weekly[weekday] ?? [])].sort((a, b) => minutes(a.from) - minutes(b.from))) {
      const from = start + minutes(p.from) * 60_000;
      const to = start + minutes(p.to) * 60_000;
      if (kst < to) return new Date(Math.max(kst, from) - SEOUL_OFFSET_MS);
    }
  }
  return at;
}
