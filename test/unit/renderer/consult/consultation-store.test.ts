import { describe, expect, it } from 'vitest';
import { screenPopSchema, type MethodName, type MethodResult, type ScreenPop } from '../../../../shared/contract';
import { recordDraftSchema, type RecordDraft } from '../../../../shared/record';
import { createConsultationStore, recordOf, type Consultation, type ConsultationDeps } from '../../../../renderer/consult/consultation-store';
import { manualClock } from '../../../helpers/manual-clock';
import { earlierCall } from '../../../helpers/screen-pop';
import { recordingCore, type CoreHandlersFake } from '../../../helpers/fake-core';

const DRAFTS_KEY = 'minwon.consultationDrafts';
const START = Date.parse('2025-06-02T00:30:00.000Z');
const CALLER = '01012345678';
const RAW_NOTES = '누수 신고, 회신 번호 010-9876-5432, 계량기 번호 770213';

const uuid = (n: number) => `5f0c9a52-3d1e-4b7a-9c2e-${String(n).padStart(12, '0')}`;

/** What the core's screen-pop looks like for a caller with one earlier, unresolved water-leak call. */
function screenPop(category = '상수도/누수', title = '누수 신고 접수 절차'): ScreenPop {
  const earlier = earlierCall({ id: uuid(900) });
  return {
    caller: { kind: 'e164', e164: '+821012345678', national: '010-1234-5678' },
    items: [earlier],
    callsLast30Days: 1,
    openCallbacks: [earlier],
    flags: { repeat: false, unresolved: true },
    suggestions: [
      { id: 'water-leak-01', kind: 'manual', title, category, reasons: ['ivr', 'history'] },
      { id: 'water-bill-02', kind: 'faq', title: '수도요금 문의', category: '상수도/요금', reasons: ['ivr'] },
    ],
  };
}

/** A core that records every call and answers the few methods a consultation uses. */
function fakeCore() {
  const handlers: CoreHandlersFake = {
    screenPop: async () => screenPop(),
    saveRecord: async (r) => ({ id: r.id, duplicate: false }),
    maskNotes: async ({ notes }) => ({ text: notes.replace(/\d/g, '*') }),
  };
  const { client, calls } = recordingCore(handlers);
  return { client, calls, handlers, of: (method: MethodName) => calls.filter((c) => c.method === method).map((c) => c.params) };
}

type FakeCore = ReturnType<typeof fakeCore>;

function deferred<T>() {
  let resolve: (v: T) => void = () => {};
  let reject: (e: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Local storage in memory, with every write kept for inspection. */
function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  const writes: { key: string; value: string }[] = [];
  const storage: ConsultationDeps['storage'] = {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      writes.push({ key: k, value: v });
      data.set(k, v);
    },
  };
  return { storage, writes, data, drafts: () => JSON.parse(data.get(DRAFTS_KEY) ?? 'null') as Consultation[] | null };
}

type Memory = ReturnType<typeof memoryStorage>;

interface SetupOptions {
  core?: FakeCore;
  memory?: Memory;
  connected?: () => boolean;
  mask?: ConsultationDeps['mask'];
  firstId?: number;
}

function setup(o: SetupOptions = {}) {
  const core = o.core ?? fakeCore();
  const memory = o.memory ?? memoryStorage();
  const time = manualClock(START);
  let n = o.firstId ?? 1;
  const connected = o.connected ?? (() => true);
  const masked: string[] = [];
  const store = createConsultationStore({
    core: () => (connected() ? core.client : null),
    now: () => new Date(time.now()),
    newId: () => uuid(n++),
    storage: memory.storage,
    mask:
      o.mask ??
      (async (notes) => {
        masked.push(notes);
        const r = (await core.client.call('maskNotes', { notes })) as MethodResult<'maskNotes'>;
        return r.text;
      }),
  });
  return { store, core, memory, time, masked };
}

type Setup = ReturnType<typeof setup>;

const tick = () => new Promise((r) => setTimeout(r, 0));
const ringing = { callId: 7, callerNumber: CALLER, callerName: '홍길동', ivr: '1' };

/** A call that rang, was answered and ended: its wrap-up with a category, entries and notes. */
async function inWrapUp(s: Setup = setup()) {
  s.store.getState().ring(ringing);
  await tick();
  s.store.getState().answered();
  s.store.getState().linkEntry('water-leak-01');
  s.store.getState().setNotes(RAW_NOTES);
  s.time.advance(185_000);
  s.store.getState().ended(true);
  return s;
}

