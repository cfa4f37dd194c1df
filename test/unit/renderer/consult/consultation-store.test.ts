import { describe, expect, it } from 'vitest';
import { screenPopSchema, type MethodName, type MethodResult, type ScreenPop } from '../../../../shared/contract';
import { recordDraftSchema, type RecordDraft } from '../../../../shared/record';
import { createConsultationStore, recordOf, type Consultation, type ConsultationDeps } from '../../../../renderer/consult/consultation-store';
import { draftSchema } from '../../../../shared/draft';
import { manualClock } from '../../../helpers/manual-clock';
import { earlierCall } from '../../../helpers/screen-pop';
import { draftKeepingCore, recordingCore, type CoreHandlersFake } from '../../../helpers/fake-core';

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
    protection: { abusiveEnds: 0, lastAbusiveAt: null },
    suggestions: [
      { id: 'water-leak-01', kind: 'manual', title, category, reasons: ['ivr', 'history'] },
      { id: 'water-bill-02', kind: 'faq', title: '수도요금 문의', category: '상수도/요금', reasons: ['ivr'] },
    ],
  };
}

/** A core that records every call and answers the few methods a consultation uses, keeping drafts as the real one does. */
function fakeCore() {
  const { kept, handlers: draftMethods } = draftKeepingCore();
  const handlers: CoreHandlersFake = { screenPop: async () => screenPop(), ...draftMethods };
  const { client, calls } = recordingCore(handlers);
  return { client, calls, handlers, kept, of: (method: MethodName) => calls.filter((c) => c.method === method).map((c) => c.params) };
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

/** The page's storage in memory (where an earlier release kept drafts). */
function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  const storage: ConsultationDeps['storage'] = { getItem: (k) => data.get(k) ?? null, removeItem: (k) => void data.delete(k) };
  return { storage, data };
}

interface SetupOptions {
  core?: FakeCore;
  memory?: ReturnType<typeof memoryStorage>;
  connected?: () => boolean;
  firstId?: number;
}

function setup(o: SetupOptions = {}) {
  const core = o.core ?? fakeCore();
  const memory = o.memory ?? memoryStorage();
  const time = manualClock(START);
  let n = o.firstId ?? 1;
  const connected = o.connected ?? (() => true);
  const store = createConsultationStore({
    core: () => (connected() ? core.client : null),
    now: () => new Date(time.now()),
    newId: () => uuid(n++),
    timers: time.timers,
    storage: memory.storage,
  });
  return { store, core, memory, time };
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
      district: null,
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
    expect(s.core.of('keepDraft')).toEqual([]);
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

describe('the district', () => {
  it('starts with none, takes a 구, one of its neighbourhoods, the whole 구 again, and none again', () => {
    const s = setup();
    s.store.getState().ring(ringing);
    const district = () => s.store.getState().current?.district;
    s.store.getState().setDistrict('남구');
    expect(district()).toBe('남구');
    s.store.getState().setSubdistrict('상대동');
    expect(district()).toBe('남구/상대동');
    s.store.getState().setSubdistrict('');
    expect(district()).toBe('남구');
    s.store.getState().setDistrict('');
    expect(district()).toBeNull();
  });

  it('drops the neighbourhood when the 구 changes, so it never names another 구’s, and takes none without a 구', () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().setDistrict('남구');
    s.store.getState().setSubdistrict('상대동');
    s.store.getState().setDistrict('북구');
    expect(s.store.getState().current?.district).toBe('북구');
    s.store.getState().setDistrict('');
    s.store.getState().setSubdistrict('상대동');
    expect(s.store.getState().current?.district).toBeNull();
  });

  it('is kept in the draft, comes back after a reload, and is filed with the record', async () => {
    const core = fakeCore();
    const first = await inWrapUp(setup({ core }));
    first.store.getState().setDistrict('남구');
    first.store.getState().setSubdistrict('구룡포읍');
    first.time.advance(300);
    expect(core.kept.get(uuid(1))).toMatchObject({ status: 'active', district: '남구/구룡포읍' });
    // A new page, the same core.
    const again = setup({ core, firstId: 50 });
    await again.store.getState().connected();
    expect(again.store.getState().current).toMatchObject({ id: uuid(1), district: '남구/구룡포읍' });
    expect(await again.store.getState().save()).toBe(true);
    expect(core.of('saveRecord')).toMatchObject([{ id: uuid(1), district: '남구/구룡포읍' }]);
  });
});

