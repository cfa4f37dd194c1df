import { maskPersonalData } from '../../../shared/masking';
import type { PhoneContext } from '../../../shared/phone';
import { measureSms } from '../../../shared/sms/sms-bytes';
import type { TextMessage, TextReplyLine, TextThread } from '../../../shared/text-inquiry';

/**
 * The thread as the city has it, with this desk's replies to it that are not with the city yet
 * (the desk is offline, or the outbox has not sent them): the agent sees what they wrote, marked
 * pending, never a gap. A line the city already has is shown as the city has it.
 */
export function withPendingReplies(thread: TextThread, lines: readonly TextReplyLine[], o: { agent: string; phone: PhoneContext }): TextThread {
  const known = new Set(thread.messages?.map((m) => m.id));
  const pending: TextMessage[] = lines
    .filter((l) => l.threadId === thread.id && !known.has(l.id))
    .map((l) => ({
      id: l.id,
      direction: 'out',
      body: maskPersonalData(l.text, o.phone).text,
      kind: measureSms(l.text).kind === 'sms' ? 'sms' : 'lms',
      at: l.at,
      agent: o.agent,
      delivery: 'pending',
      deliveryAt: null,
      error: null,
      media: [],
    }));
  return { ...thread, messages: [...(thread.messages ?? []), ...pending] };
}
