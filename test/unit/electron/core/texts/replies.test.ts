import { describe, expect, it } from 'vitest';
import { withPendingReplies } from '../../../../../electron/core/texts/pending-replies';
import type { TextThread } from '../../../../../shared/text-inquiry';
import { testCore } from '../../../../helpers/core';
import { tempCacheFile } from '../../../../helpers/temp-db';

const PHONE = { areaCode: '054', region: 'KR' as const };
const AT = '2026-12-07T01:00:00.000Z';

const thread: TextThread = {
  id: 'th-1',
  number: '+821055502010',
  state: 'open',
  openedAt: AT,
  lastInAt: AT,
  firstResponseDue: AT,
  firstResponseAt: AT,
  assignedTo: 'agent1',
  offeredTo: null,
  offerUntil: null,
  closedAt: null,
  preview: '',
  messages: [{ id: 'r-1', direction: 'out', body: '먼저 보낸 답', kind: 'sms', at: AT, agent: 'agent1', delivery: 'delivered', deliveryAt: AT, error: null, media: [] }],
};

describe('a thread with the replies still on the desk', () => {
  it('adds this thread’s lines the city has not got, pending and masked; a line the city has shows as the city has it', () => {
    const lines = [
      { id: 'r-1', threadId: 'th-1', text: '먼저 보낸 답', at: AT },
      { id: 'r-2', threadId: 'th-1', text: `주민번호 900101-1234567 확인했습니다. ${'가'.repeat(50)}`, at: AT },
      { id: 'r-3', threadId: 'th-2', text: '다른 민원인', at: AT },
    ];
    const t = withPendingReplies(thread, lines, { agent: 'agent1', phone: PHONE });
    expect(t.messages?.map((m) => [m.id, m.delivery])).toEqual([
      ['r-1', 'delivered'],
      ['r-2', 'pending'],
    ]);
    const pending = t.messages?.[1];
    expect(pending).toMatchObject({ direction: 'out', agent: 'agent1', kind: 'lms' });
    expect(pending?.body).not.toContain('1234567');
  });
});

describe('the core’s sendReply', () => {
  it('refuses what no carrier takes, keeping nothing, and keeps a sendable reply for the outbox', async () => {
    const core = testCore(tempCacheFile('replies'), 'http://127.0.0.1:9');
    try {
      const send = (text: string) => core.handlers.sendReply({ threadId: 'th-1', text });
      await expect(Promise.resolve().then(() => send(`${'가'.repeat(1000)}a`))).rejects.toThrow('over 2000 bytes (2001): longer than an LMS');
      await expect(Promise.resolve().then(() => send('감사합니다 👍'))).rejects.toThrow('characters the carriers cannot send: 👍');
      expect(await send('네, 맞습니다.')).toMatchObject({ pending: 1 });
    } finally {
      await core.close();
    }
  });
});