describe('a consultation from the ring', () => {
  it('starts with a new id when a call rings, loads the screen-pop and preselects its first suggestion’s category', async () => {
    const s = setup();
    s.store.getState().ring(ringing);
    const c = s.store.getState().current;
    expect(c).toMatchObject({
      id: uuid(1),
      callId: 7,
      callerNumber: CALLER,
      callerName: '홍길동',
      ivr: '1',
      phase: 'ringing',
      startedAt: '2025-06-02T00:30:00.000Z',
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
    });
    expect(s.core.calls).toEqual([{ method: 'screenPop', params: { number: CALLER, ivr: '1' } }]);
    await tick();
    const after = s.store.getState().current;
    expect(screenPopSchema.parse(after?.pop)).toEqual(screenPop());
    expect(after).toMatchObject({ category: '상수도', subcategory: '누수', popError: null });
  });

  it('gives each ring its own id and leaves the IVR choice out of the pop request when there is none', async () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().ended(false);
    s.store.getState().ring({ ...ringing, callId: 8, ivr: null });
    expect(s.store.getState().current?.id).toBe(uuid(2));
    expect(s.core.of('screenPop')).toEqual([{ number: CALLER, ivr: '1' }, { number: CALLER }]);
    await tick();
  });

  it('keeps the category the agent already chose when the pop arrives', async () => {
    const s = setup();
    const pop = deferred<ScreenPop>();
    s.core.handlers.screenPop = () => pop.promise;
    s.store.getState().ring(ringing);
    s.store.getState().setCategory('도로', '포트홀');
    pop.resolve(screenPop());
    await tick();
    expect(s.store.getState().current).toMatchObject({ category: '도로', subcategory: '포트홀', pop: { suggestions: [{ id: 'water-leak-01' }, { id: 'water-bill-02' }] } });
  });

  it('preselects nothing when the first suggestion’s category is not "category/subcategory", or there is none', async () => {
    const s = setup();
    s.core.handlers.screenPop = async () => screenPop('민원일반');
    s.store.getState().ring(ringing);
    await tick();
    expect(s.store.getState().current).toMatchObject({ category: '', subcategory: '', pop: { suggestions: [{ category: '민원일반' }, {}] } });
    s.store.getState().ended(false);
    s.core.handlers.screenPop = async () => ({ ...screenPop(), suggestions: [] });
    s.store.getState().ring(ringing);
    await tick();
    expect(s.store.getState().current).toMatchObject({ category: '', subcategory: '', pop: { suggestions: [] } });
  });

  it('ignores a pop (or its failure) that arrives for an earlier consultation', async () => {
    const s = setup();
    const pops = [deferred<ScreenPop>(), deferred<ScreenPop>(), deferred<ScreenPop>()];
    let i = 0;
    s.core.handlers.screenPop = () => (pops[i++] as ReturnType<typeof deferred<ScreenPop>>).promise;
    s.store.getState().ring(ringing);
    s.store.getState().ended(false);
    s.store.getState().ring({ ...ringing, callId: 8 });
    s.store.getState().ended(false);
    s.store.getState().ring({ ...ringing, callId: 9, callerNumber: '0215551234' });
    pops[0]?.resolve(screenPop('상수도/누수', '첫 번째 통화'));
    pops[1]?.reject(new Error('late failure'));
    await tick();
    expect(s.store.getState().current).toMatchObject({ id: uuid(3), callId: 9, pop: null, popError: null, category: '' });
    pops[2]?.resolve(screenPop('도로/포트홀', '세 번째 통화'));
    await tick();
    expect(s.store.getState().current).toMatchObject({ category: '도로', subcategory: '포트홀', pop: { suggestions: [{ title: '세 번째 통화' }, {}] } });
  });

  it('reports a pop that failed, and a core that is not connected', async () => {
    const s = setup();
    s.core.handlers.screenPop = () => Promise.reject(new Error('screenPop timed out'));
    s.store.getState().ring(ringing);
    await tick();
    expect(s.store.getState().current).toMatchObject({ phase: 'ringing', pop: null, popError: 'screenPop timed out' });

    const offline = setup({ connected: () => false });
    offline.store.getState().ring(ringing);
    expect(offline.store.getState().current).toMatchObject({ id: uuid(1), popError: 'not connected' });
    expect(offline.core.calls).toEqual([]);
  });

  it('takes a fresher pop only for the consultation at hand', async () => {
    const s = setup();
    s.store.getState().ring(ringing);
    await tick();
    const fresher = { ...screenPop(), callsLast30Days: 4, flags: { repeat: true, unresolved: true } };
    s.store.getState().refreshed(uuid(99), fresher);
    expect(s.store.getState().current?.pop?.callsLast30Days).toBe(1);
    s.store.getState().refreshed(uuid(1), fresher);
    expect(s.store.getState().current?.pop).toEqual(fresher);
  });
});

