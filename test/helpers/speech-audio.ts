import type { Page } from '@playwright/test';

// Telling the desk's announcements (recorded speech) from the parties' tones (sines): speech has
// energy all over the voice band, a tone (and what a codec makes of it) in a few places. A
// "speech level" is the mean power of the analyser's bins from 200 Hz to 4 kHz outside a guard
// band around each party's tone: Opus spreads a tone's coding noise within its CELT band, a few
// hundred hertz, and leaves weaker spurs elsewhere (a 300 Hz tone: one at 754 Hz, -74 dB), which
// the mean over some 250 bins drowns, while speech's harmonics fill the band.

/** Speech clearly present / absent, in dB, as speechLevel and the timeline read it. */
export const SPEECH_PRESENT = -65;
export const SPEECH_ABSENT = -80;

/** How far either side of a party's tone the speech measure looks away (Hz). */
export const GUARD_HZ = 600;
const BAND_HZ = [200, 4000] as const;

export interface AudioWindow {
  /** Wall-clock time of the window's end (performance.timeOrigin + performance.now()), ms. */
  at: number;
  /** The level at each tone asked for (dB), in the order asked. */
  tones: number[];
  speech: number;
  /** Where the speech level was read (Hz): for a failure's message. */
  speechHz: number;
}

type TimelinePage = { __timelines?: Map<number, { windows: AudioWindow[]; stop(): void }>; __timelineIds?: number };

/**
 * In the page: every analyser window (4096 samples, about 85 ms), what the `selector` elements play:
 * the level at each of `tones`, and the speech level (mean power) away from `guard` (the tones on the line).
 * Elements that are paused or muted play nothing. Returns the id readTimeline takes.
 */
async function startTimeline({ tones, guard, guardHz, band, selector }: { tones: number[]; guard: number[]; guardHz: number; band: readonly number[]; selector: string }): Promise<number> {
  const w = window as unknown as TimelinePage;
  const FFT = 4096;
  const ctx = new AudioContext();
  await ctx.resume();
  if (ctx.state !== 'running') throw new Error(`the page's audio does not run (${ctx.state})`);
  const binHz = ctx.sampleRate / FFT;
  const bins = new Float32Array(FFT / 2);
  const speechBins: number[] = [];
  for (let i = Math.ceil((band[0] as number) / binHz); i <= Math.floor((band[1] as number) / binHz); i++) if (guard.every((g) => Math.abs(i * binHz - g) > guardHz)) speechBins.push(i);
  const taps = new Map<HTMLAudioElement, { stream: MediaStream; source: MediaStreamAudioSourceNode; analyser: AnalyserNode; age: number }>();
  // A new tap's first windows start from silence: the step reads as sound all over the band.
  const WARM_UP = 4;
  const windows: AudioWindow[] = [];
  const timer = setInterval(() => {
    let speech = -Infinity;
    let speechHz = 0;
    const levels = tones.map(() => -Infinity);
    for (const el of document.querySelectorAll<HTMLAudioElement>(selector)) {
      const stream = el.srcObject instanceof MediaStream && el.srcObject.getAudioTracks().length > 0 ? el.srcObject : null;
      let tap = taps.get(el);
      if (tap && tap.stream !== stream) {
        tap.source.disconnect();
        taps.delete(el);
        tap = undefined;
      }
      if (!stream) continue;
      if (!tap) {
        const analyser = ctx.createAnalyser();
        analyser.fftSize = FFT;
        analyser.smoothingTimeConstant = 0;
        const source = ctx.createMediaStreamSource(stream);
        source.connect(analyser);
        taps.set(el, { stream, source, analyser, age: 0 });
        continue;
      }
      if (++tap.age < WARM_UP || el.paused || el.muted) continue;
      tap.analyser.getFloatFrequencyData(bins);
      const gain = 20 * Math.log10(el.volume);
      let power = 0;
      let peak = -Infinity;
      for (const i of speechBins) {
        const l = (bins[i] ?? -Infinity) + gain;
        power += 10 ** (l / 10);
        if (l > peak) {
          peak = l;
          speechHz = Math.round(i * binHz);
        }
      }
      speech = Math.max(speech, 10 * Math.log10(power / speechBins.length));
      tones.forEach((hz, k) => {
        const at = Math.round(hz / binHz);
        for (let i = at - 2; i <= at + 2; i++) levels[k] = Math.max(levels[k] ?? -Infinity, (bins[i] ?? -Infinity) + gain);
      });
    }
    windows.push({ at: performance.timeOrigin + performance.now(), tones: levels, speech, speechHz });
  }, (FFT / ctx.sampleRate) * 1000);
  const id = (w.__timelineIds = (w.__timelineIds ?? 0) + 1);
  (w.__timelines ??= new Map()).set(id, {
    windows,
    stop: () => {
      clearInterval(timer);
      void ctx.close();
    },
  });
  return id;
}

export interface Timeline {
  /** The windows read since it started. */
  read(): Promise<AudioWindow[]>;
  stop(): Promise<AudioWindow[]>;
}

/** Starts reading what `page` plays from its calls: the level at each of `tones`, and speech away from `guard`. */
export async function timeline(page: Page, o: { tones: readonly number[]; guard: readonly number[]; selector?: string }): Promise<Timeline> {
  const id = await page.evaluate(startTimeline, { tones: [...o.tones], guard: [...o.guard], guardHz: GUARD_HZ, band: BAND_HZ, selector: o.selector ?? '[data-remote-audio]' });
  const read = (stop: boolean) =>
    page.evaluate(
      ({ id, stop }) => {
        const t = (window as unknown as TimelinePage).__timelines?.get(id);
        if (!t) throw new Error(`no timeline ${id}`);
        if (stop) {
          t.stop();
          (window as unknown as TimelinePage).__timelines?.delete(id);
        }
        // Infinity does not survive the trip out of the page.
        return t.windows.map((w) => ({ ...w, tones: w.tones.map((l) => Math.max(l, -200)), speech: Math.max(w.speech, -200) }));
      },
      { id, stop },
    );
  return { read: () => read(false), stop: () => read(true) };
}

