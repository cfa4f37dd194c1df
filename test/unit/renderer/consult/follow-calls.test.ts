import { describe, expect, it } from 'vitest';
import type { SipAccount } from '../../../../shared/auth';
import type { ScreenPop } from '../../../../shared/contract';
import type { ManualEntry } from '../../../../shared/manual';
import { createAgentStateStore } from '../../../../renderer/agent/agent-state-store';
import { createConsultationStore, recordOf, type ConsultationDeps } from '../../../../renderer/consult/consultation-store';
import { followCalls } from '../../../../renderer/consult/follow-calls';
import { createPhoneStore } from '../../../../renderer/phone/phone-store';
import type { PhoneCall, PhoneEvents } from '../../../../renderer/phone/sip-phone';
import { createSearchStore } from '../../../../renderer/search/search-store';
import { createWorkStore } from '../../../../renderer/work/work-store';
import { createTextsStore } from '../../../../renderer/texts/texts-store';
import type { TextThread } from '../../../../shared/text-inquiry';
import { offeredCallback } from '../../../helpers/callbacks';
import { fakeCall as fakePhoneCall, type FakeCall, type FakeCallOptions } from '../../../helpers/fake-call';
import { manualClock } from '../../../helpers/manual-clock';
import { earlierCall } from '../../../helpers/screen-pop';
import { draftKeepingCore, recordingCore, type CoreHandlersFake } from '../../../helpers/fake-core';

const account: SipAccount = { username: 'agent1', domain: '127.0.0.1', password: 'x'.repeat(36), wsUrl: 'ws://127.0.0.1:8088' };
const START = Date.parse('2025-06-02T00:30:00.000Z');
const CALLER = '01012345678';
const WRAP_UP_SECONDS = 30;

const uuid = (n: number) => `5f0c9a52-3d1e-4b7a-9c2e-${String(n).padStart(12, '0')}`;

const textThread: TextThread = {
  id: 'thread-1',
  number: '+821055502010',
  state: 'open',
  openedAt: '2025-06-02T00:20:00.000Z',
  lastInAt: '2025-06-02T00:20:00.000Z',
  firstResponseDue: '2025-06-02T00:50:00.000Z',
  firstResponseAt: null,
  assignedTo: null,
  offeredTo: 'agent1',
  offerUntil: '2025-06-02T00:31:00.000Z',
  closedAt: null,
  preview: '단수 예정 지역이 어디인가요?',
  messages: [
    { id: 'm-0', direction: 'out', body: '안녕하세요', kind: 'sms', at: '2025-06-02T00:10:00.000Z', agent: 'agent2', delivery: 'delivered', deliveryAt: null, error: null, media: [] },
    { id: 'm-1', direction: 'in', body: '단수 예정 지역이', kind: 'sms', at: '2025-06-02T00:20:00.000Z', agent: null, delivery: null, deliveryAt: null, error: null, media: [] },
    { id: 'm-2', direction: 'in', body: '어디인가요?', kind: 'sms', at: '2025-06-02T00:20:30.000Z', agent: null, delivery: null, deliveryAt: null, error: null, media: [] },
  ],
};

function screenPop(callsLast30Days: number): ScreenPop {
  const item = earlierCall({ id: uuid(900 + callsLast30Days) });
  return {
    caller: { kind: 'e164', e164: '+821012345678', national: '010-1234-5678' },
    items: Array.from({ length: callsLast30Days }, () => item),
    callsLast30Days,
    openCallbacks: [],
    flags: { repeat: callsLast30Days >= 3, unresolved: false },
    protection: { abusiveEnds: 0, lastAbusiveAt: null },
    suggestions: [{ id: 'water-leak-01', kind: 'manual', title: '누수 신고 접수 절차', category: '상수도/누수', reasons: ['history'] }],
  };
}

