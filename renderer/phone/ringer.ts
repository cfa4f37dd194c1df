/** Where the ringer plays; the agent picks it apart from the headset (devices.ts). */
export interface Ringer {
  start(sinkId: string): void;
  setSink(sinkId: string): void;
  stop(): void;
}

// Korea's ringing cadence: 440 + 480 Hz, one second on, two off.
const TONES = [440, 480];
const ON_S = 1;
const PERIOD_S = 3;
const SCHEDULED_S = 600;

/**
 * The ring of an incoming call, generated with WebAudio (no sound file to ship) and played through
 * an audio element, because only an element can be sent to a chosen output device (setSinkId).
 */
export function createRinger(doc: Document, applySink: (el: HTMLAudioElement, sinkId: string) => Promise<boolean>): Ringer {
  const el = doc.createElement('audio');
  el.dataset.ringer = '';
  el.hidden = true;
  doc.body.append(el);
  let ctx: AudioContext | null = null;
  return {
    start(sinkId) {
      if (ctx) return;
      ctx = new AudioContext();
      const gain = ctx.createGain();
      gain.gain.value = 0;
      for (let t = 0; t < SCHEDULED_S; t += PERIOD_S) {
        gain.gain.setValueAtTime(0.2, ctx.currentTime + t);
        gain.gain.setValueAtTime(0, ctx.currentTime + t + ON_S);
      }
      const out = ctx.createMediaStreamDestination();
      for (const hz of TONES) {
        const osc = ctx.createOscillator();
        osc.frequency.value = hz;
        osc.connect(gain);
        osc.start();
      }
      gain.connect(out);
      el.srcObject = out.stream;
      void applySink(el, sinkId).then(() => el.play().catch(() => undefined));
    },
    setSink(sinkId) {
      void applySink(el, sinkId);
    },
    stop() {
      el.pause();
      el.srcObject = null;
      void ctx?.close();
      ctx = null;
    },
  };
}
