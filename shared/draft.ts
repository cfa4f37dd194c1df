import { z } from 'zod';
import { OUTCOMES, RECORD_LIMITS, recordDistrictSchema } from './record';
import { callIdSchema, END_REASONS, REPORT_KINDS, warningsSchema } from './recording';

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * A consultation not yet filed, kept in the desk's core (not the page): the one on screen
 * ('active', written as the agent works, so a reload or a crashed window loses nothing) and the
 * ones the agent set aside to finish later ('kept'). Notes are stored masked.
 */
export const DRAFT_STATUSES = ['active', 'kept'] as const;
export const DRAFT_PHASES = ['ringing', 'talking', 'wrap-up'] as const;

export const draftSchema = z.strictObject({
  id: z.uuid(),
  status: z.enum(DRAFT_STATUSES),
  phase: z.enum(DRAFT_PHASES),
  callerNumber: z.string().max(RECORD_LIMITS.callerRaw),
  callerName: z.string().max(200).nullable(),
  ivr: z.string().max(32).nullable(),
  startedAt: isoDateTime,
  endedAt: isoDateTime.nullable(),
  manualIds: z.array(z.string().min(1).max(64)).max(RECORD_LIMITS.manualIds),
  pinned: z.array(z.string().min(1).max(64)).max(RECORD_LIMITS.manualIds),
  notes: z.string().max(RECORD_LIMITS.notes),
  category: z.string().max(RECORD_LIMITS.category),
  subcategory: z.string().max(RECORD_LIMITS.category),
  outcome: z.enum(OUTCOMES),
  department: z.string().max(64).nullable(),
  transferredTo: z.string().max(100).nullable(),
  /** The callback being made, when the agent called the citizen back (drafts kept before it existed have none). */
  callbackId: z.string().min(1).max(64).nullish(),
  /** The citizen's text thread, when the consultation is one (drafts kept before texts had none). */
  threadId: z.string().min(1).max(64).nullish(),
  /** Where the matter is (optional; drafts kept before districts were asked have none). */
  district: recordDistrictSchema.nullish(),
  /** The SIP calls of the consultation (its recordings are filed by them; older drafts have none). */
  sipCallIds: z.array(callIdSchema).max(10).optional(),
  /** Warnings given to an abusive caller, the protocol's end, and the agent's report (성희롱·위협). */
  warnings: warningsSchema.nullish(),
  endReason: z.enum(END_REASONS).nullish(),
  report: z.enum(REPORT_KINDS).nullish(),
});
export type Draft = z.infer<typeof draftSchema>;

/** Most drafts a desk keeps; the oldest set-aside ones go first. */
export const MAX_DRAFTS = 50;
