import { describe, expect, it } from 'vitest';
import type { TextMessage, TextThread } from '../../../../shared/text-inquiry';
import { createTextsStore } from '../../../../renderer/texts/texts-store';
import { manualClock } from '../../../helpers/manual-clock';

const settle = () => new Promise((r) => setTimeout(r, 0));
const NOW = new Date('2026-12-07T01:00:00Z');

const inbound = (id: string, body: string): TextMessage => ({ id, direction: 'in', body, kind: 'sms', at: NOW.toISOString(), agent: null, delivery: null, deliveryAt: null, error: null, media: [] });

const thread = (o: Partial<TextThread> = {}): TextThread => ({
  id: 'th-1',
  number: '+821055502010',
  state: 'open',
  openedAt: NOW.toISOString(),
  lastInAt: NOW.toISOString(),
  firstResponseDue: NOW.toISOString(),
  firstResponseAt: null,
  assignedTo: null,
  offeredTo: 'agent1',
  offerUntil: NOW.toISOString(),
  closedAt: null,
  preview: '문의',
  ...o,
});

function fixture(o: { offline?: () => boolean; sendFails?: string } = {}) {
  const clock = manualClock();
  const log: string[] = [];
  let server = thread({ messages: [inbound('m-1', '단수 예정 지역이'), inbound('m-2', '어디인가요?')] });
  const reachable = () => {
    if (o.offline?.()) throw new Error('city server unreachable: ECONNREFUSED');
  };
  const store = createTextsStore({
    threads: async () => (log.push('list'), reachable(), { threads: [{ ...server, messages: undefined }] as TextThread[] }),
    thread: async (id) => (log.push(`thread ${id}`), reachable(), { thread: server }),
    take: async (id) => {
      log.push(`take ${id}`);
      server = { ...server, assignedTo: 'agent1', offeredTo: null };
      return { thread: { ...server, messages: undefined } as TextThread };
    },
    decline: async (id) => log.push(`decline ${id}`),
    send: async (threadId, text) => {
      log.push(`send ${threadId} ${text}`);
      if (o.sendFails) throw new Error(o.sendFails);
      return { id: 'reply-1' };
    },
    picture: async (id) => (log.push(`picture ${id}`), { type: 'image/png', dataBase64: 'iVBORw0KGgo=' }),
    me: () => 'agent1',
    now: () => NOW,
    timers: clock.timers,
  });
  return { store, log, clock };
}

describe('the texts store', () => {
  it('lists the threads every 2 s while watched, the one on screen with them, and stops when nobody watches', async () => {
    const { store, log, clock } = fixture();
    const stop = store.getState().watch();
    await settle();
    expect(store.getState().threads.map((t) => t.id)).toEqual(['th-1']);
    await store.getState().select('th-1');
    expect(store.getState().selected?.messages).toHaveLength(2);
    log.length = 0;
    clock.advance(2_000);
    await settle();
    expect(log).toEqual(['list', 'thread th-1']);
    stop();
    log.length = 0;
    clock.advance(10_000);
    await settle();
    expect(log).toEqual([]);
  });

  it('takes a thread: the consultation follows it, with the citizen’s words since the last reply', async () => {
    const { store } = fixture();
    await store.getState().take('th-1');
    expect(store.getState().taken).toEqual({ id: 'th-1', number: '+821055502010', seq: 1, question: '단수 예정 지역이\n어디인가요?' });
    expect(store.getState().selected?.assignedTo).toBe('agent1');
    // Taken again (it reopened): a new take, for the consultation to start again.
    await store.getState().take('th-1');
    expect(store.getState().taken?.seq).toBe(2);
  });

  it('shows a reply at once as pending on the desk, even with the city out of reach, and says the list is stale, not that the reply failed', async () => {
    let offline = false;
    const { store } = fixture({ offline: () => offline });
    await store.getState().refresh();
    await store.getState().select('th-1');
    offline = true;
    expect(await store.getState().send('네, 북구 일대입니다.')).toBe(true);
    const last = store.getState().selected?.messages?.at(-1);
    expect(last).toMatchObject({ id: 'reply-1', direction: 'out', body: '네, 북구 일대입니다.', delivery: 'pending', agent: 'agent1', kind: 'sms' });
    expect(store.getState().error).toBeNull();
    expect(store.getState().stale).toMatch(/unreachable/);
    // The first reply to a thread nobody answered takes it.
    expect(store.getState().taken?.id).toBe('th-1');
  });

  it('keeps the text and says why when the desk refuses the reply', async () => {
    const { store } = fixture({ sendFails: 'invalid params: over 2000 bytes (2001): longer than an LMS' });
    await store.getState().refresh();
    await store.getState().select('th-1');
    expect(await store.getState().send('가'.repeat(1001))).toBe(false);
    expect(store.getState().error).toMatch(/over 2000 bytes/);
    expect(store.getState().selected?.messages).toHaveLength(2);
    expect(store.getState().taken).toBeNull();
  });

  it('passes an offer on and loads a picture once, as a data URL', async () => {
    const { store, log } = fixture();
    await store.getState().select('th-1');
    await store.getState().decline('th-1');
    expect(log).toContain('decline th-1');
    expect(store.getState().selected).toBeNull();
    await store.getState().loadPicture('pic-1');
    await store.getState().loadPicture('pic-1');
    expect(log.filter((l) => l === 'picture pic-1')).toHaveLength(1);
    expect(store.getState().pictures['pic-1']).toBe('data:image/png;base64,iVBORw0KGgo=');
  });
});