const entry = (id: string): ManualEntry => ({
  id,
  kind: 'manual',
  category: '상수도/누수',
  title: '누수 신고 접수 절차',
  body: '계량기 위치를 확인하고 사업소로 접수합니다.',
  keywords: ['누수'],
  department: 'waterworks',
  updatedAt: '2025-05-01T00:00:00.000Z',
  version: 3,
});

/** A core that records every call; the city server has not synced one of the caller's consultations yet (until told otherwise). */
function fakeCore() {
  let pops = 0;
  const { kept, handlers: draftMethods } = draftKeepingCore();
  const handlers: CoreHandlersFake = {
    // Each pop knows one more history item than the last: the test can tell them apart.
    screenPop: async () => screenPop(++pops),
    refreshCaller: async () => ({ added: 0 }),
    getEntry: async ({ id }) => entry(id),
    markUsed: async () => ({ counted: true }),
    ...draftMethods,
  };
  const { client, calls } = recordingCore(handlers);
  // Drafts are written as the agent works; the tests here look at everything else.
  const others = () => calls.filter((c) => !['keepDraft', 'dropDraft', 'drafts'].includes(c.method));
  return { client, others, handlers, kept, methods: () => others().map((c) => c.method) };
}

/** A call the test drives, from a caller named in plain text unless the test says otherwise. */
const fakeCall = (direction: PhoneCall['direction'], user: string, o: FakeCallOptions = {}): FakeCall => fakePhoneCall(direction, user, { displayName: '홍길동', ...o });

