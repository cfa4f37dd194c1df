import { z } from 'zod';
import { createStore } from 'zustand/vanilla';
import type { ScreenPop } from '../../shared/contract';
import { draftSchema, type Draft } from '../../shared/draft';
import { OUTCOMES, RECORD_LIMITS, type Outcome, type RecordDraft } from '../../shared/record';
import type { CoreClient, Timers } from '../../shared/rpc';
import { clip } from '../../shared/plain-text';
import { totalWarnings, type ReportKind, type Warnings } from '../../shared/recording';

export type Phase = Draft['phase'];

/** One call's consultation, from the ring to the saved record. */
export interface Consultation extends Omit<Draft, 'status'> {
  /** The phone call it belongs to (CallView.id), null for a resumed draft. */
  callId: number | null;
  /** A text inquiry's own words: the screen-pop suggests what they find. */
  question: string | null;
  pop: ScreenPop | null;
  popError: string | null;
}

export interface ConsultationState {
  current: Consultation | null;
  /** Consultations set aside to finish later (the wrap-up time ran out, the next call rang): kept by the core. */
  drafts: Draft[];
  saving: boolean;
  saveError: string | null;
  /**
   * A call rang (or the desk is calling a citizen back, or the agent took a citizen's text
   * thread): the consultation starts and the screen-pop loads.
   */
  ring(call: { callId: number | null; callerNumber: string; callerName: string | null; ivr: string | null; callbackId?: string; threadId?: string; question?: string }): void;
  /** A fresher screen-pop for consultation `id` (after the city server's history was merged in). */
  refreshed(id: string, pop: ScreenPop): void;
  answered(): void;
  /** The call ended: after a conversation the wrap-up begins; an unanswered call leaves nothing. */
  ended(talked: boolean): void;
  linkEntry(id: string): void;
  unlinkEntry(id: string): void;
  togglePin(id: string): void;
  setNotes(notes: string): void;
  setCategory(category: string, subcategory: string): void;
  /** The 구 (empty: none); a neighbourhood chosen before belongs to the 구 it was chosen in, so it goes. */
  setDistrict(name: string): void;
  /** A 동·읍·면 of the chosen 구 (empty: the whole 구); nothing without a 구. */
  setSubdistrict(name: string): void;
  setOutcome(outcome: Outcome): void;
  setDepartment(department: string | null): void;
  /** The call's SIP Call-ID (each leg once): the gateway files its recording under it. */
  noteSipCall(sipCallId: string): void;
  /** Warnings given in the call so far, and whether the agent ended it under the protocol. */
  protocol(p: { warnings: Warnings; ended: boolean }): void;
  /** The agent's report of the call (성희롱·위협), or none. */
  setReport(kind: ReportKind | null): void;
  transferred(target: string, department: string | null): void;
  /** Saves the record; resolves true when the core has it (durable on this desk). */
  save(): Promise<boolean>;
  /** The wrap-up time ran out: keep what was written as a draft and free the agent. */
  keepAsDraft(): void;
  resumeDraft(id: string): void;
  /**
   * The core is reachable (again): write what it has not got yet, and read back the drafts. A
   * consultation the page was working on when it went away (a reload, a crash) comes back on
   * screen, in its wrap-up.
   */
  connected(): Promise<void>;
  /** Writes the consultation on screen to the core now (the page is going away). */
  flush(): void;
  /** Whether a consultation is in progress (not yet filed or set aside). */
  busy(): boolean;
}

export interface ConsultationDeps {
  core: () => CoreClient | null;
  now: () => Date;
  newId: () => string;
  timers: Timers;
  /** Drafts an earlier release kept in the page's storage, moved to the core once. */
  storage: Pick<Storage, 'getItem' | 'removeItem'>;
  /** How long edits gather before they are written to the core. */
  writeDelayMs?: number;
}

const LEGACY_DRAFTS_KEY = 'minwon.consultationDrafts';

/** The record a finished consultation files; the same draft twice is the same record (its id). */
export function recordOf(c: Consultation, endedAt: string): RecordDraft {
  const transfer = c.transferredTo ? `[호전환: ${c.transferredTo}] ` : '';
  return {
    id: c.id,
    callerNumber: c.callerNumber,
    startedAt: c.startedAt,
    endedAt: c.endedAt ?? endedAt,
    category: `${c.category}/${c.subcategory}`,
    outcome: c.outcome,
    manualIds: c.manualIds.slice(0, RECORD_LIMITS.manualIds),
    notes: clip(transfer + c.notes, RECORD_LIMITS.notes),
    department: c.department,
    // Pinned entries go to the caller by SMS once the city has the record.
    smsEntryIds: c.pinned.slice(0, RECORD_LIMITS.smsEntries),
    ...(c.callbackId ? { callbackId: c.callbackId } : {}),
    ...(c.district ? { district: c.district } : {}),
    // A text thread's wrap-up closes the thread on the city server.
    ...(c.threadId ? { channel: 'text' as const, threadId: c.threadId } : {}),
    ...(c.sipCallIds?.length ? { callIds: c.sipCallIds } : {}),
    ...(c.warnings && totalWarnings(c.warnings) > 0 ? { warnings: c.warnings } : {}),
    ...(c.endReason ? { endReason: c.endReason } : {}),
    ...(c.report ? { report: c.report } : {}),
  };
}

