import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Speech (the desk's recorded warning) is told from the test tones by the energy left in a band
// the tones are outside of: sox band-passes the recording, the frames' RMS is read here.

/** One channel (1 = left) of a WAV, as a mono file beside it (sox). */
export function channelOf(wavPath: string, channel: 1 | 2): string {
  const out = join(mkdtempSync(join(tmpdir(), 'minwon-channel-')), `channel${channel}.wav`);
  execFileSync('sox', [wavPath, '-b', '16', out, 'remix', String(channel)]);
  return out;
}

/** The RMS of each `frameMs` frame of a 16-bit mono WAV after a band-pass of [lo, hi] Hz. */
export function bandTimeline(wavPath: string, lo: number, hi: number, frameMs = 100): number[] {
  const out = join(mkdtempSync(join(tmpdir(), 'minwon-band-')), 'band.wav');
  execFileSync('sox', [wavPath, '-b', '16', out, 'sinc', `${lo}-${hi}`]);
  const wav = readFileSync(out);
  const rate = wav.readUInt32LE(24);
  const channels = wav.readUInt16LE(22);
  if (channels !== 1) throw new Error(`bandTimeline reads mono files (${wavPath} has ${channels} channels)`);
  let at = 12;
  while (at + 8 <= wav.length && wav.toString('latin1', at, at + 4) !== 'data') at += 8 + wav.readUInt32LE(at + 4);
  const data = wav.subarray(at + 8);
  const per = Math.round((rate * frameMs) / 1000);
  const frames: number[] = [];
  for (let f = 0; (f + 1) * per * 2 <= data.length; f++) {
    let sum = 0;
    for (let i = 0; i < per; i++) {
      const s = data.readInt16LE((f * per + i) * 2) / 32768;
      sum += s * s;
    }
    frames.push(Math.sqrt(sum / per));
  }
  return frames;
}

/** Runs of frames above `threshold` (speech) as [startFrame, endFrame) pairs, ignoring runs shorter than `minFrames` and gaps shorter than `bridge`. */
export function runsAbove(levels: readonly number[], threshold: number, minFrames = 10, bridge = 8): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  let quiet = 0;
  levels.forEach((v, i) => {
    if (v > threshold) {
      if (start < 0) start = i;
      quiet = 0;
    } else if (start >= 0 && ++quiet > bridge) {
      runs.push([start, i - quiet + 1]);
      start = -1;
      quiet = 0;
    }
  });
  if (start >= 0) runs.push([start, levels.length - quiet]);
  return runs.filter(([a, b]) => b - a >= minFrames);
}
