import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../../server/http/signed-request';
import { textThreadSchema, type TextThread } from '../../../shared/text-inquiry';
import { call, login, openAroundTheClock } from '../../helpers/http';
import { freePort } from '../../helpers/ports';
import { startCarrierProcess, type CarrierProcess, type CityServerProcess } from '../../helpers/processes';
import { serverStores, startDemoCity } from '../../helpers/server-stores';
import { draft } from '../../helpers/records';
import { waitFor } from '../../helpers/wait';

// Text inquiries through the city server's API (issue 20), with the carrier's stand-in as its own
// process: the gateway posts citizens' texts (signed), each becomes one thread per citizen,
// offered to a ready agent; the reply goes to the carrier once and its receipt comes back; the
// wrap-up closes the thread.

const stores = serverStores();
const SECRET = 'sms-gateway-secret-for-the-tests-0123';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

interface SentText {
  ref: string;
  to: string;
  kind: string;
  text: string;
  from: string;
}

describe.each(stores.names)('text inquiries (city server on $name)', ({ name }) => {
  let server: CityServerProcess;
  let carrier: CarrierProcess;
  let lead: string;
  let agent1: string;
  let agent2: string;

  beforeAll(async () => {
    const port = await freePort();
    carrier = await startCarrierProcess(`http://127.0.0.1:${port}`, SECRET, { receiptDelayMs: 100 });
    const city = await startDemoCity(stores, name, 'texts', { smsSecret: SECRET, smsCarrier: carrier.url, port });
    server = city.server;
    lead = city.lead;
    agent1 = city.agent;
    agent2 = await login(server.url, 'agent2', 'agent2');
    await openAroundTheClock(server.url, lead);
    await put('smsHours', { from: '00:00', to: '24:00' });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await carrier?.stop();
  });

  const put = async (key: string, value: unknown) => expect((await call(server.url, lead, `/api/settings/${key}`, { method: 'PUT', body: JSON.stringify(value) })).status).toBe(200);
  const inbound = (body: Record<string, unknown>, o: { secret?: string; at?: Date; raw?: string; headers?: Record<string, string> } = {}) => {
    const raw = o.raw ?? JSON.stringify({ messageId: randomUUID(), receivedAt: new Date().toISOString(), ...body });
    return fetch(`${server.url}/api/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-minwon-signature': signBody(o.secret ?? SECRET, raw, o.at ?? new Date()), ...o.headers },
      body: raw,
    });
  };
  const presence = (token: string, state: string) => call(server.url, token, '/api/presence', { method: 'PUT', body: JSON.stringify({ state, reason: state === 'not-ready' ? 'meal' : null }) });
  const post = (token: string, path: string, body: unknown = {}) => call(server.url, token, path, { method: 'POST', body: JSON.stringify(body) });
  const threads = async (token: string, query = '') => ((await call(server.url, token, `/api/sms/threads${query}`)).body as { threads: TextThread[] }).threads;
  const thread = async (token: string, id: string) => textThreadSchema.parse(((await call(server.url, token, `/api/sms/threads/${id}`)).body as { thread: unknown }).thread);
  const sent = async () => ((await (await fetch(`${carrier.url}/sent`)).json()) as { messages: SentText[] }).messages;
  const reply = (token: string, threadId: string, text: string, id: string = randomUUID()) => post(token, '/api/sms/replies', { events: [{ id, threadId, text, at: new Date().toISOString() }] });

  it('takes a signed text once per carrier message id, one open thread per citizen, pictures checked by content', async () => {
    await Promise.all([presence(agent1, 'not-ready'), presence(agent2, 'not-ready')]);
    const messageId = `SKT-${randomUUID()}`;
    const first = await inbound({ messageId, from: '010-5550-2001', text: '수도 요금이 너무 많이 나왔어요. 주민번호 900101-1234567' });
    expect(first.status).toBe(200);
    const taken = (await first.json()) as { threadId: string; duplicate: boolean; thread: string };
    expect(taken).toMatchObject({ duplicate: false, thread: 'opened' });
    // The gateway got no answer and sent it again: the same text, once.
    expect(await (await inbound({ messageId, from: '010-5550-2001', text: '수도 요금이 너무 많이 나왔어요. 주민번호 900101-1234567' })).json()).toMatchObject({ threadId: taken.threadId, duplicate: true });
    expect(await (await inbound({ from: '01055502001', text: '사진 보냅니다', media: [{ type: 'image/png', dataBase64: PNG.toString('base64') }] })).json()).toMatchObject({ threadId: taken.threadId, thread: 'joined' });
    const t = await thread(agent1, taken.threadId);
    expect(t).toMatchObject({ number: '+821055502001', state: 'open', assignedTo: null, firstResponseAt: null });
    expect(t.messages?.map((m) => [m.direction, m.kind])).toEqual([['in', 'sms'], ['in', 'mms']]);
    // Stored masked: the resident number never reaches the store.
    expect(t.messages?.[0]?.body).not.toContain('1234567');
    const picture = t.messages?.[1]?.media[0];
    expect(picture).toMatchObject({ type: 'image/png', bytes: PNG.length });
    const img = await fetch(`${server.url}/api/sms/media/${picture?.id}`, { headers: { authorization: `Bearer ${agent1}` } });
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
    // Reading a citizen's thread is on the access log.
    const log = (await call(server.url, lead, '/api/access-log?subject=%2B821055502001')).body as { events: { purpose: string }[] };
    expect(log.events.some((e) => e.purpose === 'text-thread')).toBe(true);
  });

  it('decodes the carrier’s EUC-KR (CP949, its extension syllables too)', async () => {
    const words = '똠방각하 쓔 햏 ― 누수 신고합니다';
    const r = await inbound({ from: '010-5550-2002', encoding: 'EUC-KR', textBase64: iconv.encode(words, 'cp949').toString('base64') });
    expect(r.status).toBe(200);
    const { threadId } = (await r.json()) as { threadId: string };
    expect((await thread(lead, threadId)).messages?.[0]?.body).toBe(words);
  });

  it('refuses bad input with a clear error and stores nothing of it', async () => {
    const body = { messageId: randomUUID(), from: '010-5550-2003', text: '안녕하세요', receivedAt: new Date().toISOString() };
    const raw = JSON.stringify(body);
    const refusal = async (r: Response) => [r.status, ((await r.json()) as { error: string }).error];
    expect(await refusal(await inbound({}, { raw, secret: 'another-secret-0123456789abc' }))).toEqual([401, 'bad-signature']);
    const unsigned = await fetch(`${server.url}/api/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    expect(await refusal(unsigned)).toEqual([401, 'bad-signature']);
    // A request recorded and replayed ten minutes later: outside the signature's window.
    expect(await refusal(await inbound({}, { raw, at: new Date(Date.now() - 10 * 60_000) }))).toEqual([401, 'bad-signature']);
    // Signed over other bytes than sent.
    const tampered = await fetch(`${server.url}/api/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-minwon-signature': signBody(SECRET, raw, new Date()) },
      body: JSON.stringify({ ...body, from: '010-9999-9999' }),
    });
    expect(await refusal(tampered)).toEqual([401, 'bad-signature']);
    expect(await refusal(await inbound({ from: '010-5550-2003', encoding: 'shift_jis', textBase64: 'gqA=' }))).toEqual([415, 'unknown-encoding']);
    expect(await refusal(await inbound({ from: '010-5550-2003', text: '사진', media: [{ type: 'image/png', dataBase64: Buffer.from('<svg onload=alert(1)>').toString('base64') }] }))).toEqual([415, 'unsupported-media']);
    expect(await refusal(await inbound({ from: '010-5550-2003', media: [{ type: 'image/svg+xml', dataBase64: PNG.toString('base64') }] }))).toEqual([415, 'unsupported-media']);
    expect(await refusal(await inbound({ from: '010-5550-2003', text: '' }))).toEqual([400, 'empty']);
    expect(await refusal(await inbound({ from: 'SPAM', text: '광고' }))).toEqual([400, 'invalid-number']);
    expect(await refusal(await inbound({ from: '010-5550-2003', text: 'x'.repeat(2001) }))).toEqual([400, 'invalid']);
    expect(await refusal(await inbound({}, { raw: '{"messageId":' }))).toEqual([400, 'bad-json']);
    // Over the body limit: refused before it is read.
    const huge = JSON.stringify({ ...body, text: '가'.repeat(4 * 1024 * 1024) });
    const big = await fetch(`${server.url}/api/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-minwon-signature': signBody(SECRET, huge, new Date()) }, body: huge }).catch(() => null);
    expect(big === null || big.status === 413).toBe(true);
    expect(await threads(lead, '?number=010-5550-2003')).toEqual([]);
  });

  it('offers a new thread to a ready agent; the reply goes to the carrier once as LMS past 90 bytes, and its receipt shows', async () => {
    const r = (await (await inbound({ from: '010-5550-2010', text: '단수 예정 지역이 어디인가요?' })).json()) as { threadId: string };
    await presence(agent1, 'ready');
    // Offered the thread whose first answer is due soonest: the first test's citizen.
    const offered = await waitFor(() => threads(agent1), (l) => l.some((t) => t.offeredTo === 'agent1'), 5_000);
    expect(offered.filter((t) => t.offeredTo === 'agent1').map((t) => t.number)).toEqual(['+821055502001']);
    // The first agent who answers a thread takes it; another cannot take it then.
    expect((await post(agent1, `/api/sms/threads/${r.threadId}/take`)).status).toBe(200);
    expect((await post(agent2, `/api/sms/threads/${r.threadId}/take`)).status).toBe(409);
    const text = `안녕하세요, 포항시 빨리콜입니다. ${'내일 오전 9시부터 오후 5시까지 북구 일대 단수 예정입니다. '.repeat(2)}`;
    const id = randomUUID();
    expect((await reply(agent1, r.threadId, text, id)).body).toEqual({ stored: 1, refused: [] });
    // The outbox sends the line again (its answer was lost): stored once, sent once.
    expect((await reply(agent1, r.threadId, text, id)).body).toEqual({ stored: 1, refused: [] });
    const out = await waitFor(sent, (l) => l.some((m) => m.to === '+821055502010'), 10_000);
    expect(out.filter((m) => m.to === '+821055502010')).toEqual([expect.objectContaining({ kind: 'lms', from: '0542708282', text })]);
    const delivered = await waitFor(() => thread(agent1, r.threadId), (t) => t.messages?.at(-1)?.delivery === 'delivered', 10_000);
    expect(delivered).toMatchObject({ assignedTo: 'agent1' });
    expect(delivered.firstResponseAt).not.toBeNull();
    expect(delivered.messages?.at(-1)).toMatchObject({ direction: 'out', agent: 'agent1', kind: 'lms' });
    // A short one goes as SMS.
    await reply(agent1, r.threadId, '네, 맞습니다.');
    expect(await waitFor(sent, (l) => l.filter((m) => m.to === '+821055502010').length === 2)).toContainEqual(expect.objectContaining({ kind: 'sms', text: '네, 맞습니다.' }));
    // agent2 may not write into agent1's thread; nobody sends past an LMS or what the carriers cannot send.
    const refused = (await post(agent2, '/api/sms/replies', {
      events: [
        { id: randomUUID(), threadId: r.threadId, text: '제가 답할게요', at: new Date().toISOString() },
        { id: randomUUID(), threadId: r.threadId, text: `${'가'.repeat(1000)}a`, at: new Date().toISOString() },
        { id: randomUUID(), threadId: r.threadId, text: '감사합니다 👍', at: new Date().toISOString() },
        { id: 'not-a-uuid', threadId: r.threadId, text: 'x', at: new Date().toISOString() },
      ],
    })).body as { stored: number; refused: { index: number; reason: string }[] };
    expect(refused.stored).toBe(0);
    expect(refused.refused.map((x) => x.reason)).toEqual(['another agent answers this thread', 'over 2000 bytes (2001): longer than an LMS', 'characters the carriers cannot send: 👍', 'not a reply line']);

    // The wrap-up (channel text) closes the thread; the record keeps the link.
    const now = Date.now();
    const record = draft({ callerNumber: '010-5550-2010', startedAt: new Date(now - 60_000).toISOString(), endedAt: new Date(now).toISOString(), channel: 'text', threadId: r.threadId });
    expect((await post(agent1, '/api/records', { batchKey: randomUUID(), records: [record] })).body).toMatchObject({ accepted: [record.id] });
    expect(await thread(agent1, r.threadId)).toMatchObject({ state: 'closed' });
    // The citizen writes again the same day: the conversation reopens, offered anew.
    expect(await (await inbound({ from: '010-5550-2010', text: '감사합니다' })).json()).toMatchObject({ threadId: r.threadId, thread: 'reopened' });
    expect(await thread(lead, r.threadId)).toMatchObject({ state: 'open', assignedTo: null, firstResponseAt: null });
    await presence(agent1, 'not-ready');
  }, 60_000);

  it('marks a reply the carrier could not deliver', async () => {
    await fetch(`${carrier.url}/control`, { method: 'POST', body: JSON.stringify({ receipt: 'failed' }) });
    try {
      const r = (await (await inbound({ from: '010-5550-2020', text: '문의' })).json()) as { threadId: string };
      expect((await post(agent2, `/api/sms/threads/${r.threadId}/take`)).status).toBe(200);
      await reply(agent2, r.threadId, '답변입니다');
      const failed = await waitFor(() => thread(agent2, r.threadId), (t) => t.messages?.at(-1)?.delivery === 'failed', 10_000);
      expect(failed.messages?.at(-1)?.error).toBe('수신 거부 또는 결번');
    } finally {
      await fetch(`${carrier.url}/control`, { method: 'POST', body: JSON.stringify({ receipt: 'delivered' }) });
    }
  });

  it('takes 1,000 texts in a burst, 10% of them sent twice, from 300 numbers: 300 threads, no text lost or doubled', async () => {
    const numbers = Array.from({ length: 300 }, (_, i) => `010-7${String(i).padStart(3, '0')}-${String(1000 + i)}`);
    // 900 texts, three per number; 100 of them delivered a second time.
    const texts = numbers.flatMap((from, i) => [0, 1, 2].map((k) => ({ messageId: `BURST-${i}-${k}`, from, text: `문의 ${i}-${k}`, receivedAt: new Date().toISOString() })));
    const burst = [...texts, ...texts.filter((_, i) => i % 9 === 4)];
    expect(burst).toHaveLength(1000);
    // Shuffled, so a duplicate may come before its first copy has been answered.
    for (let i = burst.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [burst[i], burst[j]] = [burst[j] as (typeof burst)[number], burst[i] as (typeof burst)[number]];
    }
    const answers: { threadId: string; duplicate: boolean }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < burst.length) {
          const t = burst[next++] as (typeof burst)[number];
          const r = await inbound({}, { raw: JSON.stringify(t) });
          expect(r.status).toBe(200);
          answers.push((await r.json()) as { threadId: string; duplicate: boolean });
        }
      }),
    );
    expect(answers.filter((a) => a.duplicate)).toHaveLength(100);
    const burstThreads = (await threads(lead, '?limit=1000')).filter((t) => t.number.startsWith('+82107'));
    expect(burstThreads).toHaveLength(300);
    expect(new Set(answers.map((a) => a.threadId)).size).toBe(300);
    const bodies = (await Promise.all(burstThreads.map((t) => thread(lead, t.id)))).flatMap((t) => t.messages?.map((m) => m.body) ?? []);
    expect(bodies).toHaveLength(900);
    expect(new Set(bodies)).toEqual(new Set(texts.map((t) => t.text)));
  }, 120_000);
});
