import { z } from 'zod';
import { dashboardSchema, drillAnswerSchema, type DrillRecord } from '../../shared/analytics';
import { ROLES } from '../../shared/auth';
import { protectionCaseSchema, recordingSummarySchema } from '../../shared/recording';
import { draftCommentSchema, draftContentSchema, draftSchema as draftSchemaShared, DRAFT_STATES, flagSchema as sharedFlagSchema } from '../../shared/knowledge';
import { manualEntrySchema } from '../../shared/manual';

// The knowledge portal's answers from the city server, checked before a screen reads them. Objects
// are not strict: a field the server adds later must not break the portal.

const entrySchema = z.object(manualEntrySchema.shape);
const draftContentAnswer = z.object(draftContentSchema.shape);

export const loginAnswer = z.object({
  token: z.string().min(1),
  user: z.object({ username: z.string(), displayName: z.string(), role: z.enum(ROLES) }),
});

export const meSchema = z.object({
  user: z.object({ username: z.string(), displayName: z.string(), role: z.enum(ROLES), department: z.string().nullable() }),
  departments: z.array(z.object({ id: z.string(), name: z.string() })),
  /** The editors an entry's owner is chosen from. */
  editors: z.array(z.object({ username: z.string(), displayName: z.string(), department: z.string().nullable() })),
});
export type Me = z.infer<typeof meSchema>;

const reuseSchema = z.object({ opened: z.number(), linked: z.number(), sentBySms: z.number(), flagged: z.number(), openFlags: z.number() });

export const portalEntrySchema = z.object({
  entry: entrySchema,
  owner: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  verifyBy: z.string().nullable(),
  overdue: z.boolean(),
  reuse: reuseSchema,
  draft: z.object({ id: z.string(), state: z.enum(DRAFT_STATES) }).nullable(),
});
export type PortalEntry = z.infer<typeof portalEntrySchema>;
export const entriesAnswer = z.object({ entries: z.array(portalEntrySchema) });

export const flagSchema = z.object(sharedFlagSchema.shape);
export type PortalFlag = z.infer<typeof flagSchema>;
export const flagsAnswer = z.object({ flags: z.array(flagSchema) });
export const flagAnswer = z.object({ flag: flagSchema });

export const versionSchema = z.object({ version: z.number(), changedAt: z.string(), changedBy: z.string(), reviewer: z.string().nullable(), entry: entrySchema.nullable() });
export type EntryVersion = z.infer<typeof versionSchema>;

export const entryAnswer = portalEntrySchema.extend({ versions: z.array(versionSchema), flags: z.array(flagSchema), canEdit: z.boolean() });
export type EntryDetail = z.infer<typeof entryAnswer>;

export const draftSchema = z.object({ ...draftSchemaShared.shape, content: draftContentAnswer, comments: z.array(z.object(draftCommentSchema.shape)) });
export type PortalDraft = z.infer<typeof draftSchema>;
export const draftAnswer = z.object({ draft: draftSchema });
export const maybeDraftAnswer = z.object({ draft: draftSchema.nullable() });
export const draftsAnswer = z.object({ drafts: z.array(draftSchema) });
export const draftWithLiveAnswer = z.object({ draft: draftSchema, live: entrySchema.nullable() });

export const similarAnswer = z.object({
  similar: z.array(z.object({ id: z.string().nullable(), title: z.string(), category: z.string(), department: z.string().nullable() })),
});
export type SimilarEntry = z.infer<typeof similarAnswer>['similar'][number];

export const gapsAnswer = z.object({
  groups: z.array(
    z.object({
      label: z.string(),
      count: z.number(),
      wordings: z.array(z.object({ query: z.string(), count: z.number() })),
      terms: z.array(z.string()),
      category: z.string().nullable(),
      weeks: z.array(z.object({ week: z.string(), count: z.number() })),
      department: z.string().nullable(),
    }),
  ),
  consultations: z.array(z.object({ category: z.string(), week: z.string(), unlinked: z.number(), transferred: z.number() })),
  searches: z.number(),
});
export type GapReport = z.infer<typeof gapsAnswer>;

/** A sheet's problem: its line (CSV) or row (XLSX), the column when known, and the server's words. */
export const sheetProblemSchema = z.object({ line: z.number(), column: z.string().optional(), message: z.string() });
export type SheetProblem = z.infer<typeof sheetProblemSchema>;
export const importAnswer = z.object({ drafts: z.number(), unchanged: z.number().default(0), problems: z.array(sheetProblemSchema) });
export type ImportResult = z.infer<typeof importAnswer>;

export const okAnswer = z.object({}).loose();

/** `schema` with every object in it, however deep, taking fields it does not know: for a shared schema whose objects are strict. */
function lenient<T extends z.ZodType>(schema: T): z.ZodType<z.output<T>> {
  const loosen = (s: z.core.$ZodType): z.core.$ZodType => {
    if (s instanceof z.ZodObject) return z.object(Object.fromEntries(Object.entries(s.shape).map(([k, v]) => [k, loosen(v)])));
    if (s instanceof z.ZodArray) return z.array(loosen(s.element));
    if (s instanceof z.ZodNullable) return z.nullable(loosen(s.unwrap()));
    return s;
  };
  return loosen(schema) as z.ZodType<z.output<T>>;
}

export const dashboardAnswer = lenient(dashboardSchema);

/** The records behind a figure (the analysis' drill-down): the notes for team leads only. */
export const analyticsRecordsAnswer = lenient(drillAnswerSchema);
export type AnalyticsRecord = DrillRecord;

/** A report case (성희롱·위협) and the recordings of a record or a range, as leads and auditors see them. */
export const casesAnswer = z.object({ cases: z.array(lenient(protectionCaseSchema)) });
export type PortalCase = z.infer<typeof casesAnswer>['cases'][number];
export const recordingsAnswer = z.object({ recordings: z.array(lenient(recordingSummarySchema)) });
export type PortalRecording = z.infer<typeof recordingsAnswer>['recordings'][number];
export const closedCaseAnswer = z.object({ case: lenient(protectionCaseSchema) });

/** One line of the recording access log (server/store/recordings.ts): every play, download and listing, and every refusal. */
export const accessLogAnswer = z.object({
  access: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actor: z.string(),
      role: z.enum(ROLES),
      recordingId: z.string().nullable(),
      recordId: z.string().nullable(),
      purpose: z.enum(['play', 'download', 'list']),
      reason: z.string(),
      allowed: z.boolean(),
    }),
  ),
});
export type RecordingAccessLine = z.infer<typeof accessLogAnswer>['access'][number];

/** The desk accounts (a lead's /api/agents): the names behind a case's agent id. */
export const agentsAnswer = z.object({ users: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string() })) });