describe('the call’s course', () => {
  it('is talking once answered, and answering again changes nothing', async () => {
    const s = setup();
    s.store.getState().answered();
    expect(s.store.getState().current).toBeNull();
    s.store.getState().ring(ringing);
    s.store.getState().answered();
    expect(s.store.getState().current?.phase).toBe('talking');
    await tick();
  });

  it('leaves nothing after a call nobody talked on', async () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().ended(false);
    expect(s.store.getState().current).toBeNull();
    await tick();
    expect(s.store.getState().current).toBeNull();
    expect(s.core.of('saveRecord')).toEqual([]);
    expect(s.memory.writes).toEqual([]);
  });

  it('goes to wrap-up with the end time after a conversation, and stays there', async () => {
    const s = await inWrapUp();
    expect(s.store.getState().current).toMatchObject({ phase: 'wrap-up', endedAt: '2025-06-02T00:33:05.000Z' });
    s.time.advance(10_000);
    s.store.getState().ended(true);
    s.store.getState().ended(false);
    s.store.getState().answered();
    expect(s.store.getState().current).toMatchObject({ phase: 'wrap-up', endedAt: '2025-06-02T00:33:05.000Z' });
  });
});

describe('the entries, notes and outcome', () => {
  it('links each opened entry once, and no more than 20', () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().linkEntry('a');
    s.store.getState().linkEntry('b');
    s.store.getState().linkEntry('a');
    expect(s.store.getState().current?.manualIds).toEqual(['a', 'b']);
    for (let i = 0; i < 30; i++) s.store.getState().linkEntry(`e${i}`);
    const ids = s.store.getState().current?.manualIds ?? [];
    expect(ids).toHaveLength(20);
    expect(ids.slice(0, 3)).toEqual(['a', 'b', 'e0']);
    expect(ids[19]).toBe('e17');
  });

  it('pins an entry (linking it too) and unpins it again, keeping the link', () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().togglePin('water-leak-01');
    expect(s.store.getState().current).toMatchObject({ pinned: ['water-leak-01'], manualIds: ['water-leak-01'] });
    s.store.getState().togglePin('water-leak-01');
    expect(s.store.getState().current).toMatchObject({ pinned: [], manualIds: ['water-leak-01'] });
  });

  it('unlinks an entry and unpins it with it', () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().togglePin('a');
    s.store.getState().togglePin('b');
    s.store.getState().unlinkEntry('a');
    expect(s.store.getState().current).toMatchObject({ pinned: ['b'], manualIds: ['b'] });
  });

  it('does nothing to entries without a consultation', () => {
    const s = setup();
    s.store.getState().linkEntry('a');
    s.store.getState().togglePin('a');
    s.store.getState().setNotes('x');
    expect(s.store.getState().current).toBeNull();
  });

  it('caps the notes at 4000 characters', () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().setNotes('가'.repeat(4001));
    expect(s.store.getState().current?.notes).toBe('가'.repeat(4000));
  });

  it('takes only known outcomes, and a department', () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().setOutcome('callback');
    s.store.getState().setOutcome('lost' as 'callback');
    s.store.getState().setDepartment('waterworks');
    expect(s.store.getState().current).toMatchObject({ outcome: 'callback', department: 'waterworks' });
  });

  it('notes a transfer: the outcome, the target, and the department when known', () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().setDepartment('roads');
    s.store.getState().transferred('3511', null);
    expect(s.store.getState().current).toMatchObject({ outcome: 'transferred', transferredTo: '3511', department: 'roads' });
    s.store.getState().transferred('3512', 'waterworks');
    expect(s.store.getState().current).toMatchObject({ outcome: 'transferred', transferredTo: '3512', department: 'waterworks' });
  });
});

