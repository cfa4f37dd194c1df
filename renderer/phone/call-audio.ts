import type { Announcement } from '../../shared/recording';
import { createCallMixer, type CallMixer } from './call-mixer';

/** The page's audio for calls: one AudioContext for every call's mix, and the announcements, decoded once. */
export interface CallAudio {
  /** A mixer for one call's outgoing audio, fed by `microphone`. */
  mixer(microphone: MediaStreamTrack): CallMixer;
  /** An announcement, decoded (fetched once; a failed load is tried again on the next call for it). */
  clip(name: Announcement): Promise<AudioBuffer>;
}

export interface CallAudioOptions {
  /** Where each announcement is (the built renderer's asset URLs). */
  urls: Readonly<Record<Announcement, string>>;
  /** The window whose key presses and clicks may start audio the browser held back. */
  win: Pick<Window, 'addEventListener'>;
  load?: (url: string) => Promise<ArrayBuffer>;
  newContext?: () => AudioContext;
}

const fetchBytes = async (url: string): Promise<ArrayBuffer> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
};

/**
 * One context for the page, made at the first call (not at load: a context made before the agent
 * touched the page starts suspended). A browser that still holds it suspended gets it resumed at
 * the agent's next key press or click, which every desk has had (signing in, going ready).
 */
export function createCallAudio(o: CallAudioOptions): CallAudio {
  const load = o.load ?? fetchBytes;
  let ctx: AudioContext | null = null;
  const context = (): AudioContext => {
    if (ctx) return ctx;
    const made = (o.newContext ?? (() => new AudioContext()))();
    ctx = made;
    const wake = () => made.state === 'suspended' && void made.resume().catch(() => undefined);
    for (const type of ['pointerdown', 'keydown'] as const) o.win.addEventListener(type, wake, { capture: true, passive: true });
    return made;
  };
  const clips = new Map<Announcement, Promise<AudioBuffer>>();
  const clip = (name: Announcement) => {
    let p = clips.get(name);
    if (!p) {
      p = load(o.urls[name]).then((bytes) => context().decodeAudioData(bytes));
      // Not cached when it failed (the network, a bad file): the next attempt loads again.
      p.catch(() => clips.delete(name));
      clips.set(name, p);
    }
    return p;
  };
  return {
    mixer(microphone) {
      const c = context();
      if (c.state !== 'running') void c.resume().catch(() => undefined);
      // Decoded while the call sets up: the warning key and the callback's notice play at once.
      for (const name of Object.keys(o.urls) as Announcement[]) void clip(name).catch(() => undefined);
      return createCallMixer(c, microphone);
    },
    clip,
  };
}