/** Windows in a row that make speech: a word lasts longer than a click (a lost packet, a jitter buffer's catch-up) in one window. */
export const SPEECH_WINDOWS = 3;

/** The loudest speech level held over SPEECH_WINDOWS windows in a row (dB). */
export function sustainedSpeech(windows: readonly { speech: number }[]): number {
  let loudest = -200;
  for (let i = 0; i + SPEECH_WINDOWS <= windows.length; i++) loudest = Math.max(loudest, Math.min(...windows.slice(i, i + SPEECH_WINDOWS).map((w) => w.speech)));
  return loudest;
}

/** The speech level (dB, sustained) `page` plays over `ms` (at least a second: an absent check needs silence all along). */
export async function speechLevel(page: Page, guard: readonly number[], ms = 1_000): Promise<number> {
  const t = await timeline(page, { tones: [], guard });
  await new Promise((r) => setTimeout(r, ms));
  return sustainedSpeech(await t.stop());
}

export interface RecordingSummary {
  meta: { id: string; callId: string; startedAt: string; endedAt: string; mediaType: string; type: string; bytes: number };
  /** Decoded length, seconds. */
  seconds: number;
  sampleRate: number;
  /** Per window of 4096 samples: the level at each tone asked for, and the speech level (mean power) away from `guard`. */
  windows: { t: number; tones: number[]; speech: number }[];
}

/**
 * In the page: the desk's recording number `index` (as the test hook window.__minwonRecordings
 * collected it), decoded with OfflineAudioContext.decodeAudioData and read window by window, with
 * the analyser's measure (Blackman window, dB of the bin's magnitude) so levels compare with the live ones.
 */
async function summariseRecording({ index, tones, guard, guardHz, band }: { index: number; tones: number[]; guard: number[]; guardHz: number; band: readonly number[] }): Promise<RecordingSummary> {
  const r = (window as unknown as { __minwonRecordings: { id: string; callId: string; startedAt: string; endedAt: string; mediaType: string; audio: Blob }[] }).__minwonRecordings[index];
  if (!r) throw new Error(`no recording ${index}`);
  const decoded = await new OfflineAudioContext(1, 1, 48_000).decodeAudioData(await r.audio.arrayBuffer());
  const x = decoded.getChannelData(0);
  const N = 4096;
  const win = new Float64Array(N);
  for (let i = 0; i < N; i++) win[i] = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / N) + 0.08 * Math.cos((4 * Math.PI * i) / N);
  const re = new Float64Array(N);
  const im = new Float64Array(N);
  /** In-place radix-2 FFT of re/im. */
  const fft = () => {
    for (let i = 1, j = 0; i < N; i++) {
      let bit = N >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) {
        [re[i], re[j]] = [re[j] as number, re[i] as number];
        [im[i], im[j]] = [im[j] as number, im[i] as number];
      }
    }
    for (let len = 2; len <= N; len <<= 1) {
      const ang = (-2 * Math.PI) / len;
      for (let i = 0; i < N; i += len) {
        for (let k = 0; k < len / 2; k++) {
          const wr = Math.cos(ang * k);
          const wi = Math.sin(ang * k);
          const a = i + k;
          const b = a + len / 2;
          const xr = (re[b] as number) * wr - (im[b] as number) * wi;
          const xi = (re[b] as number) * wi + (im[b] as number) * wr;
          re[b] = (re[a] as number) - xr;
          im[b] = (im[a] as number) - xi;
          re[a] = (re[a] as number) + xr;
          im[a] = (im[a] as number) + xi;
        }
      }
    }
  };
  const binHz = decoded.sampleRate / N;
  const speechBins: number[] = [];
  for (let i = Math.ceil((band[0] as number) / binHz); i <= Math.floor((band[1] as number) / binHz); i++) if (guard.every((g) => Math.abs(i * binHz - g) > guardHz)) speechBins.push(i);
  const db = (i: number) => 20 * Math.log10(Math.hypot(re[i] as number, im[i] as number) / N + 1e-12);
  const windows: RecordingSummary['windows'] = [];
  for (let start = 0; start + N <= x.length; start += N) {
    for (let i = 0; i < N; i++) {
      re[i] = (x[start + i] as number) * (win[i] as number);
      im[i] = 0;
    }
    fft();
    const levels = tones.map((hz) => {
      const at = Math.round(hz / binHz);
      let l = -200;
      for (let i = at - 2; i <= at + 2; i++) l = Math.max(l, db(i));
      return l;
    });
    let power = 0;
    for (const i of speechBins) power += 10 ** (db(i) / 10);
    const speech = 10 * Math.log10(power / speechBins.length + 1e-20);
    windows.push({ t: start / decoded.sampleRate, tones: levels, speech });
  }
  return {
    meta: { id: r.id, callId: r.callId, startedAt: r.startedAt, endedAt: r.endedAt, mediaType: r.mediaType, type: r.audio.type, bytes: r.audio.size },
    seconds: decoded.duration,
    sampleRate: decoded.sampleRate,
    windows,
  };
}

/** The desk's recording number `index` in `page`, decoded and read for `tones` and for speech away from `guard`. */
export function recording(page: Page, index: number, o: { tones: readonly number[]; guard: readonly number[] }): Promise<RecordingSummary> {
  return page.evaluate(summariseRecording, { index, tones: [...o.tones], guard: [...o.guard], guardHz: GUARD_HZ, band: BAND_HZ });
}