describe('the record of a consultation', () => {
  const base = (): Consultation => ({
    id: uuid(1),
    callId: 7,
    callerNumber: CALLER,
    callerName: null,
    ivr: null,
    phase: 'wrap-up',
    startedAt: '2025-06-02T00:30:00.000Z',
    endedAt: '2025-06-02T00:33:05.000Z',
    pop: null,
    popError: null,
    manualIds: ['water-leak-01'],
    pinned: [],
    notes: '누수 위치 안내',
    category: '상수도',
    subcategory: '누수',
    outcome: 'transferred',
    department: 'waterworks',
    transferredTo: '3511',
  });

  it('prefixes the notes with the transfer target', () => {
    expect(recordOf(base(), '2025-06-02T00:40:00.000Z')).toEqual({
      id: uuid(1),
      callerNumber: CALLER,
      startedAt: '2025-06-02T00:30:00.000Z',
      endedAt: '2025-06-02T00:33:05.000Z',
      category: '상수도/누수',
      outcome: 'transferred',
      manualIds: ['water-leak-01'],
      notes: '[호전환: 3511] 누수 위치 안내',
      department: 'waterworks',
      smsEntryIds: [],
    });
  });

  it('sends the pinned entries to the caller by SMS (at most five)', () => {
    const pinned = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(recordOf({ ...base(), pinned }, '2025-06-02T00:40:00.000Z').smsEntryIds).toEqual(pinned.slice(0, 5));
  });

  it('ends when given if the call has no end yet, and keeps the notes within the limit with the prefix', () => {
    const r = recordOf({ ...base(), endedAt: null, transferredTo: null, notes: 'x'.repeat(4000) }, '2025-06-02T00:40:00.000Z');
    expect(r.endedAt).toBe('2025-06-02T00:40:00.000Z');
    expect(r.notes).toBe('x'.repeat(4000));
    const t = recordOf({ ...base(), notes: 'x'.repeat(4000) }, '2025-06-02T00:40:00.000Z');
    expect(t.notes).toHaveLength(4000);
    expect(t.notes.startsWith('[호전환: 3511] xxx')).toBe(true);
  });
});

