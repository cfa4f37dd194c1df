import { createStore } from 'zustand/vanilla';
import type { ScreenPop } from '../../shared/contract';
import { OUTCOMES, RECORD_LIMITS, type Outcome, type RecordDraft } from '../../shared/record';
import type { CoreClient } from '../../shared/rpc';

export type Phase = 'ringing' | 'talking' | 'wrap-up';

/** One call's consultation, from the ring to the saved record. */
export interface Consultation {
  /** The record's id (its idempotency key all the way to the city server). */
  id: string;
  /** The phone call it belongs to (CallView.id), null for a resumed draft. */
  callId: number | null;
  callerNumber: string;
  callerName: string | null;
  ivr: string | null;
  phase: Phase;
  startedAt: string;
  endedAt: string | null;
  pop: ScreenPop | null;
  popError: string | null;
  /** Manual entries opened during the call: linked to the record by themselves. */
  manualIds: string[];
  pinned: string[];
  notes: string;
  category: string;
  subcategory: string;
  outcome: Outcome;
  department: string | null;
  /** Where the call was transferred, for the record's notes. */
  transferredTo: string | null;
}

export interface ConsultationState {
  current: Consultation | null;
  /** Wrap-ups the timer ran out on: kept on this desk until the agent finishes them. */
  drafts: Consultation[];
  saving: boolean;
  saveError: string | null;
  /** A call rang: the consultation starts and the screen-pop loads. */
  ring(call: { callId: number; callerNumber: string; callerName: string | null; ivr: string | null }): void;
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
  setOutcome(outcome: Outcome): void;
  setDepartment(department: string | null): void;
  transferred(target: string, department: string | null): void;
  /** Saves the record; resolves true when the core has it (durable on this desk). */
  save(): Promise<boolean>;
  /** The wrap-up time ran out: keep what was written as a draft and free the agent. */
  keepAsDraft(): void;
  resumeDraft(id: string): void;
}

export interface ConsultationDeps {
  core: () => CoreClient | null;
  now: () => Date;
  newId: () => string;
  /** Where drafts survive a reload (already masked before they get there). */
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Masks personal data in notes (the core does it: it knows the city's phone numbering). */
  mask: (notes: string) => Promise<string>;
}

const DRAFTS_KEY = 'minwon.consultationDrafts';
const MAX_DRAFTS = 50;

function readDrafts(storage: Pick<Storage, 'getItem'>): Consultation[] {
  try {
    const v = JSON.parse(storage.getItem(DRAFTS_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as Consultation[]).filter((d) => typeof d?.id === 'string' && typeof d.startedAt === 'string') : [];
  } catch {
    return [];
  }
}

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
    notes: (transfer + c.notes).slice(0, RECORD_LIMITS.notes),
    department: c.department,
    // Pinned entries go to the caller by SMS once the city has the record.
    smsEntryIds: c.pinned.slice(0, RECORD_LIMITS.smsEntries),
  };
}

/**
 * The consultation of the call at hand: its screen-pop, the entries opened, the live notes and
 * the wrap-up, saved as one record through the core's outbox (durable at once, uploaded when the
 * city server can be reached).
 */
export function createConsultationStore(deps: ConsultationDeps) {
  return createStore<ConsultationState>()((set, get) => {
    const patch = (p: Partial<Consultation>) => {
      const c = get().current;
      if (c) set({ current: { ...c, ...p } });
    };
    const initialDrafts = readDrafts(deps.storage);
    // Drafts whose notes were masked (all that were read back were): only those may be stored.
    const masked = new Set(initialDrafts.map((d) => d.id));
    const persistDrafts = (drafts: Consultation[]) => {
      set({ drafts });
      // Only masked notes, and not the screen-pop (other consultations' notes): it is fetched again.
      deps.storage.setItem(DRAFTS_KEY, JSON.stringify(drafts.filter((d) => masked.has(d.id)).map((d) => ({ ...d, pop: null }))));
    };
    return {
      current: null,
      drafts: initialDrafts,
      saving: false,
      saveError: null,
      ring(call) {
        const id = deps.newId();
        set({
          saveError: null,
          current: {
            id,
            callId: call.callId,
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
          },
        });
        const client = deps.core();
        if (!client) return patch({ popError: 'not connected' });
        void client.call('screenPop', { number: call.callerNumber, ...(call.ivr ? { ivr: call.ivr } : {}) }).then(
          (pop) => {
            if (get().current?.id !== id) return;
            const first = pop.suggestions[0]?.category.split('/');
            // The likeliest category to start the wrap-up with: the first suggestion's.
            patch({ pop, ...(first?.length === 2 && !get().current?.category ? { category: first[0] as string, subcategory: first[1] as string } : {}) });
          },
          (e: Error) => get().current?.id === id && patch({ popError: e.message }),
        );
      },
      refreshed(id, pop) {
        if (get().current?.id === id) patch({ pop });
      },
      answered() {
        if (get().current?.phase === 'ringing') patch({ phase: 'talking' });
      },
      ended(talked) {
        const c = get().current;
        if (!c || c.phase === 'wrap-up') return;
        if (!talked) return set({ current: null });
        patch({ phase: 'wrap-up', endedAt: deps.now().toISOString() });
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
      setNotes: (notes) => patch({ notes: notes.slice(0, RECORD_LIMITS.notes) }),
      setCategory: (category, subcategory) => patch({ category, subcategory }),
      setOutcome: (outcome) => OUTCOMES.includes(outcome) && patch({ outcome }),
      setDepartment: (department) => patch({ department }),
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
          await client.call('saveRecord', recordOf(c, deps.now().toISOString()));
          if (get().current?.id === c.id) set({ current: null });
          persistDrafts(get().drafts.filter((d) => d.id !== c.id));
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
        set({ current: null });
        const keep = (draft: Consultation, persist: boolean) => {
          const drafts = [draft, ...get().drafts.filter((d) => d.id !== c.id)].slice(0, MAX_DRAFTS);
          if (persist) persistDrafts(drafts);
          else set({ drafts });
        };
        // Nothing unmasked goes to storage: without the core to mask it, the draft stays in memory.
        deps.mask(c.notes).then(
          (notes) => (masked.add(c.id), keep({ ...c, notes, callId: null }, true)),
          () => (masked.delete(c.id), keep({ ...c, callId: null }, false)),
        );
      },
      resumeDraft(id) {
        const d = get().drafts.find((x) => x.id === id);
        if (!d || (get().current && get().current?.phase !== 'wrap-up')) return;
        get().keepAsDraft();
        set({ current: { ...d, phase: 'wrap-up' } });
        // Drafts are stored without their screen-pop: fetch it again for the agent.
        const client = deps.core();
        if (!d.pop && client) {
          void client.call('screenPop', { number: d.callerNumber, ...(d.ivr ? { ivr: d.ivr } : {}) }).then(
            (pop) => get().refreshed(d.id, pop),
            () => undefined,
          );
        }
      },
    };
  });
}

export type ConsultationStore = ReturnType<typeof createConsultationStore>;
