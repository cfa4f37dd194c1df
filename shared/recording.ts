import { z } from 'zod';

/**
 * Call recording and the protection of agents from abusive callers (감정노동자 보호): what the
 * desks, the gateway and the city server agree on.
 */

/**
 * The SIP server marks every call whose media the gateway (rtpengine) records, on the INVITE
 * toward a desk and on the answer to a desk's call: the desk then records nothing itself, so a
 * call is recorded once.
 */
export const RECORDED_HEADER = 'X-Minwon-Recorded';
export const RECORDED_BY_GATEWAY = 'gateway';

/** Who made a recording: the gateway (calls through the PBX) or the desk (every other call with a citizen). */
export const RECORDING_SOURCES = ['gateway', 'desk'] as const;
export type RecordingSource = (typeof RECORDING_SOURCES)[number];

/** What a desk's recorder writes (MediaRecorder's Opus in WebM); the gateway writes WAV. */
export const RECORDING_MEDIA_TYPES = ['audio/webm', 'audio/wav'] as const;
export type RecordingMediaType = (typeof RECORDING_MEDIA_TYPES)[number];

/** The largest recording a desk uploads: an hour of Opus at 64 kbit/s. */
export const MAX_DESK_RECORDING_BYTES = 32 * 1024 * 1024;

/** A SIP Call-ID, as a record names the calls it was (the gateway's recordings are filed by it). */
export const callIdSchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'a SIP Call-ID');

/** The announcements a desk plays into a call, heard by the citizen only. */
export const ANNOUNCEMENTS = ['abuse-warning', 'recording-notice'] as const;
export type Announcement = (typeof ANNOUNCEMENTS)[number];

/** Why a call was ended by the agent under the protocol. */
export const END_REASONS = ['abusive'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** What an agent may report about a call: its recording is then kept until a team lead closes the case. */
export const REPORT_KINDS = ['sexual-harassment', 'threat'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** How far back a caller's protocol ends are counted for the screen-pop. */
export const ABUSE_LOOKBACK_DAYS = 90;

/** Warnings given in a call: played (the recorded warning) and spoken by the agent. */
export const warningsSchema = z.strictObject({
  played: z.number().int().min(0).max(50),
  spoken: z.number().int().min(0).max(50),
});
export type Warnings = z.infer<typeof warningsSchema>;

export const totalWarnings = (w: Warnings | null | undefined): number => (w ? w.played + w.spoken : 0);

/** The city's protocol: how many warnings before the agent may end the call, the protected break, how long recordings are kept. */
export const protectionPolicySchema = z.strictObject({
  warningsBeforeEnd: z.number().int().min(1).max(10),
  /** The not-ready reason (of the city's list) that is the protected break after such a call. */
  protectedBreakReason: z.string().regex(/^[a-z0-9-]{1,32}$/),
  /** Days a recording is kept (Changwon: 60); reported calls are kept until their case is closed. */
  recordingRetentionDays: z.number().int().min(1).max(3650),
});
export type ProtectionPolicy = z.infer<typeof protectionPolicySchema>;

const isoDateTime = z.iso.datetime({ offset: true });

/** A desk's recording of a call, as uploaded (the audio is the request body). */
export const deskRecordingMetaSchema = z
  .strictObject({
    id: z.uuid(),
    /** The consultation record it belongs to (the desk's id, which the record keeps). */
    recordId: z.uuid(),
    callId: callIdSchema,
    startedAt: isoDateTime,
    endedAt: isoDateTime,
    mediaType: z.enum(RECORDING_MEDIA_TYPES),
  })
  .refine((r) => Date.parse(r.endedAt) >= Date.parse(r.startedAt), { message: 'endedAt is before startedAt', path: ['endedAt'] });
export type DeskRecordingMeta = z.infer<typeof deskRecordingMetaSchema>;

/** A recording as team leads and auditors see it listed (never the audio itself). */
export const recordingSummarySchema = z.strictObject({
  id: z.string(),
  recordId: z.string().nullable(),
  callId: z.string(),
  source: z.enum(RECORDING_SOURCES),
  startedAt: isoDateTime,
  endedAt: isoDateTime,
  seconds: z.number().nonnegative(),
  bytes: z.number().int().nonnegative(),
  mediaType: z.enum(RECORDING_MEDIA_TYPES),
  /** Kept beyond retention: the record's report case is open. */
  held: z.boolean(),
  /** When retention deletes it (null while held). */
  deleteAfter: isoDateTime.nullable(),
});
export type RecordingSummary = z.infer<typeof recordingSummarySchema>;

/** Why a team lead or auditor opens a recording: written to the access log with the playback. */
export const recordingAccessSchema = z.strictObject({
  purpose: z.enum(['play', 'download']),
  reason: z.string().trim().min(2).max(200),
});
export type RecordingAccess = z.infer<typeof recordingAccessSchema>;

/** What every desk's screen-pop shows of a caller's protocol ends (over ABUSE_LOOKBACK_DAYS). */
export const callerProtectionSchema = z.strictObject({
  abusiveEnds: z.number().int().nonnegative(),
  lastAbusiveAt: isoDateTime.nullable(),
});
export type CallerProtection = z.infer<typeof callerProtectionSchema>;

/** A report case (성희롱·위협) as team leads follow it. */
export const protectionCaseSchema = z.strictObject({
  recordId: z.string(),
  kind: z.enum(REPORT_KINDS),
  agentId: z.string(),
  /** Who took the call, as the directory of accounts names them (null: the account is gone). */
  agent: z.strictObject({ username: z.string(), displayName: z.string() }).nullable(),
  startedAt: isoDateTime,
  category: z.string(),
  warnings: warningsSchema.nullable(),
  endReason: z.enum(END_REASONS).nullable(),
  recordings: z.number().int().nonnegative(),
  closedAt: isoDateTime.nullable(),
  closedBy: z.string().nullable(),
  closingNote: z.string().nullable(),
});
export type ProtectionCase = z.infer<typeof protectionCaseSchema>;

export const closeCaseSchema = z.strictObject({ note: z.string().trim().min(2).max(500) });
