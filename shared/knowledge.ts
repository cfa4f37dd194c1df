import { z } from 'zod';
import { ENTRY_KINDS, entrySectionsSchema, manualEntryInputSchema, MANUAL_LIMITS } from './manual';

/**
 * The knowledge portal's vocabulary (issue 21): the departments keep their manual entries through
 * drafts a reviewer approves; the desks flag what is wrong and report the questions the manual
 * could not answer.
 */

/** A draft's content: the entry as it will be published. `body` is 업무개요. */
export const draftContentSchema = z.strictObject({
  kind: z.enum(ENTRY_KINDS).default('manual'),
  category: manualEntryInputSchema.shape.category,
  title: manualEntryInputSchema.shape.title,
  body: manualEntryInputSchema.shape.body,
  keywords: z.array(z.string().trim().min(1).max(MANUAL_LIMITS.keyword)).max(MANUAL_LIMITS.keywords).default([]),
  sections: entrySectionsSchema.default({}),
});
export type DraftContent = z.infer<typeof draftContentSchema>;

export const DRAFT_STATES = ['draft', 'review', 'rejected', 'scheduled', 'published', 'withdrawn'] as const;
export type DraftState = (typeof DRAFT_STATES)[number];
/** A draft in one of these is the entry's next version in the making: at most one per entry. */
export const OPEN_DRAFT_STATES: readonly DraftState[] = ['draft', 'review', 'rejected', 'scheduled'];

/** What approving a draft does to its entry: publish its content, or archive the entry (the desks drop it). */
export const DRAFT_ACTIONS = ['publish', 'archive'] as const;
export type DraftAction = (typeof DRAFT_ACTIONS)[number];

export const newDraftSchema = z.strictObject({
  /** The entry it revises; absent for a new entry (the server names it). */
  entryId: manualEntryInputSchema.shape.id.optional(),
  action: z.enum(DRAFT_ACTIONS).default('publish'),
  /** The department that owns the entry (an editor's own; a reviewer names one for a new entry). */
  department: z.string().trim().min(1).max(MANUAL_LIMITS.department).optional(),
  content: draftContentSchema.optional(),
});
export type NewDraft = z.input<typeof newDraftSchema>;

export const draftEditSchema = z.strictObject({ content: draftContentSchema });

const commentText = z.string().trim().min(1).max(2000);
const seoulDate = z.iso.date();

export const draftDecisionSchema = z.discriminatedUnion('decision', [
  /** `publishOn`: a Seoul calendar day; the entry goes live at its midnight (a rule that changes on 1 January). */
  z.strictObject({ decision: z.literal('approve'), publishOn: seoulDate.optional(), comment: commentText.optional() }),
  z.strictObject({ decision: z.literal('reject'), comment: commentText }),
]);
export type DraftDecision = z.infer<typeof draftDecisionSchema>;

export const draftCommentSchema = z.strictObject({
  by: z.string(),
  at: z.string(),
  text: z.string(),
  /** What the comment went with: a rejection, an approval, a note. */
  kind: z.enum(['reject', 'approve', 'note']),
});
export type DraftComment = z.infer<typeof draftCommentSchema>;

/** A draft as the city keeps it: the store writes it, the portal reads it. */
export const draftSchema = z.strictObject({
  id: z.string(),
  entryId: z.string(),
  department: z.string(),
  action: z.enum(DRAFT_ACTIONS),
  /** The published version this draft revises; null for a new entry. */
  baseVersion: z.number().int().nullable(),
  content: draftContentSchema,
  state: z.enum(DRAFT_STATES),
  author: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  reviewer: z.string().nullable(),
  decidedAt: z.string().nullable(),
  publishAt: z.string().nullable(),
  publishedVersion: z.number().int().nullable(),
  comments: z.array(draftCommentSchema),
  /** Who edited it besides its author (a reviewer among them may not approve it). */
  editors: z.array(z.string()),
});
export type Draft = z.infer<typeof draftSchema>;

