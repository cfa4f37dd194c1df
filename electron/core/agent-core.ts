import { randomUUID } from 'node:crypto';
import type { SipAccount } from '../../shared/auth';
import { DEFAULT_SETTINGS, type CitySettings } from '../../shared/settings';
import type { AccessEvent, AccessPurpose } from '../../shared/access-log';
import type { CallbackOutcomeEvent } from '../../shared/callback';
import type { AgentHandlers, CallerHistory, CoreEvent, SyncReport } from '../../shared/contract';
import type { MonitorAuditEvent } from '../../shared/monitoring';
import { FLAG_LIMITS, GAP_LIMITS, type FlagInput, type SearchMiss } from '../../shared/knowledge';
import { maskPersonalData } from '../../shared/masking';
import { clip, plainLines } from '../../shared/plain-text';
import { sendableText } from '../../shared/sms/sms-bytes';
import { replyRefusal, type TextReplyLine } from '../../shared/text-inquiry';
import { RpcError } from '../../shared/rpc';
import type { PhoneContext } from '../../shared/phone';
import { getMeta, openCacheDb, setMeta, type CacheDb, type CacheKey } from './cache/cache-db';
import { createHistoryReader } from './cache/caller-history';
import { createEntryReader } from './cache/entries';
import { createDeskLease } from './desk/desk-lease';
import { createDraftStore } from './desk/drafts';
import { createMyFlags } from './knowledge/my-flags';
import { createOutbox } from './outbox/outbox';
import { createPresenceReporter } from './presence/presence-reporter';
import { createReportOutbox } from './outbox/report-outbox';
import { createRecordingOutbox } from './outbox/recording-outbox';
import { checkGrant } from './monitoring/grant-check';
import { createDailySummary } from './screen-pop/daily-summary';
import { createScreenPop } from './screen-pop/screen-pop';
import { createUsageOutbox } from './outbox/usage-outbox';
import { createSearchCorpus } from './search/search-corpus';
import { createSearchIndex } from './search/search-index';
import { createCallerRefresh } from './sync/caller-refresh';
import { createCityApi, type CityApiOptions } from './sync/city-api';
import { createSyncEngine, type Logger, type Timers } from './sync/sync-engine';
import { withPendingReplies } from './texts/pending-replies';
import type { BackoffPolicy } from './sync/backoff';

export interface AgentCoreOptions {
  cacheFile: string;
  /** The cache file's encryption key; without one the file is in clear (tests, tools). */
  cacheKey?: CacheKey | null;
  server: CityApiOptions;
  phone: PhoneContext;
  logger: Logger;
  clock?: () => Date;
  random?: () => number;
  timers?: Timers;
  syncIntervalMs?: number;
  backoff?: BackoffPolicy;
  /**
   * Where the phone's account (its SIP secret) is kept: the desk session's vault, never the cache
   * file. Default: memory only.
   */
  sip?: { get(): SipAccount | null; set(sip: SipAccount): void };
}

export interface AgentCore {
  handlers: AgentHandlers;
  db: CacheDb;
  /** Every event the core emits; returns the unsubscribe function. */
  subscribe(listener: (event: CoreEvent) => void): () => void;
  /** Syncs now, then on the interval, retrying with backoff. */
  start(): void;
  syncNow(): Promise<SyncReport>;
  close(): Promise<void>;
}

/**
 * The agent core: the desk's local cache, its sync with the city and its record outbox,
 * offered as the contract's handlers and events. Plain Node: no Electron, no DOM.
 */
