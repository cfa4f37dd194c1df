import { describe, expect, it } from 'vitest';
import { MAX_DESK_RECORDING_BYTES } from '../../../../shared/recording';
import type { CallMixer } from '../../../../renderer/phone/call-mixer';
import { startCallRecorder } from '../../../../renderer/phone/call-recorder';

// The desk's recorder over stand-ins for WebAudio and MediaRecorder: what it connects, what it
// hands over, and the upload limit. (The audio itself is proven in test/e2e/call-audio.spec.ts.)

function graph() {
  const edges: string[] = [];
  const node = (name: string) => ({
    name,
    connect: (to: { name: string }) => void edges.push(`${name}→${to.name}`),
    disconnect: (to?: { name: string }) => void edges.push(`${name}✗${to?.name ?? '*'}`),
  });
  let sources = 0;
  const stopped: string[] = [];
  const ctx = {
    createMediaStreamDestination: () => ({ ...node('recording'), stream: { getTracks: () => [{ stop: () => void stopped.push('recording track') }] } }),
    createMediaStreamSource: () => node(`far${++sources}`),
  };
  const mixer = { context: ctx, sent: node('sent') } as unknown as CallMixer;
  const elements: { srcObject: unknown; muted: boolean; removed: boolean }[] = [];
  const doc = {
    createElement: () => {
      const el = { srcObject: null as unknown, muted: false, hidden: false, removed: false, play: async () => {}, remove: () => void (el.removed = true) };
      elements.push(el);
      return el;
    },
    body: { append: () => {} },
  } as unknown as Document;
  return { edges, mixer, doc, elements, stopped };
}

/** A MediaRecorder the test feeds with chunks. */
function recorderClass() {
  const made: FakeRecorder[] = [];
  class FakeRecorder extends EventTarget {
    static isTypeSupported = (t: string) => t === 'audio/webm;codecs=opus';
    state: 'inactive' | 'recording' = 'inactive';
    timeslice = 0;
    constructor(
      readonly stream: unknown,
      readonly options: MediaRecorderOptions,
    ) {
      super();
      made.push(this);
    }
    start(timeslice: number) {
      this.state = 'recording';
      this.timeslice = timeslice;
    }
    stop() {
      this.state = 'inactive';
      this.chunk(new Blob(['end']));
      this.dispatchEvent(new Event('stop'));
    }
    chunk(data: Blob) {
      this.dispatchEvent(Object.assign(new Event('dataavailable'), { data }));
    }
  }
  return { Recorder: FakeRecorder as unknown as typeof MediaRecorder, made };
}

const times = () => {
  let t = Date.parse('2026-05-04T01:00:00.000Z');
  return () => new Date((t += 1000));
};

describe('the desk’s call recorder', () => {
  it('records the mix sent to the far end and the far end’s audio as Opus in WebM, and hands over one recording', async () => {
    const g = graph();
    const { Recorder, made } = recorderClass();
    const far = { id: 'far' } as unknown as MediaStream;
    const r = startCallRecorder({ mixer: g.mixer, remote: far, callId: 'abc@host', doc: g.doc, now: times(), newId: () => 'id-1', Recorder });
    expect(g.edges).toEqual(['sent→recording', 'far1→recording']);
    expect(made[0]?.options).toEqual({ mimeType: 'audio/webm;codecs=opus', audioBitsPerSecond: 32_000 });
    // The far end's stream plays (muted) in an element of the recorder's own: Chromium feeds WebAudio only then.
    expect(g.elements[0]).toMatchObject({ srcObject: far, muted: true });
    made[0]?.chunk(new Blob(['abc']));
    // A new far-end stream replaces the old one; the same one again changes nothing.
    const far2 = { id: 'far2' } as unknown as MediaStream;
    r.hear(far2);
    r.hear(far2);
    expect(g.edges.slice(2)).toEqual(['far1✗*', 'far2→recording']);
    const [a, b] = await Promise.all([r.stop(), r.stop()]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ id: 'id-1', callId: 'abc@host', startedAt: '2026-05-04T01:00:01.000Z', endedAt: '2026-05-04T01:00:02.000Z', mediaType: 'audio/webm' });
    expect(a?.audio.type).toBe('audio/webm');
    expect(await a?.audio.text()).toBe('abcend');
    // Taken apart: nothing stays connected or playing.
    expect(g.edges).toContain('sent✗recording');
    expect(g.elements[0]).toMatchObject({ srcObject: null, removed: true });
    expect(g.stopped).toEqual(['recording track']);
  });

  it('stops at the upload limit, keeping what it has, and ends when it stopped', async () => {
    const g = graph();
    const { Recorder, made } = recorderClass();
    const r = startCallRecorder({ mixer: g.mixer, remote: null, callId: 'abc@host', doc: g.doc, now: times(), newId: () => 'id-2', Recorder });
    made[0]?.chunk(new Blob([new Uint8Array(MAX_DESK_RECORDING_BYTES)]));
    expect(made[0]?.state).toBe('inactive');
    const rec = await r.stop();
    expect(rec?.endedAt).toBe('2026-05-04T01:00:02.000Z');
    expect(rec?.audio.size).toBe(MAX_DESK_RECORDING_BYTES + 3);
  });
});
