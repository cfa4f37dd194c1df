import { describe, expect, it } from 'vitest';
import { createCallRecords, fileRecording } from '../../../../renderer/consult/file-recording';
import type { DeskRecording } from '../../../../renderer/phone/call-recorder';
import { presenceOf } from '../../../../renderer/agent/presence';

const recording = (callId: string, bytes = 3000): DeskRecording => ({
  id: '6f1c3a52-0a57-4a3e-9c9b-2b1f3f0b7c11',
  callId,
  startedAt: '2026-12-08T01:00:00.000Z',
  endedAt: '2026-12-08T01:03:00.000Z',
  mediaType: 'audio/webm',
  audio: new Blob([new Uint8Array(bytes).fill(7)]),
});

describe('filing a desk recording', () => {
  it('finds the consultation its call was even after it was filed, and hands the core the audio whole', async () => {
    const calls = createCallRecords();
    calls.note({ current: { id: 'rec-1', sipCallIds: ['call-a'] } as never });
    // The agent filed it and took the next call before the recording ended.
    calls.note({ current: null });
    calls.note({ current: { id: 'rec-2', sipCallIds: ['call-b'] } as never });
    const saved: unknown[] = [];
    expect(await fileRecording(recording('call-a', 100_000), { recordOf: calls.recordOf, save: async (p) => saved.push(p), wait: async () => {} })).toBe(true);
    const p = saved[0] as { meta: { recordId: string; callId: string }; audioBase64: string };
    expect(p.meta).toMatchObject({ recordId: 'rec-1', callId: 'call-a' });
    expect(Buffer.from(p.audioBase64, 'base64')).toEqual(Buffer.alloc(100_000, 7));
    // A call no consultation noted (a colleague's), or an empty recording, is not kept.
    expect(await fileRecording(recording('call-z'), { recordOf: calls.recordOf, save: async (p) => saved.push(p), wait: async () => {} })).toBe(false);
    expect(await fileRecording(recording('call-b', 0), { recordOf: calls.recordOf, save: async (p) => saved.push(p), wait: async () => {} })).toBe(false);
    expect(saved).toHaveLength(1);
  });

  it('tries again while the core is out of reach, then gives up with its error', async () => {
    const calls = createCallRecords();
    calls.note({ current: { id: 'rec-1', sipCallIds: ['call-a'] } as never });
    let failures = 2;
    const waits: number[] = [];
    const save = async () => {
      if (failures-- > 0) throw new Error('core restarting');
    };
    expect(await fileRecording(recording('call-a'), { recordOf: calls.recordOf, save, wait: async (ms) => void waits.push(ms) })).toBe(true);
    expect(waits).toEqual([2000, 4000]);
    await expect(fileRecording(recording('call-a'), { recordOf: calls.recordOf, save: () => Promise.reject(new Error('gone')), wait: async () => {}, tries: 2 })).rejects.toThrow('gone');
  });

  it('tells the board the warnings of the call at hand, and nothing off the phone', () => {
    expect(presenceOf({ kind: 'ready' } as never, true, '상수도/요금', 2)).toEqual({ state: 'on-call', reason: null, category: '상수도/요금', warnings: 2 });
    expect(presenceOf({ kind: 'ready' } as never, true, null, 0)).toEqual({ state: 'on-call', reason: null });
    expect(presenceOf({ kind: 'ready' } as never, false, null, 3)).toEqual({ state: 'ready', reason: null });
  });
});