describe('the record of a consultation', () => {
  const base = (): Consultation => ({
    id: uuid(1),
    callId: 7,
    question: null,
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

  it('names the district when one was chosen, and none otherwise', () => {
    expect(recordOf({ ...base(), district: '남구/상대동' }, '2025-06-02T00:40:00.000Z').district).toBe('남구/상대동');
    expect(recordDraftSchema.parse(recordOf({ ...base(), district: '북구' }, '2025-06-02T00:40:00.000Z')).district).toBe('북구');
    expect(recordOf({ ...base(), district: null }, '2025-06-02T00:40:00.000Z')).not.toHaveProperty('district');
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
    expect(s.store.getState().drafts.map((d) => d.id)).toEqual([uuid(1)]);
    s.store.getState().resumeDraft(uuid(1));
    expect(await s.store.getState().save()).toBe(true);
    expect(s.store.getState().drafts).toEqual([]);
    expect([...s.core.kept.keys()]).toEqual([]);
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

describe('drafts, kept by the core', () => {
  it('writes the consultation to the core from its answer on, gathering edits, masked there', async () => {
    const s = setup();
    s.store.getState().ring(ringing);
    await tick();
    s.time.advance(1_000);
    // Ringing is nothing to file yet.
    expect(s.core.of('keepDraft')).toEqual([]);
    s.store.getState().answered();
    expect(s.core.of('keepDraft')).toMatchObject([{ id: uuid(1), status: 'active', phase: 'talking' }]);
    s.store.getState().setNotes('누수');
    s.store.getState().setNotes(RAW_NOTES);
    s.store.getState().linkEntry('water-leak-01');
    expect(s.core.of('keepDraft')).toHaveLength(1);
    s.time.advance(300);
    expect(s.core.of('keepDraft')).toHaveLength(2);
    expect(s.core.of('keepDraft')[1]).toMatchObject({ notes: RAW_NOTES, manualIds: ['water-leak-01'] });
    // What the core keeps has no screen-pop and nothing of the page's call.
    expect(draftSchema.safeParse(s.core.of('keepDraft')[1]).success).toBe(true);
    expect(s.core.kept.get(uuid(1))?.notes).toBe(RAW_NOTES.replace(/\d/g, '*'));
    s.store.getState().ended(true);
    expect(s.core.of('keepDraft')[2]).toMatchObject({ phase: 'wrap-up', endedAt: expect.any(String) });
  });

  it('leaves no draft of a call nobody talked on', async () => {
    const s = setup();
    s.store.getState().ring(ringing);
    s.store.getState().ended(false);
    s.time.advance(1_000);
    expect(s.core.of('keepDraft')).toEqual([]);
    s.store.getState().ring({ ...ringing, callId: 8 });
    s.store.getState().answered();
    s.store.getState().ended(false);
    await tick();
    expect(s.core.of('dropDraft')).toEqual([{ id: uuid(2) }]);
    expect(s.core.kept.size).toBe(0);
  });

  it('writes now what is not written yet when asked (the page is going away)', async () => {
    const s = await inWrapUp();
    s.store.getState().setNotes(`${RAW_NOTES} 추가`);
    s.store.getState().flush();
    expect(s.core.of('keepDraft').at(-1)).toMatchObject({ notes: `${RAW_NOTES} 추가` });
  });

  it('sets a wrap-up aside as a draft to finish later', async () => {
    const s = await inWrapUp();
    s.store.getState().keepAsDraft();
    expect(s.store.getState().current).toBeNull();
    await tick();
    expect(s.core.kept.get(uuid(1))).toMatchObject({ status: 'kept', phase: 'wrap-up', notes: RAW_NOTES.replace(/\d/g, '*'), category: '상수도', manualIds: ['water-leak-01'] });
    expect(s.store.getState().drafts).toMatchObject([{ id: uuid(1), status: 'kept' }]);
  });

  it('keeps only wrap-ups aside', async () => {
    const s = setup();
    s.store.getState().keepAsDraft();
    s.store.getState().ring(ringing);
    s.store.getState().answered();
    s.store.getState().keepAsDraft();
    await tick();
    expect(s.store.getState().current?.phase).toBe('talking');
    expect(s.store.getState().drafts).toEqual([]);
  });

  it('brings back, after a reload, the consultation the page was working on, in its wrap-up, and the drafts set aside', async () => {
    const core = fakeCore();
    const first = await inWrapUp(setup({ core }));
    first.store.getState().keepAsDraft();
    await tick();
    first.store.getState().ring({ ...ringing, callId: 8 });
    first.store.getState().answered();
    first.store.getState().setNotes('두 번째 통화 메모');
    first.time.advance(300);
    // The page goes away mid-call: a new page, a new store, the same core.
    const again = setup({ core, firstId: 50 });
    expect(again.store.getState().current).toBeNull();
    await again.store.getState().connected();
    expect(again.store.getState().current).toMatchObject({ id: uuid(2), phase: 'wrap-up', notes: '두 번째 통화 메모', callerNumber: CALLER, callId: null });
    expect(again.store.getState().current?.endedAt).not.toBeNull();
    expect(again.store.getState().drafts.map((d) => d.id)).toEqual([uuid(1)]);
    await tick();
    // Its screen-pop is fetched again.
    expect(again.store.getState().current?.pop).not.toBeNull();
    again.store.getState().setCategory('상수도', '누수');
    expect(await again.store.getState().save()).toBe(true);
    expect(core.of('saveRecord')).toMatchObject([{ id: uuid(2), notes: '두 번째 통화 메모' }]);
  });

  it('waits for the core when it is out of reach, and writes the consultation once it is back', async () => {
    let connected = false;
    const s = setup({ connected: () => connected });
    s.store.getState().ring(ringing);
    s.store.getState().answered();
    s.store.getState().setNotes('메모');
    s.time.advance(1_000);
    expect(s.core.of('keepDraft')).toEqual([]);
    connected = true;
    await s.store.getState().connected();
    expect(s.core.of('keepDraft')).toMatchObject([{ id: uuid(1), notes: '메모', status: 'active' }]);
    // The one on screen is not offered as a draft to resume.
    expect(s.store.getState().drafts).toEqual([]);
  });

  it('moves drafts an earlier release kept in the page’s storage to the core, once', async () => {
    const legacy = { ...((await inWrapUp()).store.getState().current as Consultation), notes: '***', callId: null, pop: null, popError: null };
    const stored = JSON.stringify([null, 3, { id: 5, startedAt: 'x' }, { id: 'no-start' }, legacy]);
    const s = setup({ memory: memoryStorage({ [DRAFTS_KEY]: stored }) });
    await s.store.getState().connected();
    expect(s.core.of('keepDraft')).toMatchObject([{ id: uuid(1), status: 'kept', notes: '***' }]);
    expect(s.memory.data.has(DRAFTS_KEY)).toBe(false);
    expect(s.store.getState().drafts.map((d) => d.id)).toEqual([uuid(1)]);
  });

  it.each([
    ['not JSON', '{"broken'],
    ['not a list', '{"id":"x","startedAt":"y"}'],
    ['null', 'null'],
  ])('moves nothing from corrupt storage (%s), and clears it', async (_why, stored) => {
    const s = setup({ memory: memoryStorage({ [DRAFTS_KEY]: stored }) });
    await s.store.getState().connected();
    expect(s.core.of('keepDraft')).toEqual([]);
    expect(s.memory.data.has(DRAFTS_KEY)).toBe(false);
  });

  it('puts a draft back as the wrap-up at hand, setting the one there aside', async () => {
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
    await tick();
    expect(s.store.getState().drafts.map((d) => d.id)).toEqual([uuid(2)]);
    expect(s.core.kept.get(uuid(1))?.status).toBe('active');
    expect(s.core.kept.get(uuid(2))?.status).toBe('kept');
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
