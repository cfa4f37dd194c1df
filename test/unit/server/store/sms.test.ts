import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { upsertEntries } from '../../../../server/store/manual';
import { intakeBatch } from '../../../../server/store/records';
import { putSetting } from '../../../../server/store/settings';
import { CarrierRefused, createSmsSender, listSms, queueSms, queueText, SMS_PER_AGENT_DAY, SMS_PER_NUMBER_DAY, smsText, withinSmsHours } from '../../../../server/store/sms';
import { draft } from '../../../helpers/records';
import type { Db } from '../../../../server/store/sql';
import { storeEngines } from '../../../helpers/store-engines';
import { measureSms } from '../../../../shared/sms/sms-bytes';

const PHONE = { areaCode: '054', region: 'KR' as const };
const NOW = new Date('2026-11-28T01:00:00Z');


async function cityDb(open: () => Promise<Db>) {
  const db = await open();
  (await upsertEntries(
    db,
    [
      { id: 'M-WAT-001', category: '상수도/누수', title: '옥내 누수 확인', body: '계량기를 잠그고 지침이 움직이는지 보세요.' },
      { id: 'M-PAS-001', category: '여권/신규발급', title: '여권 신규 발급', body: '신분증과 사진을 가지고 오세요.' },
    ],
    'test',
    NOW,
  ));
  return db;
}

