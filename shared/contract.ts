import { z } from 'zod';
import { sipAccountSchema } from './auth';
import { departmentSchema } from './directory';
import { draftSchema, MAX_DRAFTS } from './draft';
import { queueSchema, teamBoardSchema, whoAmISchema } from './board';
import { agentCallbackRequestSchema, CALLBACK_OUTCOMES, callbackSchema } from './callback';
import { bookingRequestSchema, dayReservationSchema, openSlotSchema, reservationSchema } from './reservation';
import { MEDIA_TYPES, textThreadSchema } from './text-inquiry';
import { IVR_CHOICE } from './ivr';
import { GRANT_REFUSALS, grantRequestSchema, grantResponseSchema, MONITOR_MODES, monitorAuditEventSchema } from './monitoring';
import { ENTRY_KINDS, manualEntrySchema } from './manual';
import { FLAG_STATES, flagInputSchema, flagSchema, searchMissSchema } from './knowledge';
import { presenceSchema } from './presence';
import { deskHistoryItemSchema, OUTCOMES, recordDraftSchema } from './record';
import { callerProtectionSchema, deskRecordingMetaSchema, MAX_DESK_RECORDING_BYTES } from './recording';
import { SETTINGS } from './settings';
import { synonymSchema } from './sync';
import { LOCK_REASONS, sessionStateSchema, signInParamsSchema, signInResultSchema } from './session';

/** What the desk knows about its link to the city server, for the status bar. */
export const syncStatusSchema = z.strictObject({
  state: z.enum(['online', 'syncing', 'offline']),
  /** When the server was first found unreachable in the current outage. */
  offlineSince: z.iso.datetime().nullable(),
  lastSyncedAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  /** When the next attempt is due, while retrying with backoff. */
  nextAttemptAt: z.iso.datetime().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

const count = z.number().int().nonnegative();
const changeCounts = z.strictObject({ entry: count, department: count, history: count, synonym: count, usage: count, setting: count });

export const syncReportSchema = z.strictObject({
  pages: z.number().int().nonnegative(),
  upserts: changeCounts,
  deletes: changeCounts,
  reset: z.boolean(),
  cursor: z.string().nullable(),
  uploaded: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
});
export type SyncReport = z.infer<typeof syncReportSchema>;

export const outboxStatusSchema = z.strictObject({
  pending: z.number().int().nonnegative(),
  rejected: z.array(z.strictObject({ recordId: z.string(), reason: z.string(), at: z.iso.datetime() })),
});
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;

/** [start, end) character offsets of matched text, for highlighting without markup. */
const spans = z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])).max(200);

export const searchHitSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(ENTRY_KINDS),
  title: z.string(),
  category: z.string(),
  snippet: z.string(),
  highlights: spans,
  titleHighlights: spans,
  score: z.number(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const callerHistorySchema = z.strictObject({
  caller: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('e164'), e164: z.string(), national: z.string() }),
    z.strictObject({ kind: z.literal('short'), code: z.string() }),
    z.strictObject({ kind: z.literal('withheld') }),
    z.strictObject({ kind: z.literal('invalid'), raw: z.string() }),
  ]),
  items: z.array(deskHistoryItemSchema.extend({ pending: z.boolean() })),
  callsLast30Days: z.number().int().nonnegative(),
});
export type CallerHistory = z.infer<typeof callerHistorySchema>;

/** Why the screen-pop suggests an entry; 'popular' fills the list when too little about the call or caller points anywhere. */
export const SUGGESTION_REASONS = ['ivr', 'text', 'history', 'resolved', 'popular'] as const;
export type SuggestionReason = (typeof SUGGESTION_REASONS)[number];
export const MAX_SUGGESTIONS = 5;

export const suggestionSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(ENTRY_KINDS),
  title: z.string(),
  category: z.string(),
  reasons: z.array(z.enum(SUGGESTION_REASONS)).min(1),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

/** What the agent sees while a call rings: the caller's history plus what is likely to help. */
export const screenPopSchema = callerHistorySchema.extend({
  /** The caller's callbacks not followed by an answered record of the same category. */
  openCallbacks: callerHistorySchema.shape.items,
  flags: z.strictObject({
    /** ≥ 2 calls in the last 7 days or ≥ 3 in the last 30. */
    repeat: z.boolean(),
    /** An open callback, or the caller's last record was a complaint or a callback. */
    unresolved: z.boolean(),
  }),
  /** Calls of this caller ended under the abusive-caller protocol, over ABUSE_LOOKBACK_DAYS (any desk's). */
  protection: callerProtectionSchema,
  suggestions: z.array(suggestionSchema).max(MAX_SUGGESTIONS),
});
export type ScreenPop = z.infer<typeof screenPopSchema>;

