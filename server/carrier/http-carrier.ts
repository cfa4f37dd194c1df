import { z } from 'zod';
import { signBody, SIGNATURE_HEADER } from '../http/signed-request';
import { CarrierRefused, type CarrierMessage, type SmsCarrier } from '../store/sms';

const answerSchema = z.object({ messageId: z.string().min(1).max(100) });

/**
 * The carrier's SMS API over HTTP: `POST <url>/messages` with the message as JSON, signed with the
 * secret shared with the gateway (as the gateway signs what it sends the city). The reference
 * makes a repeated request one text at the carrier (a send whose answer was lost is sent again
 * under the same reference). The README names what a real Korean gateway needs mapped.
 */
export function httpSmsCarrier(o: { url: string; secret: string; clock?: () => Date; timeoutMs?: number }): SmsCarrier {
  const clock = o.clock ?? (() => new Date());
  return {
    async send(m: CarrierMessage) {
      const body = JSON.stringify(m);
      const res = await fetch(new URL('messages', o.url.endsWith('/') ? o.url : `${o.url}/`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(o.secret, body, clock()) },
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      // A 4xx names something wrong with the text itself (but for too many requests): sending it again changes nothing.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new CarrierRefused(`the carrier refused the text: HTTP ${res.status} ${text.slice(0, 200)}`);
      if (!res.ok) throw new Error(`the carrier could not take the text now: HTTP ${res.status} ${text.slice(0, 200)}`);
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON: refused below with what came.
      }
      const answer = answerSchema.safeParse(json);
      if (!answer.success) throw new Error(`the carrier's answer has no message id: ${text.slice(0, 200)}`);
      return { messageId: answer.data.messageId };
    },
  };
}
