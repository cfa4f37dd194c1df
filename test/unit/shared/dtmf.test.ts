import { describe, expect, it } from 'vitest';
import { createDtmfDebouncer, dtmfKeyIn, toneAmplitude } from '../../../shared/dtmf';

const RATE = 48_000;
const WINDOW = 1024;

function tones(freqs: readonly number[], amps: readonly number[], n = WINDOW, rate = RATE, offset = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = (i + offset) / rate;
    out[i] = freqs.reduce((sum, f, k) => sum + (amps[k] as number) * Math.sin(2 * Math.PI * f * t), 0);
  }
  return out;
}

// A deterministic noise source, so a failure reproduces.
function noise(n: number, amp: number, seed = 7): Float32Array {
  let x = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    out[i] = amp * ((x / 2 ** 31) * 2 - 1);
  }
  return out;
}

const PAIRS: Record<string, [number, number]> = {
  '1': [697, 1209], '5': [770, 1336], '9': [852, 1477], '0': [941, 1336], '*': [941, 1209], '#': [941, 1477], D: [941, 1633],
};

describe('dtmfKeyIn', () => {
  it('reads the amplitude of a component', () => {
    expect(toneAmplitude(tones([1000], [0.5]), RATE, 1000)).toBeCloseTo(0.5, 1);
    expect(toneAmplitude(tones([1000], [0.5]), RATE, 1500)).toBeLessThan(0.025);
  });

  it.each(Object.entries(PAIRS))('hears key %s, at 48 kHz and at 8 kHz', (key, [low, high]) => {
    expect(dtmfKeyIn(tones([low, high], [0.2, 0.25]), RATE)).toBe(key);
    expect(dtmfKeyIn(tones([low, high], [0.2, 0.25], 160, 8000), 8000)).toBe(key);
  });

  it('hears a key under line noise, and through a quiet line (-40 dBFS)', () => {
    const signal = tones([770, 1336], [0.2, 0.2]);
    const n = noise(WINDOW, 0.05);
    expect(dtmfKeyIn(signal.map((v, i) => v + (n[i] as number)), RATE)).toBe('5');
    expect(dtmfKeyIn(tones([770, 1336], [0.01, 0.01]), RATE)).toBe('5');
  });

  it('hears nothing in silence, noise, a single tone, a chord of speech-like harmonics, or the agent’s test tones', () => {
    expect(dtmfKeyIn(new Float32Array(WINDOW), RATE)).toBeNull();
    expect(dtmfKeyIn(noise(WINDOW, 0.3), RATE)).toBeNull();
    expect(dtmfKeyIn(tones([770], [0.5]), RATE)).toBeNull();
    expect(dtmfKeyIn(tones([220, 440, 660, 880, 1100, 1320], [0.3, 0.3, 0.2, 0.2, 0.1, 0.1]), RATE)).toBeNull();
    expect(dtmfKeyIn(tones([440, 1000], [0.4, 0.4]), RATE)).toBeNull();
    // Korea's ring-back (440 + 480 Hz) is not a key either.
    expect(dtmfKeyIn(tones([440, 480], [0.3, 0.3]), RATE)).toBeNull();
  });

  it('refuses two tones of a group at once, too much twist, and a pair drowned in other sound', () => {
    expect(dtmfKeyIn(tones([697, 770, 1209], [0.2, 0.2, 0.2]), RATE)).toBeNull();
    expect(dtmfKeyIn(tones([697, 1209], [0.4, 0.05]), RATE)).toBeNull();
    expect(dtmfKeyIn(tones([697, 1209, 300], [0.05, 0.05, 0.5]), RATE)).toBeNull();
  });
});

describe('createDtmfDebouncer', () => {
  // Two windows make a key, three without end it (the desk reads windows closer together and waits for more).
  const run = (readings: (string | null)[]) => {
    const feed = createDtmfDebouncer(2, 3);
    return readings.map(feed).filter(Boolean).join('');
  };

  it('counts a key once it is heard in two windows running, once however long it is held', () => {
    expect(run(['5'])).toBe('');
    expect(run(['5', '5'])).toBe('5');
    expect(run(['5', '5', '5', '5', '5', '5', null, null])).toBe('5');
  });

  it('counts the same key twice when it stops in between, and not for a dropout of a window or two', () => {
    expect(run(['1', '1', null, null, null, '1', '1'])).toBe('11');
    expect(run(['1', '1', null, '1', '1'])).toBe('1');
    expect(run(['1', '1', null, null, '1', '1'])).toBe('1');
  });

  it('reads a run of different keys, also back to back, and ignores a single stray window', () => {
    expect(run(['1', '1', null, null, null, '2', '2', null, null, null, '#', '#'])).toBe('12#');
    expect(run(['1', '1', '2', '2', '2', '2'])).toBe('12');
    expect(run([null, '7', null, null, '3', '3'])).toBe('3');
  });
});