/** This desk's agent's day (Asia/Seoul) from the local cache. */
export const dailySummarySchema = z.strictObject({
  day: z.iso.date(),
  /** Null before the desk has ever signed in: it does not know whose records are its own. */
  agentId: z.string().nullable(),
  handled: count,
  /** Mean of ended − started, in seconds; null when no call was handled. */
  averageHandlingSeconds: z.number().nonnegative().nullable(),
  /** The day's ten commonest categories, commonest first. */
  byCategory: z.array(z.strictObject({ category: z.string(), count })).max(10),
  byOutcome: z.record(z.enum(OUTCOMES), count),
});
export type DailySummary = z.infer<typeof dailySummarySchema>;

/**
 * The manual as the page's in-memory search index needs it: entries in the core's index order,
 * a page at a time (a message stays under MAX_MESSAGE_BYTES), then synonyms and use counts.
 */
export const searchCorpusSchema = z.strictObject({
  entries: z.array(manualEntrySchema.omit({ department: true }).extend({ rowid: z.number().int().positive() })),
  /** Where the next page starts (`after`), or null after the last. */
  next: z.number().int().positive().nullable(),
});
export type SearchCorpus = z.infer<typeof searchCorpusSchema>;
export const searchPriorsSchema = z.strictObject({
  synonyms: z.array(synonymSchema),
  usage: z.array(z.tuple([manualEntrySchema.shape.id, count])),
});
export type SearchPriors = z.infer<typeof searchPriorsSchema>;

/** A flag's state on the agent's desk: the city's, or 'pending' while it is still on this desk. */
export const MY_FLAG_STATES = ['pending', ...FLAG_STATES] as const;
export type MyFlagState = (typeof MY_FLAG_STATES)[number];

/** One of the agent's flags on a manual entry, as their desk shows it. */
export const myFlagSchema = flagSchema.pick({ id: true, entryId: true, entryTitle: true, entryVersion: true, kind: true, note: true, at: true, reply: true, fixedVersion: true }).extend({
  state: z.enum(MY_FLAG_STATES),
  /** Closed, and its notice not yet seen by the agent: told once. */
  notice: z.boolean(),
});
export type MyFlag = z.infer<typeof myFlagSchema>;
export const myFlagsSchema = z.strictObject({
  flags: z.array(myFlagSchema),
  /** When the city last told this desk the agent's flags; null: not yet. */
  checkedAt: z.iso.datetime().nullable(),
});
export type MyFlags = z.infer<typeof myFlagsSchema>;

const noParams = z.strictObject({});
/** A callback, reservation, text thread or picture named by its id. */
const byId = z.strictObject({ id: z.string().max(64) });
const oneCallback = z.strictObject({ callback: callbackSchema });
const oneThread = z.strictObject({ thread: textThreadSchema });

/** Which page (tab, window) of the desk is asking: each page makes up its own at load. */
export const pageIdSchema = z.uuid();

/**
 * The agent core's API: the one contract between the renderer and the core, the same over
 * every transport (WebSocket for the browser host, IPC for the Electron shell).
 */