export function createAgentCore(o: AgentCoreOptions): AgentCore {
  const clock = o.clock ?? (() => new Date());
  const db: CacheDb = openCacheDb(o.cacheFile, o.cacheKey ?? null);
  // Older desks kept the phone's account, secret and all, in the cache file: no longer.
  db.pragma('secure_delete = FAST'); // zeroes a deleted row's bytes in its page, at no extra I/O
  db.prepare("DELETE FROM meta WHERE key = 'sipAccount'").run();
  let memorySip: SipAccount | null = null;
  const sipStore = o.sip ?? { get: () => memorySip, set: (s: SipAccount) => void (memorySip = s) };
  const api = createCityApi(o.server);
  const outbox = createOutbox(db, { phone: o.phone, clock, agentId: () => getMeta(db, 'agentId') ?? o.server.credentials.username });
  const entries = createEntryReader(db);
  const search = createSearchIndex(db, clock);
  const corpus = createSearchCorpus(db);
  const usage = createUsageOutbox(db);
  const history = createHistoryReader(db, o.phone, clock);
  const screenPop = createScreenPop(db, o.phone, clock, search);
  const summary = createDailySummary(db);
  const callers = createCallerRefresh(db, api);
  const drafts = createDraftStore(db, { phone: o.phone, clock });
  const desk = createDeskLease({ now: () => clock().getTime() });
  const timers: Timers = o.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const presence = createPresenceReporter({ send: (p) => api.putPresence(p), timers, logger: o.logger });
  const monitorAudit = createReportOutbox<MonitorAuditEvent>(db, { table: 'monitor_audit_outbox', what: 'monitoring audit', upload: (events) => api.uploadMonitorAudit(events), clock, newId: randomUUID, timers, logger: o.logger });
  // Every read of a caller's history on this desk goes on the city's access log (who, whose, when, why).
  const accessLog = createReportOutbox<AccessEvent>(db, { table: 'access_outbox', what: 'access log', upload: (events) => api.uploadAccessLog(events), clock, newId: randomUUID, timers, logger: o.logger });
  // What the agent said of a callback attempt is kept here until the city has it: one click, even offline.
  const callbackOutcomes = createReportOutbox<CallbackOutcomeEvent>(db, { table: 'callback_outcome_outbox', what: 'callback outcomes', upload: (events) => api.uploadCallbackOutcomes(events), clock, newId: randomUUID, timers, logger: o.logger });
  // Likewise a reply to a citizen's text: sent once the agent presses send, whatever the network does.
  const replies = createReportOutbox<TextReplyLine>(db, { table: 'text_reply_outbox', what: 'text replies', upload: (events) => api.uploadTextReplies(events), clock, newId: randomUUID, timers, logger: o.logger });
  // A flag the agent raises on an entry goes to its department the same way, and so does a search
  // that found nothing (the manual's gaps).
  const flags = createReportOutbox<FlagInput>(db, {
    table: 'manual_flag_outbox',
    what: 'manual flags',
    upload: (lines) => api.uploadFlags(lines),
    delivered: (lines) => myFlags.delivered(lines),
    batch: FLAG_LIMITS.perBatch,
    clock,
    newId: randomUUID,
    timers,
    logger: o.logger,
  });
  const misses = createReportOutbox<SearchMiss>(db, {
    table: 'search_miss_outbox',
    what: 'search misses',
    // The city refuses none of a valid batch: it stores each id once.
    upload: async (lines) => (await api.uploadSearchMisses(lines), { refused: [] }),
    batch: GAP_LIMITS.perBatch,
    clock,
    newId: randomUUID,
    timers,
    logger: o.logger,
  });
  // Calls the gateway does not record are recorded by the desk and uploaded from here.
  const recordings = createRecordingOutbox(db, { upload: (meta, audio) => api.uploadRecording(meta, audio), clock, timers, logger: o.logger });
  const readOf = <R extends { caller: CallerHistory['caller'] }>(purpose: AccessPurpose, result: R): R => {
    if (result.caller.kind === 'e164') accessLog.record({ subject: result.caller.e164, purpose });
    return result;
  };
  const agentName = o.server.credentials.username;
  const engine = createSyncEngine({
    db,
    api,
    outbox,
    usage,
    search,
    clock,
    random: o.random ?? Math.random,
    timers,
    logger: o.logger,
    ...(o.syncIntervalMs ? { intervalMs: o.syncIntervalMs } : {}),
    ...(o.backoff ? { backoff: o.backoff } : {}),
  });
  const readSettings = (): CitySettings => {
    const stored = Object.fromEntries(
      (db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]).map((r) => [r.key, JSON.parse(r.value) as unknown]),
    );
    return { ...DEFAULT_SETTINGS, ...stored } as CitySettings;
  };
  const listeners = new Set<(event: CoreEvent) => void>();
  const emit = (event: CoreEvent) => listeners.forEach((l) => l(event));
  const myFlags = createMyFlags(db, {
    fetch: () => api.myFlags(),
    pending: () => flags.lines(),
    titleOf: (id) => entries.get(id)?.title ?? null,
    clock,
    logger: o.logger,
    changed: (data) => emit({ name: 'myFlags', data }),
  });
  desk.onChange((pageId) => emit({ name: 'deskHolder', data: { pageId } }));
  engine.on('status', (data) => {
    // Remember who this desk signs in as, so records saved offline carry the agent's id, and the
    // phone's account, so the phone registers even while the city server is down.
    const user = api.user();
    if (user && getMeta(db, 'agentId') !== user.id) setMeta(db, 'agentId', user.id);
    const me = user && JSON.stringify({ username: user.username, displayName: user.displayName, role: user.role });
    if (me && getMeta(db, 'whoAmI') !== me) setMeta(db, 'whoAmI', me);
    const monitoringKey = api.monitoringKey();
    if (monitoringKey && getMeta(db, 'monitoringKey') !== monitoringKey) setMeta(db, 'monitoringKey', monitoringKey);
    const sip = api.sipAccount();
    if (sip && JSON.stringify(sipStore.get()) !== JSON.stringify(sip)) {
      sipStore.set(sip);
      emit({ name: 'phoneAccount', data: sip });
    }
    emit({ name: 'syncStatus', data });
  });
  engine.on('outbox', (data) => emit({ name: 'outbox', data }));
  // Retention on the desk too: history older than the city keeps is deleted (the city sends
  // tombstones as it purges; this catches what a desk missed): when the setting changes, and
  // otherwise once an hour at most.
  const purgeHistory = db.prepare('DELETE FROM history WHERE started_at < ? AND pending = 0');
  let purged = { at: 0, days: -1 };
  // The city changed a desk setting (wrap-up time, reasons, DTMF method): the page applies it at once.
  engine.on('synced', (r) => {
    const now = clock().getTime();
    const days = readSettings().retentionDays;
    if (days !== purged.days || now - purged.at >= 3_600_000) {
      purged = { at: now, days };
      purgeHistory.run(new Date(now - days * 86_400_000).toISOString());
      const gone = recordings.purge(readSettings().protection.recordingRetentionDays);
      if (gone > 0) o.logger.warn(`retention: deleted ${gone} call recording(s) this desk could not deliver within the city's recording retention`);
    }
    void recordings.flush();
    if (r.upserts.setting + r.deletes.setting + (r.reset ? 1 : 0) > 0) emit({ name: 'settings', data: readSettings() });
    const changed = (k: keyof SyncReport['upserts']) => r.upserts[k] + r.deletes[k] > 0;
    if (r.reset || changed('entry')) emit({ name: 'searchCorpus', data: { text: true } });
    else if (changed('synonym') || changed('usage')) emit({ name: 'searchCorpus', data: { text: false } });
    // What the departments made of the agent's flags: asked with each sync, never more often.
    void myFlags.refresh();
  });

  const handlers: AgentHandlers = {
    search: ({ query, limit, category }) => ({ hits: search.search(query, limit, category) }),
    searchCorpus: ({ after }) => corpus.page(after),
    searchPriors: () => corpus.priors(),
    getEntry: ({ id }) => entries.get(id),
    flagEntry: (input) => {
      // The note reaches a department: personal data a caller gave stays on the desk.
      const line = flags.record({ ...input, note: clip(maskPersonalData(input.note, o.phone).text, FLAG_LIMITS.note).trim() });
      myFlags.raised();
      return { id: line.id, pending: flags.pending() };
    },
    myFlags: () => myFlags.list(),
    seenFlagNotices: ({ ids }) => ({ seen: myFlags.seen(ids) }),
    reportSearchMiss: ({ query, category }) => {
      // A search for someone's number is no gap in the manual, and the number stays on the desk.
      const m = maskPersonalData(query, o.phone);
      if (m.masked.length > 0 || m.phones > 0) return { reported: false };
      misses.record({ query, category });
      return { reported: true };
    },
    markUsed: ({ id }) => {
      if (!entries.get(id)) return { counted: false };
      usage.used(id);
      return { counted: true };
    },
    callerHistory: ({ number, limit }) => readOf('caller-history', history.lookup(number, limit)),
    screenPop: ({ number, ivr, text, limit }) => readOf('screen-pop', screenPop.pop({ number, ivr, text, limit })),
    dailySummary: ({ day }) => summary.dailySummary({ day }),
    refreshCaller: async ({ number }) => ({ added: await callers.refresh(number) }),
    saveRecording: ({ meta, audioBase64 }) => recordings.save(meta, Buffer.from(audioBase64, 'base64')),
    saveRecord: (draft) => {
      const { saved, callerE164 } = outbox.save(draft);
      if (draft.report) recordings.hold(draft.id);
      // Filed (now or before): nothing is left to finish.
      drafts.drop(draft.id);
      if (saved) {
        emit({ name: 'recordSaved', data: { id: draft.id, callerE164 } });
        emit({ name: 'outbox', data: outbox.status() });
        engine.requestSync();
      }
      return { id: draft.id, duplicate: !saved };
    },
    directory: () => ({ departments: entries.departments() }),
    syncStatus: () => engine.status(),
    syncNow: () => engine.syncNow(),
    outboxStatus: () => outbox.status(),
    settings: () => readSettings(),
    phoneAccount: () => sipStore.get(),
    keepDraft: (draft) => {
      drafts.keep(draft);
      return { kept: true };
    },
    drafts: () => ({ drafts: drafts.list() }),
    dropDraft: ({ id }) => ({ dropped: drafts.drop(id) }),
    claimDesk: ({ pageId }) => desk.claim(pageId),
    renewDesk: ({ pageId, busy }) => ({ held: desk.renew(pageId, busy) }),
    releaseDesk: ({ pageId }) => ({ released: desk.release(pageId) }),
    setPresence: async ({ pageId, ...p }) => {
      // A second window of the same agent must not speak for the agent over the desk's own.
      if (!desk.holds(pageId)) throw new RpcError('forbidden', 'another window holds this desk');
      return { reported: await presence.report(p) };
    },
    whoAmI: () => {
      const me = getMeta(db, 'whoAmI');
      return me ? (JSON.parse(me) as { username: string; displayName: string; role: 'agent' | 'lead' | 'phone' }) : null;
    },
    teamBoard: () => api.board(),
    queueStatus: () => api.queue(),
    myCallbacks: async () => {
      const { callbacks } = await api.myCallbacks();
      // An attempt whose outcome is on its way is settled, as far as the agent is concerned.
      const said = new Set(callbackOutcomes.lines().map((l) => l.attemptId));
      return { callbacks: callbacks.filter((c) => !(c.openAttempt && said.has(c.openAttempt.id))) };
    },
    acceptCallback: ({ id }) => api.acceptCallback(id),
    declineCallback: ({ id }) => api.declineCallback(id),
    callbackConnected: ({ id, attemptId }) => api.callbackConnected(id, attemptId),
    callbackOutcome: ({ id, attemptId, outcome }) => {
      callbackOutcomes.record({ callbackId: id, attemptId, outcome });
      return { pending: callbackOutcomes.pending() };
    },
    askCallback: (request) => api.askCallback(request),
    cancelCallback: ({ id }) => api.cancelCallback(id),
    callbackQueue: ({ state }) => api.callbackQueue(state),
    assignCallback: ({ id, agent }) => api.assignCallback(id, agent),
    reservationSlots: () => api.reservationSlots(),
    bookReservation: (request) => api.bookReservation(request),
    cancelReservation: ({ id }) => api.cancelReservation(id),
    reservationsOn: ({ day }) => api.reservationsOn(day),
    textThreads: () => api.textThreads(),
    textThread: async ({ id }) => {
      const { thread } = await api.textThread(id);
      return { thread: withPendingReplies(thread, replies.lines(), { agent: agentName, phone: o.phone }) };
    },
    takeThread: ({ id }) => api.threadAction(id, 'take'),
    declineThread: ({ id }) => api.threadAction(id, 'decline'),
    sendReply: ({ threadId, text }) => {
      const refusal = replyRefusal(text);
      if (refusal) throw new RpcError('invalid-params', refusal);
      const line = replies.record({ threadId, text: sendableText(plainLines(text)) });
      return { id: line.id, pending: replies.pending() };
    },
    textMedia: ({ id }) => api.textMedia(id),
    assignThread: ({ id, agent }) => api.assignThread(id, agent),
    closeThread: ({ id }) => api.threadAction(id, 'close'),
    requestMonitorGrant: (request) => api.requestMonitorGrant(request),
    admitMonitoring: ({ token, mode }) => {
      const verdict = checkGrant(db, token, { publicKey: getMeta(db, 'monitoringKey'), agent: agentName, mode, now: clock() });
      if (!verdict.ok) {
        o.logger.warn(`monitoring call refused: ${verdict.reason}: ${verdict.message}`);
        monitorAudit.record({ event: 'call-refused', lead: null, agent: agentName, mode, nonce: null, reason: `${verdict.reason}: ${verdict.message}` });
        return { admitted: false, reason: verdict.reason, message: verdict.message };
      }
      const g = verdict.grant;
      monitorAudit.record({ event: 'session-start', lead: g.lead, agent: agentName, mode, nonce: g.nonce, reason: null });
      return { admitted: true, lead: g.lead, modes: g.modes, nonce: g.nonce, expiresAt: g.expiresAt };
    },
    reportMonitoring: (e) => {
      // A desk reporting on another agent's call is the team lead's: it is the lead.
      const aboutOther = !!e.agent && e.agent !== agentName;
      monitorAudit.record({ ...e, agent: e.agent ?? agentName, lead: e.lead ?? (aboutOther ? agentName : null) });
      return { recorded: true };
    },
  };

  return {
    handlers,
    db,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      // The typo vocabulary is built once per process; do it before the agent's first keystroke.
      setImmediate(() => search.warm());
      engine.start();
      void monitorAudit.flush();
      void accessLog.flush();
      void callbackOutcomes.flush();
      void replies.flush();
      void flags.flush();
      void misses.flush();
      void recordings.flush();
    },
    syncNow: () => engine.syncNow(),
    async close(): Promise<void> {
      presence.close();
      monitorAudit.close();
      accessLog.close();
      callbackOutcomes.close();
      replies.close();
      flags.close();
      misses.close();
      recordings.close();
      myFlags.close();
      await engine.stop();
      db.close();
    },
  };
}
