import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { PhoneOutgoing } from 'lucide-react';
import { BarPopover } from './BarPopover';
import { CallCard } from './CallCard';
import type { PhoneStore } from './phone-store';
import { shortcutFor, useKeymap } from './shortcuts';

export interface PhonePanelProps {
  store: PhoneStore;
  /** The call output device (the headset) for the other party's voice. */
  callSink: string;
  applySink: (el: HTMLAudioElement, id: string) => Promise<boolean>;
  /** The number in the dial field at first (the practice phone's representative number). */
  initialTarget?: string;
  /** Extra SIP headers for each call placed from the dial field. */
  dialHeaders?: () => string[];
  /** Fields shown before the number (the practice phone's caller id and IVR choice). */
  children?: ReactNode;
  /** 'popover': the desk's call bar, where dialling out is occasional; 'inline': the practice phone. */
  dialer?: 'inline' | 'popover';
  /** F7 and the transfer button: where the desk keeps its transfer form. */
  onTransfer?: () => void;
  /** Whether the function keys act (not on a locked desk). */
  shortcuts?: boolean;
}

function DialForm({ busy, initialTarget, onDial, children }: { busy: boolean; initialTarget: string; onDial: (target: string) => void; children?: ReactNode }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState(initialTarget);
  return (
    <form
      className="dial"
      onSubmit={(e) => {
        e.preventDefault();
        onDial(target);
      }}
    >
      {children}
      <input aria-label={t('phone.number')} placeholder={t('phone.number')} value={target} inputMode="tel" onChange={(e) => setTarget(e.target.value)} />
      <button type="submit" className="primary" disabled={busy}>
        {t('phone.dial')}
      </button>
    </form>
  );
}

/** Dial, and the call with every action a labelled button and a function key. */
export function PhonePanel({ store, callSink, applySink, initialTarget = '', dialHeaders, children, dialer = 'inline', onTransfer, shortcuts = true }: PhonePanelProps) {
  const { t } = useTranslation();
  const s = useStore(store);
  const keymap = useKeymap();
  useEffect(() => {
    if (!shortcuts) return;
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e, keymap);
      // The flag key is the entry pane's.
      if (!action || action === 'flag') return;
      e.preventDefault();
      const phone = store.getState();
      if (action === 'answer') phone.answer();
      else if (action === 'hangup') phone.hangup();
      else if (action === 'hold') phone.toggleHold();
      else if (action === 'mute') phone.toggleMute();
      else if (action === 'warn') phone.warn();
      else if (phone.call?.state === 'connected') onTransfer?.();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, onTransfer, shortcuts, keymap]);
  const busy = !!s.call && s.call.state !== 'ended';
  const dial = (target: string) => s.dial(target, dialHeaders?.());
  return (
    <section className="phone-panel" aria-label={t('phone.panel')}>
      {dialer === 'inline' ? (
        <DialForm busy={busy} initialTarget={initialTarget} onDial={dial}>
          {children}
        </DialForm>
      ) : (
        !busy && (
          <BarPopover icon={<PhoneOutgoing aria-hidden size={18} />} label={t('phone.newCall')} placement="bottom start">
            {(close) => (
              <DialForm
                busy={busy}
                initialTarget={initialTarget}
                onDial={(target) => {
                  dial(target);
                  close();
                }}
              />
            )}
          </BarPopover>
        )
      )}
      {busy && !s.signalling && (
        <p className="degraded" role="alert">
          {t('phone.degraded')}
        </p>
      )}
      {s.call && <CallCard call={s.call} phone={s} sinkId={callSink} applySink={applySink} onTransfer={onTransfer} />}
      {s.consult && <CallCard call={s.consult} consult phone={s} sinkId={callSink} applySink={applySink} />}
    </section>
  );
}
