// DTMF heard in audio. A citizen's key presses reach the desk as RFC 4733 events through the
// gateway, and Chromium gives a page no event for those: its jitter buffer plays them out as the
// two-tone sound instead (as it does in-band DTMF from an older PBX). So the desk listens for the
// tones. Pure: samples in, keys out.

const LOW = [697, 770, 852, 941] as const;
const HIGH = [1209, 1336, 1477, 1633] as const;
const KEYS = ['123A', '456B', '789C', '*0#D'] as const;

/** The amplitude of the component at `freq` in `samples` (Goertzel; a full-scale sine reads about 1). */
export function toneAmplitude(samples: ArrayLike<number>, sampleRate: number, freq: number): number {
  const n = samples.length;
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = (samples[i] as number) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(power, 0))) / n;
}

function strongest(samples: ArrayLike<number>, rate: number, freqs: readonly number[]) {
  const amps = freqs.map((f) => toneAmplitude(samples, rate, f));
  const order = amps.map((a, i) => [a, i] as const).sort((a, b) => b[0] - a[0]);
  return { index: order[0]![1], amp: order[0]![0], next: order[1]![0] };
}

// About -46 dBFS: quieter than that is line noise, not a key.
const MIN_AMPLITUDE = 0.005;
// Each tone stands clear of its group's others (by 9.5 dB: a 20 ms window leaks about -14 dB into
// the neighbouring frequency), the two differ by at most 10 dB (twist), and together they carry
// most of the window's energy (speech and music do not).
const CLEAR_OF_GROUP = 3;
const MAX_TWIST = 3.2;
const MIN_SHARE = 0.6;

/** The DTMF key sounding through the whole window (20 ms is enough), or null. */
export function dtmfKeyIn(samples: ArrayLike<number>, sampleRate: number): string | null {
  const low = strongest(samples, sampleRate, LOW);
  const high = strongest(samples, sampleRate, HIGH);
  if (low.amp < MIN_AMPLITUDE || high.amp < MIN_AMPLITUDE) return null;
  if (low.amp < CLEAR_OF_GROUP * low.next || high.amp < CLEAR_OF_GROUP * high.next) return null;
  if (low.amp > MAX_TWIST * high.amp || high.amp > MAX_TWIST * low.amp) return null;
  let energy = 0;
  for (let i = 0; i < samples.length; i++) energy += (samples[i] as number) ** 2;
  energy /= samples.length;
  if ((low.amp ** 2 + high.amp ** 2) / 2 < MIN_SHARE * energy) return null;
  return KEYS[low.index]![high.index]!;
}

/**
 * Turns a key-or-null reading per window into key presses: a key counts once it is heard in
 * `confirm` windows running, and again only after it has stopped for `release` windows (so one
 * long press is one key, and two presses of the same key are two).
 */
export function createDtmfDebouncer(confirm: number, release: number): (heard: string | null) => string | null {
  let down: string | null = null;
  let quiet = 0;
  let candidate: string | null = null;
  let seen = 0;
  return (heard) => {
    if (down !== null) {
      if (heard === down) {
        quiet = 0;
        return null;
      }
      if (++quiet < release) return null;
      down = null;
    }
    if (heard === null) {
      candidate = null;
      seen = 0;
      return null;
    }
    seen = heard === candidate ? seen + 1 : 1;
    candidate = heard;
    if (seen < confirm) return null;
    down = heard;
    quiet = 0;
    candidate = null;
    seen = 0;
    return heard;
  };
}