// What the core keeps of a consultation: the draft's fields, nothing of the page's (the call, the pop).
const draftFields = z.object(draftSchema.shape);

// Text that came from the phone network or the agent's typing is cut to what a draft holds.
const draftOf = (c: Consultation, status: Draft['status']): Draft =>
  draftFields.parse({
    ...c,
    status,
    callerNumber: c.callerNumber.slice(0, RECORD_LIMITS.callerRaw),
    callerName: c.callerName?.slice(0, 200) ?? null,
    ivr: c.ivr?.slice(0, 32) ?? null,
    transferredTo: c.transferredTo?.slice(0, 100) ?? null,
  });

const consultationOf = (d: Draft): Consultation => ({ ...d, callId: null, question: null, pop: null, popError: null });

/** Drafts an earlier release kept in localStorage (already masked), as drafts of today's shape. */
function legacyDrafts(storage: Pick<Storage, 'getItem'>): Draft[] {
  try {
    const v = JSON.parse(storage.getItem(LEGACY_DRAFTS_KEY) ?? '[]') as unknown;
    if (!Array.isArray(v)) return [];
    return v.flatMap((d: unknown) => {
      const r = draftFields.safeParse(typeof d === 'object' && d !== null ? { ...d, status: 'kept', phase: 'wrap-up' } : null);
      return r.success ? [r.data] : [];
    });
  } catch {
    return [];
  }
}

/**
 * The consultation of the call at hand: its screen-pop, the entries opened, the live notes and
 * the wrap-up, saved as one record through the core's outbox (durable at once, uploaded when the
 * city server can be reached). While it is worked on it is written to the core as a draft, so
 * nothing typed is lost with the page.
 */