describe('saving the record', () => {
  it('refuses without a category (or subcategory), asking nothing of the core', async () => {
    const s = setup();
    s.core.handlers.screenPop = async () => ({ ...screenPop(), suggestions: [] });
    await inWrapUp(s);
    s.core.calls.length = 0;
    expect(await s.store.getState().save()).toBe(false);
    expect(s.store.getState().saveError).toBe('category');
    s.store.getState().setCategory('상수도', '');
    expect(await s.store.getState().save()).toBe(false);
    expect(s.store.getState().saveError).toBe('category');
    expect(s.core.calls).toEqual([]);
    expect(s.store.getState().current?.phase).toBe('wrap-up');
  });

  it('refuses while the core is not connected', async () => {
    let connected = true;
    const s = await inWrapUp(setup({ connected: () => connected }));
    connected = false;
    expect(await s.store.getState().save()).toBe(false);
    expect(s.store.getState()).toMatchObject({ saveError: 'not connected', saving: false, current: { id: uuid(1) } });
    expect(s.core.of('saveRecord')).toEqual([]);
  });

  it('files exactly the record of the wrap-up, then clears it', async () => {
    const s = await inWrapUp();
    s.store.getState().setOutcome('callback');
    expect(await s.store.getState().save()).toBe(true);
    const expected: RecordDraft = {
      id: uuid(1),
      callerNumber: CALLER,
      startedAt: '2025-06-02T00:30:00.000Z',
      endedAt: '2025-06-02T00:33:05.000Z',
      category: '상수도/누수',
      outcome: 'callback',
      manualIds: ['water-leak-01'],
      notes: RAW_NOTES,
      department: null,
      smsEntryIds: [],
    };
    expect(s.core.of('saveRecord')).toEqual([expected]);
    expect(recordDraftSchema.parse(s.core.of('saveRecord')[0])).toEqual(expected);
    expect(s.store.getState()).toMatchObject({ current: null, saving: false, saveError: null });
  });

  it('removes the draft it was resumed from once saved', async () => {
    const s = await inWrapUp();
    s.store.getState().keepAsDraft();
    await tick();
    expect(s.memory.drafts()?.map((d) => d.id)).toEqual([uuid(1)]);
    s.store.getState().resumeDraft(uuid(1));
    expect(await s.store.getState().save()).toBe(true);
    expect(s.store.getState().drafts).toEqual([]);
    expect(s.memory.drafts()).toEqual([]);
    expect(s.core.of('saveRecord')).toMatchObject([{ id: uuid(1), notes: RAW_NOTES.replace(/\d/g, '*') }]);
  });

  it('keeps the wrap-up with the error when the core fails to save', async () => {
    const s = await inWrapUp();
    s.core.handlers.saveRecord = () => Promise.reject(new Error('disk full'));
    expect(await s.store.getState().save()).toBe(false);
    expect(s.store.getState()).toMatchObject({ saving: false, saveError: 'disk full', current: { id: uuid(1), phase: 'wrap-up', notes: RAW_NOTES } });
    s.core.handlers.saveRecord = async (r) => ({ id: r.id, duplicate: true });
    expect(await s.store.getState().save()).toBe(true);
    expect(s.store.getState()).toMatchObject({ saveError: null, current: null });
  });

  it('saves once when asked twice while saving', async () => {
    const s = await inWrapUp();
    const answer = deferred<MethodResult<'saveRecord'>>();
    s.core.handlers.saveRecord = () => answer.promise;
    const first = s.store.getState().save();
    expect(s.store.getState().saving).toBe(true);
    const second = s.store.getState().save();
    answer.resolve({ id: uuid(1), duplicate: false });
    expect(await Promise.all([first, second])).toEqual([true, false]);
    expect(s.core.of('saveRecord')).toHaveLength(1);
    expect(s.store.getState().saving).toBe(false);
  });

  it('leaves a consultation that began meanwhile alone', async () => {
    const s = await inWrapUp();
    const answer = deferred<MethodResult<'saveRecord'>>();
    s.core.handlers.saveRecord = () => answer.promise;
    const saved = s.store.getState().save();
    s.store.getState().keepAsDraft();
    s.store.getState().ring({ ...ringing, callId: 8 });
    answer.resolve({ id: uuid(1), duplicate: false });
    expect(await saved).toBe(true);
    expect(s.store.getState().current).toMatchObject({ id: uuid(2), callId: 8 });
  });
});