/** A flag an agent raises on an entry (KCS "flag it"): what is wrong with it. */
export const FLAG_KINDS = ['wrong', 'outdated', 'incomplete', 'duplicate'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export const FLAG_LIMITS = { note: 1000, perBatch: 100 } as const;

/** A flag as the desk raises it; `id` is the desk's and makes a resent flag one flag. */
export const flagInputSchema = z.strictObject({
  id: z.uuid(),
  entryId: manualEntryInputSchema.shape.id,
  /** The entry's version on the agent's screen. */
  entryVersion: z.number().int().positive(),
  kind: z.enum(FLAG_KINDS),
  note: z.string().trim().max(FLAG_LIMITS.note).default(''),
  at: z.iso.datetime({ offset: true }),
  /** Raised during a call (or a text consultation): what the flag came from. */
  duringCall: z.boolean().default(false),
});
export type FlagInput = z.infer<typeof flagInputSchema>;
export const flagBatchSchema = z.strictObject({ flags: z.array(flagInputSchema).min(1).max(FLAG_LIMITS.perBatch) });

export const FLAG_STATES = ['open', 'fixed', 'answered'] as const;
export type FlagState = (typeof FLAG_STATES)[number];

/** A flag as the city keeps it: the department's inbox and the agent's own list read it alike. */
export const flagSchema = z.strictObject({
  id: z.string(),
  entryId: z.string(),
  entryTitle: z.string(),
  entryVersion: z.number().int(),
  department: z.string().nullable(),
  kind: z.enum(FLAG_KINDS),
  note: z.string(),
  agent: z.string(),
  at: z.string(),
  receivedAt: z.string(),
  state: z.enum(FLAG_STATES),
  /** The department's reply (answered); null when a publication fixed it. */
  reply: z.string().nullable(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** The version whose publication closed it. */
  fixedVersion: z.number().int().nullable(),
});
export type Flag = z.infer<typeof flagSchema>;

export const flagReplySchema = z.strictObject({ reply: z.string().trim().min(1).max(FLAG_LIMITS.note) });

/**
 * A question the manual did not answer, as a desk reports it: a search that ended without an entry
 * opened. `id` makes a resent report one report.
 */
export const GAP_LIMITS = { query: 200, perBatch: 500 } as const;
export const searchMissSchema = z.strictObject({
  id: z.uuid(),
  query: z.string().trim().min(1).max(GAP_LIMITS.query),
  at: z.iso.datetime({ offset: true }),
  /** The consultation's category when the agent had chosen one. */
  category: z.string().trim().min(1).max(MANUAL_LIMITS.category).nullable().default(null),
});
export type SearchMiss = z.infer<typeof searchMissSchema>;
export const searchMissBatchSchema = z.strictObject({ misses: z.array(searchMissSchema).min(1).max(GAP_LIMITS.perBatch) });

/** How each entry is used on the desks (KCS reuse): the portal shows it beside the entry. */
export interface EntryReuse {
  opened: number;
  linked: number;
  sentBySms: number;
  flagged: number;
  openFlags: number;
}

/** The verification interval of a category (or the city's default), in days. */
export const knowledgePolicySchema = z.strictObject({
  verifyDays: z.number().int().min(7).max(3650),
  /** By category name (the part before the slash) or full category. */
  verifyDaysByCategory: z.record(z.string().min(1).max(MANUAL_LIMITS.category), z.number().int().min(7).max(3650)),
});
export type KnowledgePolicy = z.infer<typeof knowledgePolicySchema>;

/** Days an entry of `category` stays verified: its own category's, its top category's, or the city's. */
export function verifyDaysOf(policy: KnowledgePolicy, category: string): number {
  const top = category.split('/')[0] ?? category;
  return policy.verifyDaysByCategory[category] ?? policy.verifyDaysByCategory[top] ?? policy.verifyDays;
}
