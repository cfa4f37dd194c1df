import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { CallCard } from './CallCard';
import type { PhoneStore } from './phone-store';
import { shortcutFor } from './shortcuts';

export interface PhonePanelProps {
  store: PhoneStore;
  /** The call output device (the headset) for the other party's voice. */
  callSink: string;
  applySink: (el: HTMLAudioElement, id: string) => Promise<boolean>;
  /** The number in the dial field at first (the practice phone's representative number). */
  initialTarget?: string;
  /** Extra SIP headers for each call placed from the dial field. */
  dialHeaders?: () => string[];
  children?: React.ReactNode;
}

/** Dial, and the call with every action a labelled button and a function key. */
export function PhonePanel({ store, callSink, applySink, initialTarget = '', dialHeaders, children }: PhonePanelProps) {
  const { t } = useTranslation();
  const s = useStore(store);
  const [target, setTarget] = useState(initialTarget);
  const transferInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      const phone = store.getState();
      if (action === 'answer') phone.answer();
      else if (action === 'hangup') phone.hangup();
      else if (action === 'hold') phone.toggleHold();
      else if (action === 'mute') phone.toggleMute();
      else transferInput.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
  const busy = !!s.call && s.call.state !== 'ended';
  return (
    <section className="phone-panel" aria-label={t('phone.panel')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          s.dial(target, dialHeaders?.());
        }}
      >
        {children}
        <input aria-label={t('phone.number')} value={target} inputMode="tel" onChange={(e) => setTarget(e.target.value)} />
        <button type="submit" disabled={busy}>
          {t('phone.dial')}
        </button>
      </form>
      {busy && !s.signalling && (
        <p className="degraded" role="alert">
          {t('phone.degraded')}
        </p>
      )}
      {s.call && <CallCard call={s.call} phone={s} sinkId={callSink} applySink={applySink} transferInput={transferInput} />}
      {s.consult && <CallCard call={s.consult} consult phone={s} sinkId={callSink} applySink={applySink} />}
    </section>
  );
}