describe.each(storeEngines())('on $name', ({ open }) => {
  describe('SMS of pinned entries', () => {
    it('queues each pinned entry once for a mobile caller, nothing for a landline, a withheld number or a missing entry', async () => {
      const db = await cityDb(open);
      const id = randomUUID();
      expect(await queueSms(db, { id, agentId: 'agent-1', callerE164: '+821012345678', smsEntryIds: ['M-WAT-001', 'M-WAT-001', 'NOPE', 'M-PAS-001'] }, NOW)).toBe(2);
      expect(await queueSms(db, { id, agentId: 'agent-1', callerE164: '+821012345678', smsEntryIds: ['M-WAT-001'] }, NOW)).toBe(0);
      expect(await queueSms(db, { id: randomUUID(), agentId: 'agent-1', callerE164: '+82542708282', smsEntryIds: ['M-WAT-001'] }, NOW)).toBe(0);
      expect(await queueSms(db, { id: randomUUID(), agentId: 'agent-1', callerE164: null, smsEntryIds: ['M-WAT-001'] }, NOW)).toBe(0);
      const rows = await listSms(db, 10);
      expect(rows.map((r) => [r.entryId, r.recipient, r.status]).sort()).toEqual([
        ['M-PAS-001', '+821012345678', 'queued'],
        ['M-WAT-001', '+821012345678', 'queued'],
      ]);
      expect(rows.find((r) => r.entryId === 'M-WAT-001')?.text).toBe('[민원 안내] 옥내 누수 확인\n계량기를 잠그고 지침이 움직이는지 보세요.');
    });

    it('keeps a message within an LMS’s 2,000 bytes, and in what the carriers can send', async () => {
      const text = smsText('제목', '가'.repeat(2000));
      // The heading is 17 bytes, each 가 two: 1,999 with the ellipsis, the most that fits.
      expect(measureSms(text)).toMatchObject({ bytes: 1999, kind: 'lms', unsendable: [] });
      expect(text.endsWith('…')).toBe(true);
      expect(smsText('누수 💧 안내', '잠그세요 👍')).toBe('[민원 안내] 누수  안내\n잠그세요 ');
    });

    it('keeps a text over the agent’s or the number’s daily quota as refused, with the reason, and never sends it', async () => {
      const db = await cityDb(open);
      // One agent, records for many numbers: the agent's quota.
      for (let i = 0; i < SMS_PER_AGENT_DAY / 2 + 5; i++) {
        await queueSms(db, { id: randomUUID(), agentId: 'agent-1', callerE164: `+82101234${String(i).padStart(4, '0')}`, smsEntryIds: ['M-WAT-001', 'M-PAS-001'] }, NOW);
      }
      const mine = await listSms(db, 1000);
      expect(mine.filter((m) => m.status === 'queued')).toHaveLength(SMS_PER_AGENT_DAY);
      expect(mine.filter((m) => m.status === 'refused').map((m) => m.error)).toEqual(Array(10).fill(`over the agent's ${SMS_PER_AGENT_DAY} texts a day`));
      // Many agents, one number: the number's quota.
      for (let i = 0; i < SMS_PER_NUMBER_DAY; i++) (await queueSms(db, { id: randomUUID(), agentId: `agent-${i + 10}`, callerE164: '+821099998888', smsEntryIds: ['M-WAT-001', 'M-PAS-001'] }, NOW));
      const theirs = (await listSms(db, 1000)).filter((m) => m.recipient === '+821099998888');
      expect(theirs.filter((m) => m.status === 'queued')).toHaveLength(SMS_PER_NUMBER_DAY);
      expect(new Set(theirs.filter((m) => m.status === 'refused').map((m) => m.error))).toEqual(new Set([`over ${SMS_PER_NUMBER_DAY} texts a day to one number`]));
      // A day later the quotas start again.
      const later = new Date(NOW.getTime() + 86_400_001);
      expect(await queueSms(db, { id: randomUUID(), agentId: 'agent-1', callerE164: '+821099998888', smsEntryIds: ['M-WAT-001'] }, later)).toBe(1);
      const sent: string[] = [];
      await createSmsSender({ db, clock: () => NOW, phone: PHONE, carrier: { send: async (m) => (sent.push(m.to), { messageId: m.ref }) } }).flush();
      expect(sent.length).toBeGreaterThan(0);
      expect((await listSms(db, 1000)).filter((m) => m.status === 'refused').every((m) => m.sentAt === null)).toBe(true);
    });

    it('sends only within the city’s hours, Korea time; outside them texts wait queued', async () => {
      expect(withinSmsHours({ from: '08:00', to: '21:00' }, new Date('2026-11-27T23:00:00Z'))).toBe(true); // 08:00 KST
      expect(withinSmsHours({ from: '08:00', to: '21:00' }, new Date('2026-11-27T22:59:00Z'))).toBe(false); // 07:59
      expect(withinSmsHours({ from: '08:00', to: '21:00' }, new Date('2026-11-28T12:00:00Z'))).toBe(false); // 21:00
      expect(withinSmsHours({ from: '22:00', to: '06:00' }, new Date('2026-11-28T16:00:00Z'))).toBe(true); // 01:00, a window past midnight
      const db = await cityDb(open);
      await queueSms(db, { id: randomUUID(), agentId: 'agent-1', callerE164: '+821012345678', smsEntryIds: ['M-WAT-001'] }, NOW);
      await putSetting(db, { key: 'smsHours', value: { from: '12:00', to: '13:00' } });
      const sent: string[] = [];
      const sender = createSmsSender({ db, clock: () => NOW, phone: PHONE, carrier: { send: async (m) => (sent.push(m.to), { messageId: m.ref }) } });
      expect(await sender.flush()).toBe(0);
      expect((await listSms(db, 10))[0]?.status).toBe('queued');
      await putSetting(db, { key: 'smsHours', value: { from: '09:00', to: '18:00' } });
      expect(await sender.flush()).toBe(1);
    });

    it('sends text only: no control characters from a title or body reach the carrier', async () => {
      expect(smsText('제목\r\n\u0000둘째', '본문\u0007\r\n끝')).toBe('[민원 안내] 제목 둘째\n본문\n끝');
    });

    it('keeps a text the carrier refuses for good as refused, with its reason, and sends the ones behind it', async () => {
      const db = await cityDb(open);
      await queueSms(db, { id: randomUUID(), agentId: 'agent-1', callerE164: '+821012345678', smsEntryIds: ['M-WAT-001'] }, NOW);
      await queueSms(db, { id: randomUUID(), agentId: 'agent-1', callerE164: '+821099990000', smsEntryIds: ['M-WAT-001'] }, new Date(NOW.getTime() + 1));
      const sent: string[] = [];
      const carrier = {
        send: async (m: { to: string; ref: string }) => {
          if (m.to === '+821012345678') throw new CarrierRefused('the carrier refused the text: HTTP 400 unknown subscriber');
          sent.push(m.to);
          return { messageId: m.ref };
        },
      };
      expect(await createSmsSender({ db, clock: () => NOW, phone: PHONE, carrier }).flush()).toBe(1);
      expect(sent).toEqual(['+821099990000']);
      expect((await listSms(db, 10)).find((m) => m.recipient === '+821012345678')).toMatchObject({ status: 'refused', error: 'the carrier refused the text: HTTP 400 unknown subscriber' });
    });

    it('queues any text in what the carriers can send: no emoji reaches one, which would refuse the whole text', async () => {
      const db = await cityDb(open);
      expect(await queueText(db, { key: 'res-1', part: 'booked', recipient: '+821012345678', text: '여권 상담 🛂 예약 – 3월 5일', agentId: 'web' }, NOW)).toBe(true);
      const [row] = await listSms(db, 1);
      expect(measureSms(row?.text ?? '').unsendable).toEqual([]);
      expect(row?.text).toBe('여권 상담  예약 - 3월 5일');
    });

    it('comes from record intake: a replayed upload queues nothing twice', async () => {
      const db = await cityDb(open);
      const r = draft({ callerNumber: '010-2345-6789', smsEntryIds: ['M-WAT-001'], startedAt: new Date(NOW.getTime() - 600_000).toISOString(), endedAt: new Date(NOW.getTime() - 300_000).toISOString() });
      const batch = { batchKey: randomUUID(), records: [r] };
      expect((await intakeBatch(db, batch, 'agent-1', PHONE, NOW)).accepted).toEqual([r.id]);
      expect((await intakeBatch(db, batch, 'agent-1', PHONE, NOW)).replayed).toBe(true);
      expect((await intakeBatch(db, { batchKey: randomUUID(), records: [r] }, 'agent-1', PHONE, NOW)).duplicates).toEqual([r.id]);
      expect((await listSms(db, 10)).map((m) => [m.recordId, m.recipient])).toEqual([[r.id, '+821023456789']]);
    });

    it('hands queued messages to the carrier; a carrier failure keeps them queued with the reason, and they go later', async () => {
      const db = await cityDb(open);
      await queueSms(db, { id: randomUUID(), agentId: 'agent-1', callerE164: '+821012345678', smsEntryIds: ['M-WAT-001', 'M-PAS-001'] }, NOW);
      const sent: string[] = [];
      let down = true;
      const sender = createSmsSender({
        db,
        clock: () => NOW,
        phone: PHONE,
        carrier: { send: async (m) => (down ? Promise.reject(new Error('carrier 503')) : (sent.push(`${m.to} ${m.text.split('\n')[0]}`), { messageId: m.ref })) },
      });
      expect(await sender.flush()).toBe(0);
      expect((await listSms(db, 10)).map((m) => [m.status, m.error])).toContainEqual(['queued', 'carrier 503']);
      down = false;
      expect(await sender.flush()).toBe(2);
      expect(sent.sort()).toEqual(['+821012345678 [민원 안내] 여권 신규 발급', '+821012345678 [민원 안내] 옥내 누수 확인']);
      expect((await listSms(db, 10)).every((m) => m.status === 'sent' && m.error === null && m.sentAt === NOW.toISOString())).toBe(true);
      expect(await sender.flush()).toBe(0);
    });
  });
});
