import { createDtmfDebouncer, dtmfKeyIn } from '../../shared/dtmf';

// Listens to the far end's audio for key tones: the only way a page learns of RFC 4733 key
// presses (Chromium plays them out as sound, for 30-50 ms each), and of in-band DTMF from an older
// PBX.

/** ~21 ms windows at 48 kHz, one every ~2.7 ms of audio, taken from the last ~43 ms every 20 ms. */
const BUFFER = 2048;
const WINDOW = 1024;
const HOP = 128;
const EVERY_MS = 20;

/** Calls `onKey` for each key heard in `stream`; returns a stop function. */
export function listenForDtmf(stream: MediaStream, onKey: (key: string) => void): () => void {
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = BUFFER;
  const source = ctx.createMediaStreamSource(stream);
  source.connect(analyser);
  // A call answered without a click (auto-answer) may start the context suspended.
  void ctx.resume().catch(() => undefined);
  const samples = new Float32Array(BUFFER);
  // Two windows running (a 24 ms tone: Chromium sometimes plays a key hardly longer) make a key;
  // six without (16 ms) end it, so a dropout inside a key does not count it twice.
  const debounce = createDtmfDebouncer(2, 6);
  let lastEnd = -Infinity;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    // Windows are placed on the audio's own clock, so a late timer skips no audio it still has.
    const end = Math.round(ctx.currentTime * ctx.sampleRate);
    for (let at = Math.max(lastEnd + HOP, end - (BUFFER - WINDOW)); at <= end; at += HOP) {
      const stop = BUFFER - (end - at);
      const key = debounce(dtmfKeyIn(samples.subarray(stop - WINDOW, stop), ctx.sampleRate));
      if (key) onKey(key);
      lastEnd = at;
    }
  }, EVERY_MS);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void ctx.close();
  };
}
