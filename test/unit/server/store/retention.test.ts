import { randomUUID } from 'node:crypto';
import { noteTerms } from '../../../../shared/analytics';
import { seoulDay } from '../../../../shared/seoul-time';
import { describe, expect, it } from 'vitest';
import { upsertEntries } from '../../../../server/store/manual';
import { intakeBatch } from '../../../../server/store/records';
import { takeMisses } from '../../../../server/store/knowledge-gaps';
import { listPurges, purgeExpired } from '../../../../server/store/retention';
import { maskPersonalData } from '../../../../shared/masking';
import { putSetting } from '../../../../server/store/settings';
import { listSms } from '../../../../server/store/sms';
import { closeThread, takeInbound } from '../../../../server/store/text-threads';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { draft } from '../../../helpers/records';
import { storeEngines } from '../../../helpers/store-engines';

const PHONE = { areaCode: '054', region: 'KR' as const };
const DAY = 86_400_000;
const T0 = new Date('2026-01-10T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

describe.each(storeEngines())('on $name', ({ open }) => {
  describe('retention', () => {
    it('purges records and their texts older than the city keeps, with tombstones for desks and the purge on the record', async () => {
      const db = await open();
      await putSetting(db, { key: 'retentionDays', value: 30 });
      await upsertEntries(db, [{ id: 'M-1', category: '상수도/누수', title: '누수', body: '본문' }], 'test', T0);
      const old = draft({ callerNumber: '010-1111-2222', startedAt: at(-2 * DAY), endedAt: at(-2 * DAY + 60_000), smsEntryIds: ['M-1'] });
      const withheld = draft({ callerNumber: 'anonymous', startedAt: at(-2 * DAY), endedAt: at(-2 * DAY + 60_000) });
      const recent = draft({ callerNumber: '010-1111-2222', startedAt: at(25 * DAY), endedAt: at(25 * DAY + 60_000) });
      await intakeBatch(db, { batchKey: randomUUID(), records: [old, withheld] }, 'agent-1', PHONE, T0);
      await intakeBatch(db, { batchKey: randomUUID(), records: [recent] }, 'agent-1', PHONE, new Date(T0.getTime() + 26 * DAY));
      const later = new Date(T0.getTime() + 40 * DAY);
      const oldDay = seoulDay(new Date(old.startedAt)).day;
      // Both old records' notes hold the same words, on one day: a row of the analysis per word.
      expect(await purgeExpired(db, later)).toEqual({ cutoff: new Date(later.getTime() - 30 * DAY).toISOString(), records: 2, texts: 1, threads: 0, searches: 0, noteTerms: noteTerms(old.notes).length });
      expect(await db.all('SELECT id FROM records')).toEqual([{ id: recent.id }]);
      // The notes' words go with the records; the counts, which name nobody, stay for the years of the analysis.
      expect(await db.all('SELECT term FROM rollup_terms WHERE day = ?', [oldDay])).toEqual([]);
      expect(await db.get('SELECT SUM(consultations) AS n FROM rollup_days WHERE day = ?', [oldDay])).toEqual({ n: 2 });
      expect(await listSms(db, 10)).toEqual([]);
      // The desks drop the history they had; the withheld record never reached them.
      const history = await db.all<{ key: string; payload: string | null }>("SELECT key, payload FROM changes WHERE kind = 'history'");
      expect(history.filter((c) => c.payload === null).map((c) => c.key)).toEqual([old.id]);
      expect((await listPurges(db, 10)).map((p) => [p.kind, p.count]).sort()).toEqual([
        ['note-terms', noteTerms(old.notes).length],
        ['records', 2],
        ['texts', 1],
      ]);
      // Nothing more to purge: nothing logged.
      expect(await purgeExpired(db, later)).toMatchObject({ records: 0, texts: 0, threads: 0, noteTerms: 0 });
      expect(await listPurges(db, 10)).toHaveLength(3);
    });

    it('purges citizens’ text threads closed before the cutoff, with their messages and pictures; an open one stays', async () => {
      const db = await open();
      await putSetting(db, { key: 'retentionDays', value: 30 });
      const take = (number: string, when: Date) =>
        takeInbound(db, { carrierId: randomUUID(), number, body: '문의', kind: 'mms', receivedAt: when, media: [{ type: 'image/png', bytes: 4, dataBase64: 'iVBORw==' }] }, { now: when, policy: DEFAULT_SETTINGS.texts, hours: DEFAULT_SETTINGS.openingHours });
      const closedOld = await take('+821011110001', T0);
      const openOld = await take('+821011110002', T0);
      const closedRecent = await take('+821011110003', new Date(T0.getTime() + 20 * DAY));
      await closeThread(db, closedOld.threadId, { id: 'lead', lead: true }, T0);
      await closeThread(db, closedRecent.threadId, { id: 'lead', lead: true }, new Date(T0.getTime() + 20 * DAY));
      expect(await purgeExpired(db, new Date(T0.getTime() + 40 * DAY))).toMatchObject({ threads: 1 });
      expect((await db.all<{ id: string }>('SELECT id FROM text_threads ORDER BY id')).map((r) => r.id).sort()).toEqual([openOld.threadId, closedRecent.threadId].sort());
      expect(await db.all('SELECT id FROM text_messages WHERE thread_id = ?', [closedOld.threadId])).toEqual([]);
      expect(await db.all('SELECT id FROM text_media WHERE message_id = ?', [closedOld.messageId])).toEqual([]);
      expect(await db.all('SELECT id FROM text_media')).toHaveLength(2);
      expect((await listPurges(db, 10)).map((p) => [p.kind, p.count])).toEqual([['text-threads', 1]]);
    });

    it('purges the searches that found nothing, masked when stored, once they are older than the city keeps', async () => {
      const db = await open();
      await putSetting(db, { key: 'retentionDays', value: 30 });
      const miss = (query: string, when: number) => ({ id: randomUUID(), query, at: at(when), category: null });
      const mask = (text: string) => maskPersonalData(text, PHONE).text;
      expect(await takeMisses(db, [miss('드론 비행 허가', 0), miss('900101-1234567 등본 재발급', 20 * DAY)], 'agent1', mask)).toEqual({ stored: 2 });
      expect(await db.all<{ query: string }>('SELECT query FROM search_misses ORDER BY at')).toEqual([{ query: '드론 비행 허가' }, { query: expect.not.stringContaining('1234567') }]);
      expect(await purgeExpired(db, new Date(T0.getTime() + 40 * DAY))).toMatchObject({ searches: 1 });
      expect(await db.all('SELECT query FROM search_misses')).toHaveLength(1);
      expect((await listPurges(db, 10)).map((p) => [p.kind, p.count])).toEqual([['search-misses', 1]]);
    });

    it('takes no record older than the city keeps', async () => {
      const db = await open();
      await putSetting(db, { key: 'retentionDays', value: 30 });
      const r = draft({ startedAt: at(-31 * DAY), endedAt: at(-31 * DAY + 60_000) });
      expect((await intakeBatch(db, { batchKey: randomUUID(), records: [r] }, 'agent-1', PHONE, T0)).rejected).toEqual([{ index: 0, id: r.id, reason: 'startedAt is more than 30 days ago' }]);
    });
  });
});