describe('drafts', () => {
  it('keeps a wrap-up as a draft with its notes masked before anything reaches storage', async () => {
    const s = await inWrapUp();
    s.store.getState().keepAsDraft();
    expect(s.store.getState().current).toBeNull();
    await tick();
    expect(s.masked).toEqual([RAW_NOTES]);
    expect(s.core.of('maskNotes')).toEqual([{ notes: RAW_NOTES }]);
    const masked = RAW_NOTES.replace(/\d/g, '*');
    expect(s.store.getState().drafts).toMatchObject([{ id: uuid(1), callId: null, phase: 'wrap-up', notes: masked, category: '상수도', manualIds: ['water-leak-01'] }]);
    // Stored without the screen-pop (other consultations' notes); the pop is fetched again on resume.
    expect(s.memory.drafts()).toEqual(s.store.getState().drafts.map((d) => ({ ...d, pop: null })));
    expect(s.memory.writes.length).toBeGreaterThan(0);
    // The stored draft still says who called (callerNumber, the pop): only the notes are the agent's free text.
    for (const w of s.memory.writes) for (const raw of ['9876', '5432', '770213']) expect(w.value).not.toContain(raw);
  });

  it('keeps a draft in memory only when the notes could not be masked', async () => {
    const s = await inWrapUp(setup({ mask: () => Promise.reject(new Error('not connected')) }));
    s.store.getState().keepAsDraft();
    await tick();
    expect(s.store.getState().drafts).toMatchObject([{ id: uuid(1), notes: RAW_NOTES, callId: null }]);
    for (const w of s.memory.writes) {
      expect(w.value).not.toContain(uuid(1));
      expect(w.value).not.toContain('9876');
    }
    expect(s.memory.drafts() ?? []).toEqual([]);
  });

  it('does not store an unmasked draft later, when another draft is persisted', async () => {
    let maskWorks = false;
    const core = fakeCore();
    const s = setup({
      core,
      mask: async (notes) => {
        if (!maskWorks) throw new Error('not connected');
        return ((await core.client.call('maskNotes', { notes })) as MethodResult<'maskNotes'>).text;
      },
    });
    await inWrapUp(s);
    s.store.getState().keepAsDraft();
    await tick();
    maskWorks = true;
    s.store.getState().ring({ ...ringing, callId: 8 });
    s.store.getState().answered();
    s.store.getState().setNotes('두 번째 010-1111-2222');
    s.store.getState().ended(true);
    s.store.getState().keepAsDraft();
    await tick();
    expect(s.store.getState().drafts.map((d) => d.id)).toEqual([uuid(2), uuid(1)]);
    expect(s.memory.drafts()?.map((d) => d.id)).toEqual([uuid(2)]);
    expect(s.memory.data.get(DRAFTS_KEY)).not.toContain('9876');
  });

  it('keeps only wrap-ups as drafts', async () => {
    const s = setup();
    s.store.getState().keepAsDraft();
    s.store.getState().ring(ringing);
    s.store.getState().answered();
    s.store.getState().keepAsDraft();
    await tick();
    expect(s.store.getState().current?.phase).toBe('talking');
    expect(s.store.getState().drafts).toEqual([]);
    expect(s.core.of('maskNotes')).toEqual([]);
  });

  it('survives re-creating the store from the same storage', async () => {
    const memory = memoryStorage();
    const s = await inWrapUp(setup({ memory }));
    s.store.getState().keepAsDraft();
    await tick();
    const again = setup({ memory, firstId: 50 });
    expect(again.store.getState().drafts).toMatchObject([{ id: uuid(1), callerNumber: CALLER, notes: RAW_NOTES.replace(/\d/g, '*'), callId: null }]);
    expect(again.store.getState().current).toBeNull();
    again.store.getState().resumeDraft(uuid(1));
    expect(await again.store.getState().save()).toBe(true);
    expect(again.core.of('saveRecord')).toMatchObject([{ id: uuid(1), category: '상수도/누수' }]);
    expect(memory.drafts()).toEqual([]);
  });

  it.each([
    ['not JSON', '{"broken'],
    ['not a list', '{"id":"x","startedAt":"y"}'],
    ['null', 'null'],
  ])('starts with no drafts from corrupt storage (%s)', (_why, stored) => {
    const s = setup({ memory: memoryStorage({ [DRAFTS_KEY]: stored }) });
    expect(s.store.getState().drafts).toEqual([]);
  });

  it('drops stored drafts that lack an id or a start', async () => {
    const good = (await inWrapUp()).store.getState().current as Consultation;
    const stored = JSON.stringify([null, 3, { id: 5, startedAt: 'x' }, { id: 'no-start' }, { ...good, callId: null }]);
    const s = setup({ memory: memoryStorage({ [DRAFTS_KEY]: stored }) });
    expect(s.store.getState().drafts.map((d) => d.id)).toEqual([uuid(1)]);
  });

  it('puts a draft back as the wrap-up at hand, keeping the one there as a draft', async () => {
    const s = await inWrapUp();
    s.store.getState().keepAsDraft();
    await tick();
    s.store.getState().ring({ ...ringing, callId: 8 });
    s.store.getState().answered();
    s.store.getState().setNotes('두 번째');
    s.store.getState().ended(true);
    s.store.getState().resumeDraft(uuid(1));
    expect(s.store.getState().current).toMatchObject({ id: uuid(1), phase: 'wrap-up', notes: RAW_NOTES.replace(/\d/g, '*'), category: '상수도', subcategory: '누수' });
    await tick();
    expect(s.store.getState().drafts.map((d) => d.id)).toEqual([uuid(2), uuid(1)]);
  });

  it('resumes no draft over a call in progress, nor one that does not exist', async () => {
    const s = await inWrapUp();
    s.store.getState().keepAsDraft();
    await tick();
    s.store.getState().ring({ ...ringing, callId: 8 });
    s.store.getState().resumeDraft(uuid(1));
    expect(s.store.getState().current).toMatchObject({ id: uuid(2), phase: 'ringing' });
    s.store.getState().ended(false);
    s.store.getState().resumeDraft(uuid(77));
    expect(s.store.getState().current).toBeNull();
  });
});