export function createConsultationStore(deps: ConsultationDeps) {
  const writeDelayMs = deps.writeDelayMs ?? 300;
  return createStore<ConsultationState>()((set, get) => {
    // The consultation on screen has changes the core has not got yet.
    let dirty = false;
    let writeTimer: unknown = null;
    const writeNow = () => {
      if (writeTimer !== null) deps.timers.clearTimeout(writeTimer);
      writeTimer = null;
      const c = get().current;
      const client = deps.core();
      // A ringing call is nothing to file yet; without the core it waits for connected().
      if (!c || c.phase === 'ringing' || !client || !dirty) return;
      dirty = false;
      void client.call('keepDraft', draftOf(c, 'active')).catch(() => (dirty = true));
    };
    const changed = () => {
      dirty = true;
      writeTimer ??= deps.timers.setTimeout(writeNow, writeDelayMs);
    };
    const patch = (p: Partial<Consultation>) => {
      const c = get().current;
      if (!c) return;
      set({ current: { ...c, ...p } });
      changed();
    };
    const readDrafts = async (client: CoreClient) => {
      const { drafts } = await client.call('drafts', {});
      set({ drafts: drafts.filter((d) => d.id !== get().current?.id && d.status === 'kept') });
      return drafts;
    };
    /** Sets the consultation on screen aside as a draft (kept by the core) and clears the screen. */
    const setAside = (c: Consultation) => {
      set({ current: null, drafts: [draftOf(c, 'kept'), ...get().drafts.filter((d) => d.id !== c.id)] });
      dirty = false;
      const client = deps.core();
      if (client) void client.call('keepDraft', draftOf(c, 'kept')).then(() => readDrafts(client), () => undefined);
    };
    const popFor = (id: string, number: string, ivr: string | null, question: string | null) => {
      const client = deps.core();
      if (!client) return patch({ popError: 'not connected' });
      void client.call('screenPop', { number, ...(ivr ? { ivr } : {}), ...(question ? { text: question } : {}) }).then(
        (pop) => {
          if (get().current?.id !== id) return;
          const first = pop.suggestions[0]?.category.split('/');
          // The likeliest category to start the wrap-up with: the first suggestion's.
          patch({ pop, ...(first?.length === 2 && !get().current?.category ? { category: first[0] as string, subcategory: first[1] as string } : {}) });
        },
        (e: Error) => get().current?.id === id && patch({ popError: e.message }),
      );
    };
    return {
      current: null,
      drafts: [],
      saving: false,
      saveError: null,
      ring(call) {
        const id = deps.newId();
        set({
          saveError: null,
          current: {
            id,
            callId: call.callId,
            question: call.question ?? null,
            callerNumber: call.callerNumber,
            callerName: call.callerName,
            ivr: call.ivr,
            phase: 'ringing',
            startedAt: deps.now().toISOString(),
            endedAt: null,
            pop: null,
            popError: null,
            manualIds: [],
            pinned: [],
            notes: '',
            category: '',
            subcategory: '',
            outcome: 'answered',
            department: null,
            transferredTo: null,
            district: null,
            callbackId: call.callbackId ?? null,
            threadId: call.threadId ?? null,
          },
        });
        popFor(id, call.callerNumber, call.ivr, call.question ?? null);
      },
      refreshed(id, pop) {
        if (get().current?.id === id) patch({ pop });
      },
      answered() {
        if (get().current?.phase !== 'ringing') return;
        patch({ phase: 'talking' });
        // From the first word on, the consultation outlives the page.
        writeNow();
      },
      ended(talked) {
        const c = get().current;
        if (!c || c.phase === 'wrap-up') return;
        if (!talked) {
          set({ current: null });
          dirty = false;
          if (c.phase !== 'ringing') void deps.core()?.call('dropDraft', { id: c.id }).catch(() => undefined);
          return;
        }
        patch({ phase: 'wrap-up', endedAt: deps.now().toISOString() });
        writeNow();
      },
      linkEntry(id) {
        const c = get().current;
        if (c && !c.manualIds.includes(id) && c.manualIds.length < RECORD_LIMITS.manualIds) patch({ manualIds: [...c.manualIds, id] });
      },
      unlinkEntry(id) {
        const c = get().current;
        if (c) patch({ manualIds: c.manualIds.filter((m) => m !== id), pinned: c.pinned.filter((m) => m !== id) });
      },
      togglePin(id) {
        const c = get().current;
        if (!c) return;
        patch({ pinned: c.pinned.includes(id) ? c.pinned.filter((m) => m !== id) : [...c.pinned, id] });
        get().linkEntry(id);
      },
      setNotes: (notes) => patch({ notes: clip(notes, RECORD_LIMITS.notes) }),
      setCategory: (category, subcategory) => patch({ category, subcategory }),
      setDistrict: (name) => patch({ district: name || null }),
      setSubdistrict(name) {
        const district = get().current?.district?.split('/')[0];
        if (district) patch({ district: name ? `${district}/${name}` : district });
      },
      setOutcome: (outcome) => OUTCOMES.includes(outcome) && patch({ outcome }),
      setDepartment: (department) => patch({ department }),
      noteSipCall(sipCallId) {
        const c = get().current;
        const ids = c?.sipCallIds ?? [];
        if (c && !ids.includes(sipCallId) && ids.length < 10) patch({ sipCallIds: [...ids, sipCallId] });
      },
      protocol({ warnings, ended }) {
        const c = get().current;
        if (!c) return;
        const same = c.warnings?.played === warnings.played && c.warnings.spoken === warnings.spoken && !!c.endReason === ended;
        if (!same) patch({ warnings, endReason: ended ? 'abusive' : (c.endReason ?? null) });
      },
      setReport: (kind) => patch({ report: kind }),
      transferred(target, department) {
        patch({ transferredTo: target, outcome: 'transferred', ...(department ? { department } : {}) });
      },
      async save() {
        const c = get().current;
        const client = deps.core();
        if (!c || get().saving) return false;
        if (!c.category || !c.subcategory) {
          set({ saveError: 'category' });
          return false;
        }
        if (!client) {
          set({ saveError: 'not connected' });
          return false;
        }
        set({ saving: true, saveError: null });
        try {
          // The core drops the draft with the record it files.
          await client.call('saveRecord', recordOf(c, deps.now().toISOString()));
          if (get().current?.id === c.id) {
            set({ current: null });
            dirty = false;
          }
          set({ drafts: get().drafts.filter((d) => d.id !== c.id) });
          return true;
        } catch (e) {
          set({ saveError: (e as Error).message });
          return false;
        } finally {
          set({ saving: false });
        }
      },
      keepAsDraft() {
        const c = get().current;
        // A save in flight settles it; a draft of it would come back after the save.
        if (!c || c.phase !== 'wrap-up' || get().saving) return;
        setAside(c);
      },
      resumeDraft(id) {
        const d = get().drafts.find((x) => x.id === id);
        const c = get().current;
        if (!d || (c && c.phase !== 'wrap-up')) return;
        if (c) setAside(c);
        set({ current: consultationOf({ ...d, phase: 'wrap-up' }), drafts: get().drafts.filter((x) => x.id !== id) });
        changed();
        writeNow();
        // Drafts are kept without their screen-pop: fetch it again for the agent.
        popFor(d.id, d.callerNumber, d.ivr, null);
      },
      async connected() {
        const client = deps.core();
        if (!client) return;
        for (const d of legacyDrafts(deps.storage)) await client.call('keepDraft', d);
        deps.storage.removeItem(LEGACY_DRAFTS_KEY);
        writeNow();
        const drafts = await readDrafts(client);
        // The page went away in the middle of this one: it is the agent's to finish first.
        const interrupted = drafts.find((d) => d.status === 'active');
        if (interrupted && !get().current) {
          set({ current: consultationOf({ ...interrupted, phase: 'wrap-up', endedAt: interrupted.endedAt ?? deps.now().toISOString() }) });
          changed();
          popFor(interrupted.id, interrupted.callerNumber, interrupted.ivr, null);
        }
      },
      flush: () => writeNow(),
      busy: () => get().current !== null,
    };
  });
}

export type ConsultationStore = ReturnType<typeof createConsultationStore>;
