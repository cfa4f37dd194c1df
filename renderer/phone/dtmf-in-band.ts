import { createDtmfDebouncer, dtmfKeyIn } from '../../shared/dtmf';

// Listens to the far end's audio for key tones: the only way a page learns of a citizen's RFC 4733
// key presses (Chromium plays them out as sound), and of in-band DTMF from an older PBX.

/** The last ~43 ms at 48 kHz, read every 20 ms: windows overlap, so no 40 ms tone slips between reads. */
const WINDOW = 2048;
const EVERY_MS = 20;

/** Calls `onKey` for each key heard in `stream`; returns a stop function. */
export function listenForDtmf(stream: MediaStream, onKey: (key: string) => void): () => void {
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = WINDOW;
  const source = ctx.createMediaStreamSource(stream);
  source.connect(analyser);
  // A call answered without a click (auto-answer) may start the context suspended.
  void ctx.resume().catch(() => undefined);
  const samples = new Float32Array(WINDOW);
  const debounce = createDtmfDebouncer();
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    const key = debounce(dtmfKeyIn(samples, ctx.sampleRate));
    if (key) onKey(key);
  }, EVERY_MS);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void ctx.close();
  };
}