export const coreContract = {
  methods: {
    /** The desk's session (signed out, signed in, locked): what the page shows first. */
    session: { params: noParams, result: sessionStateSchema },
    /** Signs the agent in with the city server, or offline from this desk's cached session. */
    signIn: { params: signInParamsSchema, result: signInResultSchema },
    /** Ends the session; records not yet uploaded stay in this agent's cache for their next sign-in. */
    signOut: { params: noParams, result: z.strictObject({ signedOut: z.boolean() }) },
    lock: { params: z.strictObject({ reason: z.enum(LOCK_REASONS) }), result: sessionStateSchema },
    /** The same agent's password unlocks (checked on this desk: it works offline too). */
    unlock: { params: z.strictObject({ password: z.string().min(1).max(256) }), result: z.strictObject({ ok: z.boolean() }) },
    search: {
      params: z.strictObject({
        query: z.string().max(200),
        limit: z.number().int().min(1).max(50).default(10),
        category: z.string().max(100).optional(),
      }),
      result: z.strictObject({ hits: z.array(searchHitSchema) }),
    },
    /** The manual for the page's own search index, a page at a time from `after` (0: the start). */
    searchCorpus: { params: z.strictObject({ after: z.number().int().nonnegative() }), result: searchCorpusSchema },
    /** The synonyms and use counts the page's search index ranks with. */
    searchPriors: { params: noParams, result: searchPriorsSchema },
    getEntry: { params: z.strictObject({ id: z.string().min(1).max(64) }), result: manualEntrySchema.nullable() },
    /**
     * Flags an entry (wrong, outdated, incomplete, a duplicate) with an optional note: kept on the
     * desk and delivered to the entry's department by its outbox, even offline.
     */
    flagEntry: { params: flagInputSchema.omit({ id: true, at: true }), result: z.strictObject({ id: z.uuid(), pending: count }) },
    /** The agent's flags: the city's as last checked (with each sync), and those still on this desk. */
    myFlags: { params: noParams, result: myFlagsSchema },
    /** The agent has seen these closed flags' notices: they are not told again. */
    seenFlagNotices: { params: z.strictObject({ ids: z.array(z.string().max(64)).min(1).max(100) }), result: z.strictObject({ seen: count }) },
    /** A search that ended without an entry opened: the city gathers them into the manual's gaps. */
    reportSearchMiss: { params: searchMissSchema.pick({ query: true, category: true }), result: z.strictObject({ reported: z.boolean() }) },
    /** The agent opened or used an entry for a caller: counts toward its search ranking city-wide. */
    markUsed: { params: z.strictObject({ id: z.string().min(1).max(64) }), result: z.strictObject({ counted: z.boolean() }) },
    callerHistory: {
      params: z.strictObject({ number: z.string().max(100), limit: z.number().int().min(1).max(200).default(20) }),
      result: callerHistorySchema,
    },
    /**
     * The ringing call's screen-pop; `ivr` is the caller's IVR menu choice (see shared/ivr.ts),
     * `text` a text inquiry's own words (the entries they find are suggested first).
     */
    screenPop: {
      params: z.strictObject({
        number: z.string().max(100),
        ivr: z.string().regex(IVR_CHOICE).optional(),
        text: z.string().max(2000).optional(),
        limit: z.number().int().min(1).max(200).default(10),
      }),
      result: screenPopSchema,
    },
    /** The agent's own day, `day` as YYYY-MM-DD in Asia/Seoul. */
    dailySummary: { params: z.strictObject({ day: z.iso.date() }), result: dailySummarySchema },
    /** Asks the city server for the caller's consultations this desk lacks (while the call rings); fails when it cannot be reached. */
    refreshCaller: { params: z.strictObject({ number: z.string().max(100) }), result: z.strictObject({ added: count }) },
    /** Files the record (and drops the consultation's draft). */
    saveRecord: {
      params: recordDraftSchema,
      result: z.strictObject({ id: z.string(), duplicate: z.boolean() }),
    },
    /** Keeps the desk's recording of a call (one the gateway does not record) and uploads it: audio as base64. */
    saveRecording: {
      params: z.strictObject({ meta: deskRecordingMetaSchema, audioBase64: z.base64().max(Math.ceil(MAX_DESK_RECORDING_BYTES / 3) * 4) }),
      result: z.strictObject({ queued: z.boolean() }),
    },
    /** Keeps a consultation not yet filed (the one on screen as the agent works, or one set aside); notes are stored masked. */
    keepDraft: { params: draftSchema, result: z.strictObject({ kept: z.literal(true) }) },
    /** The consultations not yet filed, newest first. */
    drafts: { params: noParams, result: z.strictObject({ drafts: z.array(draftSchema).max(MAX_DRAFTS) }) },
    /** Forgets a draft (a call that rang and was never answered leaves nothing to file). */
    dropDraft: { params: z.strictObject({ id: z.uuid() }), result: z.strictObject({ dropped: z.boolean() }) },
    /**
     * One agent, one desk: a page asks to be the desk (run the phone, report the agent's state).
     * Granted at once, taking over from an idle page; refused while another page has a call or an
     * unfiled consultation (unless it stopped renewing: it is gone).
     */
    claimDesk: {
      params: z.strictObject({ pageId: pageIdSchema }),
      result: z.discriminatedUnion('granted', [z.strictObject({ granted: z.literal(true) }), z.strictObject({ granted: z.literal(false), reason: z.literal('busy') })]),
    },
    /** The desk's page is alive (every few seconds), and whether it is busy; `held: false`: another page has the desk now. */
    renewDesk: { params: z.strictObject({ pageId: pageIdSchema, busy: z.boolean() }), result: z.strictObject({ held: z.boolean() }) },
    /** The page is going away (reload, close). */
    releaseDesk: { params: z.strictObject({ pageId: pageIdSchema }), result: z.strictObject({ released: z.boolean() }) },
    directory: { params: noParams, result: z.strictObject({ departments: z.array(departmentSchema) }) },
    syncStatus: { params: noParams, result: syncStatusSchema },
    syncNow: { params: noParams, result: syncReportSchema },
    outboxStatus: { params: noParams, result: outboxStatusSchema },
    /** The city's desk settings (not-ready reasons, wrap-up time), defaults until first synced. */
    settings: { params: noParams, result: z.strictObject(SETTINGS) },
    /** Where and as whom the phone registers: issued by the city server at login, kept by the desk. */
    phoneAccount: { params: noParams, result: sipAccountSchema.nullable() },
    /** The agent's state, for call distribution; sent to the city at once or retried until it gets there. Only the desk's page may. */
    setPresence: { params: presenceSchema.extend({ pageId: pageIdSchema }), result: z.strictObject({ reported: z.boolean() }) },
    /** Who this desk signs in as; null before its first login. */
    whoAmI: { params: noParams, result: whoAmISchema.nullable() },
    /** The team lead's live board, from the city server (fails offline, and for agents). */
    teamBoard: { params: noParams, result: teamBoardSchema },
    /** Calls waiting for an agent, for the call bar (from the city server; fails while it is out of reach). */
    queueStatus: { params: noParams, result: queueSchema },
    /** The agent's callbacks from the city server: the offer they have, dials not yet settled, those they keep. */
    myCallbacks: { params: noParams, result: z.strictObject({ callbacks: z.array(callbackSchema) }) },
    /** Takes the offered callback: the attempt is on record before the desk dials `callback.number`. */
    acceptCallback: { params: byId, result: z.strictObject({ callback: callbackSchema, attemptId: z.string() }) },
    /** Passes the offer on to the next agent. */
    declineCallback: { params: byId, result: oneCallback },
    /** The citizen answered the callback's dial. */
    callbackConnected: { params: z.strictObject({ id: z.string().max(64), attemptId: z.string().max(64) }), result: z.strictObject({ ok: z.boolean() }) },
    /** How the attempt went, in one click; a team lead's desk may settle anyone's. */
    callbackOutcome: {
      params: z.strictObject({ id: z.string().max(64), attemptId: z.string().max(64), outcome: z.enum(CALLBACK_OUTCOMES) }),
      // Kept on the desk and delivered by its outbox: `pending` outcomes are not with the city yet.
      result: z.strictObject({ pending: z.number().int() }),
    },
    /** A callback the citizen asked for during the call ("call me back tomorrow at 3"). */
    askCallback: { params: agentCallbackRequestSchema, result: z.strictObject({ callback: callbackSchema, merged: z.boolean() }) },
    /** Calls off a waiting callback: the agent who keeps it, or a team lead. */
    cancelCallback: { params: byId, result: oneCallback },
    /** The team lead's queue: open (waiting, offered, in flight), failed, or done today and before. */
    callbackQueue: { params: z.strictObject({ state: z.enum(['open', 'failed', 'done']) }), result: z.strictObject({ callbacks: z.array(callbackSchema) }) },
    /** A team lead gives a waiting callback to one agent. */
    assignCallback: { params: byId.extend({ agent: z.string().max(64) }), result: oneCallback },
    /** Reservation slots still to come, with the places left. */
    reservationSlots: { params: noParams, result: z.strictObject({ slots: z.array(openSlotSchema) }) },
    /** Books a place for a caller (the city texts them). */
    bookReservation: { params: bookingRequestSchema, result: z.strictObject({ reservation: reservationSchema }) },
    cancelReservation: { params: byId, result: z.strictObject({ reservation: reservationSchema }) },
    /** One Korean day's bookings: a team lead's all, an agent's own. */
    reservationsOn: { params: z.strictObject({ day: z.iso.date() }), result: z.strictObject({ reservations: z.array(dayReservationSchema) }) },
    /** The agent's text threads: theirs, the one offered to them and everyone's unanswered (a team lead's: every open one). */
    textThreads: { params: noParams, result: z.strictObject({ threads: z.array(textThreadSchema) }) },
    /** One thread with its messages; the agent's replies still on this desk show as `pending`. */
    textThread: { params: byId, result: oneThread },
    /** Takes a thread: the one offered, or one nobody answers yet. */
    takeThread: { params: byId, result: oneThread },
    /** Passes an offered thread on to the next agent. */
    declineThread: { params: byId, result: oneThread },
    /**
     * Sends a reply: refused here when the carriers cannot take it (over 2,000 bytes, characters
     * outside EUC-KR), else kept on the desk and delivered to the city by its outbox, once.
     */
    sendReply: {
      params: z.strictObject({ threadId: z.string().min(1).max(64), text: z.string().min(1).max(4000) }),
      result: z.strictObject({ id: z.uuid(), pending: z.number().int() }),
    },
    /** A picture of a citizen's text. */
    textMedia: { params: byId, result: z.strictObject({ type: z.enum(MEDIA_TYPES), dataBase64: z.string() }) },
    /** A team lead gives an open thread to one agent. */
    assignThread: { params: byId.extend({ agent: z.string().max(64) }), result: oneThread },
    /** A team lead closes a thread that needs no wrap-up (a wrong number, spam). */
    closeThread: { params: byId, result: oneThread },
    /** A team lead asks the city server for a grant to monitor an agent's call (refused, and audited, for anyone else). */
    requestMonitorGrant: { params: grantRequestSchema, result: grantResponseSchema },
    /**
     * A team lead's monitoring call arrived with this grant (or none) asking for `mode`: may the
     * phone answer it? Verified against the city's key, this agent, expiry and single use; the
     * answer is audited either way.
     */
    admitMonitoring: {
      params: z.strictObject({ token: z.string().max(2000).nullable(), mode: z.enum(MONITOR_MODES) }),
      result: z.discriminatedUnion('admitted', [
        z.strictObject({ admitted: z.literal(true), lead: z.string(), modes: z.array(z.enum(MONITOR_MODES)), nonce: z.string(), expiresAt: z.iso.datetime() }),
        z.strictObject({ admitted: z.literal(false), reason: z.enum(GRANT_REFUSALS), message: z.string() }),
      ]),
    },
    /** What happened in an admitted monitoring session (mode changes, its end, a refused escalation), for the audit. */
    reportMonitoring: {
      params: monitorAuditEventSchema.pick({ event: true, lead: true, mode: true, nonce: true, reason: true }).extend({
        /** The monitored agent; null: this desk's own agent. */
        agent: monitorAuditEventSchema.shape.agent.optional(),
      }),
      result: z.strictObject({ recorded: z.boolean() }),
    },
  },
  events: {
    session: sessionStateSchema,
    syncStatus: syncStatusSchema,
    /** A sync changed what search reads: the manual's entries (`text`), or only synonyms and use counts. */
    searchCorpus: z.strictObject({ text: z.boolean() }),
    outbox: outboxStatusSchema,
    recordSaved: z.strictObject({ id: z.string(), callerE164: z.string().nullable() }),
    /** The phone's account changed (first login, or a new secret). */
    phoneAccount: sipAccountSchema,
    /** The city changed desk settings; the whole set as the desk now has it. */
    settings: z.strictObject(SETTINGS),
    /** The agent's flags changed: one raised, delivered, closed by the department, or its notice seen. */
    myFlags: myFlagsSchema,
    /** Which page holds the desk now (null: none); a page that held it and is not named stands down. */
    deskHolder: z.strictObject({ pageId: pageIdSchema.nullable() }),
  },
} as const;

export type CoreContract = typeof coreContract;
export type MethodName = keyof CoreContract['methods'];
export type EventName = keyof CoreContract['events'];
export type MethodParams<M extends MethodName> = z.input<CoreContract['methods'][M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<CoreContract['methods'][M]['result']>;
export type EventData<E extends EventName> = z.infer<CoreContract['events'][E]>;
/** One event from the core, name and data together. */
export type CoreEvent = { [E in EventName]: { name: E; data: EventData<E> } }[EventName];

/** The methods the desk's session answers itself; every other method needs a signed-in agent's core. */
export const SESSION_METHODS = ['session', 'signIn', 'signOut', 'lock', 'unlock'] as const satisfies readonly MethodName[];
export type SessionMethodName = (typeof SESSION_METHODS)[number];

/** What the core implements: each handler gets params already validated and defaulted. */
export type CoreHandlers = {
  [M in MethodName]: (params: z.infer<CoreContract['methods'][M]['params']>) => MethodResult<M> | Promise<MethodResult<M>>;
};

/** What one signed-in agent's core answers: everything but the session's own methods. */
export type AgentHandlers = Omit<CoreHandlers, SessionMethodName>;