/** The desk's stores wired together as main.tsx wires them, with a phone, a core and time the test drives. */
function desk() {
  const time = manualClock(START);
  const core = fakeCore();
  const storage: ConsultationDeps['storage'] = { getItem: () => null, removeItem: () => {} };
  const agent = createAgentStateStore({ now: time.now, timers: time.timers });
  let events: PhoneEvents | null = null;
  const placed: FakeCall[] = [];
  const phone = createPhoneStore({
    startPhone: (_account, e) => {
      events = e;
      return {
        call: (target) => {
          const c = fakeCall('outgoing', target, { displayName: null });
          placed.push(c);
          return c.call;
        },
        reRegister: () => {},
        publishPresence: async () => true,
        stop: () => {},
      };
    },
    takesCalls: () => agent.getState().takesCalls(),
    onCallEnded: () => agent.getState().startWrapUp(WRAP_UP_SECONDS),
    autoAnswerSeconds: () => null,
    transferTimeoutSeconds: () => 30,
    now: time.now,
    timers: time.timers,
    monitorQuality: () => () => {},
  });
  const search = createSearchStore(() => core.client);
  let n = 0;
  const consultation = createConsultationStore({
    core: () => core.client,
    now: () => new Date(time.now()),
    newId: () => uuid(++n),
    timers: time.timers,
    storage,
  });
  const work = createWorkStore({
    myCallbacks: async () => ({ callbacks: [offeredCallback] }),
    accept: async () => ({ callback: { ...offeredCallback, state: 'dialling' }, attemptId: 'att-1' }),
    decline: async () => undefined,
    connected: async () => undefined,
    outcome: async () => undefined,
    ask: async () => ({ callback: offeredCallback }),
    cancel: async () => undefined,
    dial: (number) => phone.getState().dial(number),
    timers: time.timers,
  });
  phone.subscribe((s) => work.followCall(s.call));
  const texts = createTextsStore({
    threads: async () => ({ threads: [textThread] }),
    thread: async () => ({ thread: textThread }),
    take: async () => ({ thread: { ...textThread, assignedTo: 'agent1' } }),
    decline: async () => ({ thread: textThread }),
    send: async () => ({ id: uuid(700) }),
    picture: () => Promise.reject(new Error('no pictures here')),
    me: () => 'agent1',
    now: () => new Date(time.now()),
    timers: time.timers,
  });
  followCalls({ phone, search, agent, consultation, work, texts, core: () => core.client });
  phone.getState().useAccount(account);
  (events as PhoneEvents | null)?.onSignalling(true);
  agent.getState().setReady();
  const incoming = (user = CALLER, o: Parameters<typeof fakeCall>[2] = { ivr: '1' }) => {
    const c = fakeCall('incoming', user, o);
    expect((events as PhoneEvents | null)?.onIncoming(c.call)).toBe(true);
    return c;
  };
  /** An answered call from the caller, the pop loaded. */
  const talking = async () => {
    const c = incoming();
    phone.getState().answer();
    c.to('connected');
    await tick();
    return c;
  };
  return { time, core, agent, phone, search, consultation, work, texts, placed, incoming, talking, current: () => consultation.getState().current };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('following the phone', () => {
  it('starts a consultation when a call rings in, then pops the screen and asks the city for the caller’s history', async () => {
    const d = desk();
    d.incoming();
    expect(d.current()).toMatchObject({ id: uuid(1), callerNumber: CALLER, callerName: '홍길동', ivr: '1', phase: 'ringing', callId: d.phone.getState().call?.id });
    expect(d.core.others()).toEqual([
      { method: 'screenPop', params: { number: CALLER, ivr: '1' } },
      { method: 'refreshCaller', params: { number: CALLER } },
    ]);
    await tick();
    // Nothing new from the city: the first pop stands and is not asked for again.
    expect(d.core.methods()).toEqual(['screenPop', 'refreshCaller']);
    expect(d.current()?.pop?.callsLast30Days).toBe(1);
  });

  it('pops again with the city’s consultations merged in when the refresh added some', async () => {
    const d = desk();
    d.core.handlers.refreshCaller = async () => ({ added: 2 });
    d.incoming();
    await tick();
    expect(d.core.others()).toEqual([
      { method: 'screenPop', params: { number: CALLER, ivr: '1' } },
      { method: 'refreshCaller', params: { number: CALLER } },
      { method: 'screenPop', params: { number: CALLER, ivr: '1' } },
    ]);
    expect(d.current()?.pop?.callsLast30Days).toBe(2);
    expect(d.current()?.category).toBe('상수도');
  });

  it('keeps the cached pop when the city cannot be reached', async () => {
    const d = desk();
    d.core.handlers.refreshCaller = () => Promise.reject(new Error('city server unreachable'));
    d.incoming();
    await tick();
    expect(d.core.methods()).toEqual(['screenPop', 'refreshCaller']);
    expect(d.current()).toMatchObject({ popError: null, pop: { callsLast30Days: 1 } });
  });

  it('does not ask the city about a withheld number', async () => {
    const d = desk();
    d.incoming('', { ivr: null, displayName: null });
    await tick();
    expect(d.core.others()).toEqual([{ method: 'screenPop', params: { number: '' } }]);
    expect(d.current()).toMatchObject({ callerNumber: '', callerName: null, ivr: null });
  });

  it('is talking once the call is answered, and wraps up when it ends', async () => {
    const d = desk();
    const c = await d.talking();
    expect(d.current()?.phase).toBe('talking');
    d.time.advance(95_000);
    c.to('ended', 'Terminated');
    expect(d.current()).toMatchObject({ id: uuid(1), phase: 'wrap-up', endedAt: '2025-06-02T00:31:35.000Z' });
    expect(d.agent.getState().state.kind).toBe('wrap-up');
  });

  it('leaves nothing of a call that was never answered', async () => {
    const d = desk();
    const c = d.incoming();
    expect(d.current()).not.toBeNull();
    c.to('ended', 'Canceled');
    expect(d.current()).toBeNull();
    await tick();
    expect(d.current()).toBeNull();
    expect(d.consultation.getState().drafts).toEqual([]);
    expect(d.agent.getState().state.kind).toBe('ready');
  });

  it('starts nothing for the agent’s own outgoing calls', async () => {
    const d = desk();
    d.phone.getState().dial('3511');
    const out = d.placed[0] as FakeCall;
    out.to('connected');
    out.to('ended');
    await tick();
    expect(d.current()).toBeNull();
    expect(d.core.others()).toEqual([]);
  });

  it('starts the consultation of a callback the agent took as it dials, and names the callback in its record', async () => {
    const d = desk();
    await d.work.getState().accept(offeredCallback.id);
    expect(d.current()).toMatchObject({ callerNumber: '01044440001', phase: 'ringing', callbackId: offeredCallback.id, callId: null });
    expect(d.core.others()).toEqual([
      { method: 'screenPop', params: { number: '01044440001' } },
      { method: 'refreshCaller', params: { number: '01044440001' } },
    ]);
    const out = d.placed[0] as FakeCall;
    out.to('connected');
    out.to('ended');
    await tick();
    const c = d.current() as NonNullable<ReturnType<typeof d.current>>;
    expect(c.phase).toBe('wrap-up');
    expect(recordOf(c, new Date(START).toISOString()).callbackId).toBe(offeredCallback.id);
  });

  it('leaves nothing of a callback whose citizen did not answer', async () => {
    const d = desk();
    await d.work.getState().accept(offeredCallback.id);
    (d.placed[0] as FakeCall).to('ended');
    await tick();
    expect(d.current()).toBeNull();
  });

  it('continues the consultation when a transferred call takes the caller’s place', async () => {
    const d = desk();
    await d.talking();
    const replacing = d.incoming('3511', { replacing: true });
    replacing.to('connected');
    await tick();
    expect(d.current()).toMatchObject({ id: uuid(1), callerNumber: CALLER, phase: 'talking' });
    expect(d.core.methods().filter((m) => m === 'screenPop')).toHaveLength(1);
  });

  it('starts the consultation of a text thread the agent took, and files it as a text that closes the thread', async () => {
    const d = desk();
    await d.texts.getState().take(textThread.id);
    expect(d.current()).toMatchObject({ callerNumber: '01055502010', phase: 'talking', threadId: textThread.id, callId: null });
    // The citizen's words since the last reply find the entries the pop suggests first.
    expect(d.core.others()[0]).toEqual({ method: 'screenPop', params: { number: '01055502010', text: '단수 예정 지역이\n어디인가요?' } });
    d.consultation.getState().ended(true);
    const c = d.current() as NonNullable<ReturnType<typeof d.current>>;
    expect(recordOf(c, new Date(START).toISOString())).toMatchObject({ channel: 'text', threadId: textThread.id, callerNumber: '01055502010' });
  });

  it('follows another thread asked to be wrapped up: the conversation on screen is kept as a draft, not lost', async () => {
    const d = desk();
    await d.texts.getState().take(textThread.id);
    const first = d.current()?.id;
    d.texts.getState().follow({ ...textThread, id: 'thread-2', number: '+821055502020', messages: [] });
    expect(d.current()).toMatchObject({ threadId: 'thread-2', callerNumber: '01055502020', phase: 'talking' });
    await tick();
    expect(d.consultation.getState().drafts).toEqual([expect.objectContaining({ id: first, threadId: textThread.id, phase: 'wrap-up' })]);
  });

  it('sets a text conversation aside, wrapped up, when a call rings, and starts the call’s', async () => {
    const d = desk();
    await d.texts.getState().take(textThread.id);
    const text = d.current()?.id;
    d.incoming();
    expect(d.current()).toMatchObject({ callerNumber: CALLER, phase: 'ringing', threadId: null });
    await tick();
    expect(d.consultation.getState().drafts).toEqual([expect.objectContaining({ id: text, threadId: textThread.id, phase: 'wrap-up', status: 'kept' })]);
  });

  it('starts a new consultation for the next call after a wrap-up', async () => {
    const d = desk();
    const first = await d.talking();
    first.to('ended');
    d.phone.getState().dismiss();
    d.agent.getState().setReady();
    await tick();
    d.incoming('0215551234');
    expect(d.current()).toMatchObject({ id: uuid(2), callerNumber: '0215551234', phase: 'ringing' });
  });
});

describe('following the desk', () => {
  it('links an entry the agent opens during the call', async () => {
    const d = desk();
    await d.talking();
    d.search.getState().openEntry('water-leak-01');
    await tick();
    d.search.getState().openEntry('sewer-05');
    await tick();
    expect(d.current()?.manualIds).toEqual(['water-leak-01', 'sewer-05']);
    d.search.getState().close();
    d.search.getState().openEntry('water-leak-01');
    await tick();
    expect(d.current()?.manualIds).toEqual(['water-leak-01', 'sewer-05']);
  });

  it('links nothing when no call is at hand', async () => {
    const d = desk();
    d.search.getState().openEntry('water-leak-01');
    await tick();
    expect(d.search.getState().open?.id).toBe('water-leak-01');
    d.incoming();
    expect(d.current()?.manualIds).toEqual([]);
  });

  it('notes a blind transfer as the call’s outcome once the other party took the caller, and files it with the target', async () => {
    const d = desk();
    const c = await d.talking();
    d.phone.getState().blindTransfer('3511');
    expect(d.phone.getState().transfer).toEqual({ kind: 'blind', target: '3511', state: 'pending' });
    // Asked for is not done: the record says nothing of it yet.
    expect(d.current()).toMatchObject({ outcome: 'answered', transferredTo: null, phase: 'talking' });
    c.transferResult('accepted');
    expect(d.current()).toMatchObject({ outcome: 'transferred', transferredTo: '3511' });
    expect(c.asked).toContain('hangup');
    c.to('ended');
    expect(d.current()?.phase).toBe('wrap-up');
    d.consultation.getState().setNotes('누수 담당 연결');
    expect(await d.consultation.getState().save()).toBe(true);
    expect(d.core.others().find((x) => x.method === 'saveRecord')?.params).toMatchObject({ outcome: 'transferred', notes: '[호전환: 3511] 누수 담당 연결', category: '상수도/누수' });
  });

  it('files a failed transfer as what happened: answered, with no transfer noted', async () => {
    const d = desk();
    const c = await d.talking();
    d.phone.getState().blindTransfer('3511');
    c.transferResult('failed');
    expect(d.phone.getState().transfer).toMatchObject({ state: 'failed' });
    c.to('ended');
    d.consultation.getState().setCategory('상수도', '누수');
    expect(await d.consultation.getState().save()).toBe(true);
    const record = d.core.others().find((x) => x.method === 'saveRecord')?.params as { outcome: string; notes: string };
    expect(record.outcome).toBe('answered');
    expect(record.notes).not.toContain('호전환');
  });

  it('keeps the wrap-up as a draft when the wrap-up time runs out', async () => {
    const d = desk();
    const c = await d.talking();
    d.consultation.getState().setNotes('회신 번호 010-9876-5432');
    c.to('ended');
    d.time.advance(WRAP_UP_SECONDS * 1000 - 1);
    expect(d.current()?.phase).toBe('wrap-up');
    d.time.advance(1);
    expect(d.agent.getState().state.kind).toBe('ready');
    expect(d.current()).toBeNull();
    await tick();
    expect(d.consultation.getState().drafts).toMatchObject([{ id: uuid(1), notes: '회신 번호 ***-****-****', status: 'kept' }]);
    expect(d.core.kept.get(uuid(1))).toMatchObject({ status: 'kept', notes: '회신 번호 ***-****-****' });
  });

  it('keeps nothing as a draft once the wrap-up was saved in time', async () => {
    const d = desk();
    const c = await d.talking();
    c.to('ended');
    expect(await d.consultation.getState().save()).toBe(true);
    d.time.advance(WRAP_UP_SECONDS * 1000);
    await tick();
    expect(d.agent.getState().state.kind).toBe('ready');
    expect(d.consultation.getState().drafts).toEqual([]);
    expect(d.core.kept.size).toBe(0);
  });
});
