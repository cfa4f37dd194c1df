import type { MethodParams } from '../../shared/contract';
import type { DeskRecording } from '../phone/call-recorder';
import type { ConsultationState } from './consultation-store';

/**
 * Which consultation each SIP call was, as the consultations noted them: the recording of a call
 * ends after its hang-up, when the consultation may already be filed (a quick wrap-up).
 */
export function createCallRecords(limit = 50) {
  const byCall = new Map<string, string>();
  return {
    note(s: Pick<ConsultationState, 'current'>): void {
      for (const id of s.current?.sipCallIds ?? []) {
        if (byCall.get(id) === s.current?.id) continue;
        byCall.set(id, s.current?.id as string);
        if (byCall.size > limit) byCall.delete(byCall.keys().next().value as string);
      }
    },
    recordOf: (sipCallId: string): string | null => byCall.get(sipCallId) ?? null,
  };
}

async function base64Of(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  // In slices: one spread of a few megabytes would overflow the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * Hands a finished desk recording to the core, which keeps it in its sealed cache and uploads it
 * (MethodParams 'saveRecording'). A call nobody filed a consultation for (never answered) has no
 * recording to keep, nor a call never noted (a colleague's). Tried again a few times while the core is out of reach (a restart).
 */
export async function fileRecording(
  r: DeskRecording,
  deps: { recordOf: (sipCallId: string) => string | null; save: (p: MethodParams<'saveRecording'>) => Promise<unknown>; wait: (ms: number) => Promise<void>; tries?: number },
): Promise<boolean> {
  const recordId = deps.recordOf(r.callId);
  if (!recordId || r.audio.size === 0) return false;
  const params: MethodParams<'saveRecording'> = {
    meta: { id: r.id, recordId, callId: r.callId, startedAt: r.startedAt, endedAt: r.endedAt, mediaType: r.mediaType },
    audioBase64: await base64Of(r.audio),
  };
  const tries = deps.tries ?? 5;
  for (let i = 1; ; i++) {
    try {
      await deps.save(params);
      return true;
    } catch (e) {
      if (i >= tries) throw e;
      await deps.wait(2_000 * i);
    }
  }
}
