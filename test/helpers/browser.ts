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

/** A tone clearly present / absent, in dB at the tone's frequency. */
export const PRESENT = -60;
export const ABSENT = -85;

/** A Chromium process whose microphone plays a sine tone of `hz` (a WAV made with sox in `dir`). */
export async function launchParty(dir: string, hz: number): Promise<Browser> {
  const wav = join(dir, `${hz}.wav`);
  if (!existsSync(wav)) execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', wav, 'synth', '120', 'sine', String(hz), 'vol', '0.5']);
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...BROWSER_ARGS, `--use-file-for-fake-audio-capture=${wav}`] });
}

/** Loudest level (dB) near `hz` in what the page plays from the other party of `selector`'s call. */
export function heard(page: Page, hz: number, selector = '[data-remote-audio]'): Promise<number> {
  return page.evaluate(
    async ({ f, sel }) => {
      const els = [...document.querySelectorAll<HTMLAudioElement>(sel)];
      const streams = els.map((el) => el.srcObject as MediaStream | null).filter((s): s is MediaStream => !!s && s.getAudioTracks().length > 0);
      // On hold the remote track is withdrawn altogether: nothing to hear.
      if (streams.length === 0) return -Infinity;
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0;
      for (const s of streams) ctx.createMediaStreamSource(s).connect(analyser);
      await new Promise((r) => setTimeout(r, 600));
      const bins = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(bins);
      const at = Math.round(f / (ctx.sampleRate / analyser.fftSize));
      let max = -Infinity;
      for (let i = at - 3; i <= at + 3; i++) max = Math.max(max, bins[i] ?? -Infinity);
      await ctx.close();
      return max;
    },
    { f: hz, sel: selector },
  );
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
