import { chromium, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Spawned } from './processes';

// Each party of a call is its own Chromium process with its own fake microphone tone; a WebAudio
// analyser on what a page plays proves who hears whom (../shared/ENVIRONMENT.md).

export const BROWSER_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required', '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/**
 * The parties' tones (Hz), one a party, so that one party's voice never reads as another's:
 * - none is a harmonic of another, nor within 200 Hz of another's harmonics up to the fifth, also
 *   folded at G.711's 4 kHz;
 * - each lies in an Opus (CELT) band of its own with a band between: coding noise spreads within a
 *   band (a 2020 Hz voice read -78 dB at 2370 Hz, in its band: above ABSENT);
 * - the last two, for parties behind the PBX's G.711, repeat every 3 and 5 samples at 8 kHz, so that
 *   A-law's error falls on their own multiples (of 2667 and 1600 Hz) and not on another party's tone;
 * - all lie outside DTMF's 697-1633 Hz (desks and phones listen to calls for keys: two voices mixed
 *   must never make one), away from the ring (440/480 Hz), and 500 Hz apart or more: over 80 of the
 *   analyser's bins (5.4-5.9 Hz: 8192 samples at 44.1-48 kHz).
 */
/** The desk's screen in the tests: the 1920 × 1080 desktop it is laid out for (three panes). */
export const DESK_VIEWPORT = { width: 1920, height: 1080 } as const;

export const TONES = [300, 1850, 8000 / 3, 3200] as const;

/** The tones of the usual cast: two agents' desks, a citizen and a department staff phone. */
export const PARTY_TONE = { agent1: TONES[0], agent2: TONES[1], citizen: TONES[2], staff: TONES[3] } as const;

/**
 * A tone clearly present / absent, in dB at the tone's frequency in heard()'s analyser. Measured: a
 * party's tone (a 0.5 sine, launchParty) arrives at -15 to -40 dB through Opus (lower once the
 * sender's gain control has settled, lowest through the monitoring mix), at -20 dB through G.711, the
 * ring at -28 dB. PRESENT sits 10 dB under the quietest of them, so a tone 40 dB too quiet fails on
 * every path; absent tones read -100 dB or less (codec noise), 15 dB and more under ABSENT.
 */
export const PRESENT = -50;
export const ABSENT = -85;
/** How long a tone must stay under ABSENT to count as absent: one window can fall in a gap of a tone still there. */
const ABSENT_FOR_MS = 1_000;

/** A Chromium process whose microphone plays a sine tone of `hz` (a WAV made with sox in `dir`). */
export async function launchParty(dir: string, hz: number): Promise<Browser> {
  const wav = join(dir, `${hz}.wav`);
  if (!existsSync(wav)) execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', wav, 'synth', '120', 'sine', String(hz), 'vol', '0.5']);
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...BROWSER_ARGS, `--use-file-for-fake-audio-capture=${wav}`] });
}

interface Listening {
  /** The loudest level played so far (dB), over every element and window. */
  loudest: number;
  /** Analyser windows read so far. */
  windows: number;
  windowMs: number;
  onWindow: (() => void) | null;
  stop(): void;
}

type ListeningPage = { __listening?: Map<number, Listening>; __listeningIds?: number };

/**
 * In the page: starts reading, every analyser window (8192 samples, about 0.2 s), the level near
 * `hz` that each `selector` element plays. Returns the id finishListening takes.
 *
 * What an element plays is its stream through the element: silence while it is paused or muted,
 * scaled by its volume. The stream is tapped and the element's state applied to it, because
 * Chromium gives a MediaElementAudioSourceNode only silence for an element playing a MediaStream
 * (srcObject), so WebAudio cannot tap the element's own output.
 */
async function startListening({ hz, selector }: { hz: number; selector: string }): Promise<number> {
  const w = window as unknown as ListeningPage;
  const FFT = 8192;
  const ctx = new AudioContext();
  await ctx.resume();
  // A suspended context reads zeros, which would pass for silence.
  if (ctx.state !== 'running') throw new Error(`the page's audio does not run (${ctx.state})`);
  const taps = new Map<HTMLAudioElement, { stream: MediaStream; source: MediaStreamAudioSourceNode; analyser: AnalyserNode }>();
  const bins = new Float32Array(FFT / 2);
  const at = Math.round(hz / (ctx.sampleRate / FFT));
  /** Taps what each element plays now; returns the taps that have had a full window of it. */
  const tap = () => {
    const ready: { el: HTMLAudioElement; analyser: AnalyserNode }[] = [];
    for (const el of document.querySelectorAll<HTMLAudioElement>(selector)) {
      const stream = el.srcObject instanceof MediaStream && el.srcObject.getAudioTracks().length > 0 ? el.srcObject : null;
      const old = taps.get(el);
      if (old && old.stream === stream) {
        ready.push({ el, analyser: old.analyser });
        continue;
      }
      old?.source.disconnect();
      taps.delete(el);
      // No stream (on hold the remote track is withdrawn altogether): nothing plays.
      if (!stream) continue;
      const analyser = ctx.createAnalyser();
      analyser.fftSize = FFT;
      analyser.smoothingTimeConstant = 0;
      const source = ctx.createMediaStreamSource(stream);
      source.connect(analyser);
      taps.set(el, { stream, source, analyser });
    }
    return ready;
  };
  tap();
  const listening: Listening = {
    loudest: -Infinity,
    windows: 0,
    windowMs: (FFT / ctx.sampleRate) * 1000,
    onWindow: null,
    stop: () => {
      clearInterval(timer);
      void ctx.close();
    },
  };
  const timer = setInterval(() => {
    for (const { el, analyser } of tap()) {
      analyser.getFloatFrequencyData(bins);
      let level = -Infinity;
      for (let i = at - 3; i <= at + 3; i++) level = Math.max(level, bins[i] ?? -Infinity);
      const played = el.paused || el.muted ? -Infinity : level + 20 * Math.log10(el.volume);
      listening.loudest = Math.max(listening.loudest, played);
    }
    listening.windows++;
    listening.onWindow?.();
  }, listening.windowMs);
  const id = (w.__listeningIds = (w.__listeningIds ?? 0) + 1);
  (w.__listening ??= new Map()).set(id, listening);
  return id;
}

/**
 * In the page: once `forMs` of windows are read (or, sooner, once the level passes `present`: more
 * windows cannot change a comparison with either threshold then), stops and returns the loudest level.
 */
async function finishListening({ id, forMs, present }: { id: number; forMs: number; present: number }): Promise<number> {
  const listening = (window as unknown as ListeningPage).__listening?.get(id);
  if (!listening) throw new Error(`no listening ${id}`);
  await new Promise<void>((done) => {
    const check = () => (listening.windows * listening.windowMs >= forMs || listening.loudest > present) && done();
    listening.onWindow = check;
    check();
  });
  listening.stop();
  (window as unknown as ListeningPage).__listening?.delete(id);
  return listening.loudest;
}

/**
 * Loudest level (dB) near `hz` that the page plays from the other party of `selector`'s call, over a
 * second (an ABSENT check needs silence all along), or less once the tone is clearly present.
 */
export async function heard(page: Page, hz: number, selector = '[data-remote-audio]'): Promise<number> {
  const id = await page.evaluate(startListening, { hz, selector });
  return page.evaluate(finishListening, { id, forMs: ABSENT_FOR_MS, present: PRESENT });
}

/** Loudest level (dB) near `hz` that the page played all the while `action` ran, and for a second at least. */
export async function heardWhile(page: Page, hz: number, action: () => Promise<void>, selector = '[data-remote-audio]'): Promise<number> {
  const id = await page.evaluate(startListening, { hz, selector });
  await action();
  return page.evaluate(finishListening, { id, forMs: ABSENT_FOR_MS, present: PRESENT });
}

/** Closes every party's Chromium, then stops the processes (the last in the list first) and the city server. */
export async function stopAll(browsers: readonly Browser[], procs: readonly Spawned[], city: { stop(): Promise<void> }): Promise<void> {
  for (const b of browsers) await b.close();
  for (const p of [...procs].reverse()) {
    p.proc.kill('SIGTERM');
    await p.exited;
  }
  await city.stop();
}

/**
 * A party's phone page in a Chromium of its own (its microphone a tone of `hz`), with `scripts`
 * run in it before the page's own, once its phone has registered (benchmarks' detectors).
 */
export async function openPhonePage(o: { dir: string; browsers: Browser[]; url: string; hz: number; scripts: readonly string[] }): Promise<Page> {
  const browser = await launchParty(o.dir, o.hz);
  o.browsers.push(browser);
  const context = await browser.newContext({ viewport: DESK_VIEWPORT, permissions: ['microphone'] });
  for (const script of o.scripts) await context.addInitScript(script);
  const page = await context.newPage();
  await page.goto(o.url);
  await page.getByRole('status', { name: '전화 상태' }).filter({ hasText: '등록됨' }).waitFor({ timeout: 20_000 });
  return page;
}
