import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { useNow } from '../core/use-now';
import type { PhoneStore } from './phone-store';
import { SHORTCUTS, shortcutFor } from './shortcuts';

/** Plays the other party; the stream comes from the call, the element from here. */
function RemoteAudio({ stream }: { stream: MediaStream | null }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  return <audio ref={ref} autoPlay data-remote-audio />;
}

/** Dial, answer, decline, mute, hold and hang up: every action a labelled button. */
export function PhonePanel({ store }: { store: PhoneStore }) {
  const { t } = useTranslation();
  const s = useStore(store);
  const [target, setTarget] = useState('');
  const call = s.call;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      const phone = store.getState();
      if (action === 'answer') phone.answer();
      else if (action === 'hangup') phone.hangup();
      else if (action === 'hold') phone.toggleHold();
      else phone.toggleMute();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
  const now = useNow(call?.state === 'connected', 1000);
  const seconds = call?.connectedAt ? Math.max(0, Math.floor((now - call.connectedAt) / 1000)) : 0;
  const who = call ? (call.remote.displayName ? `${call.remote.displayName} (${call.remote.user})` : call.remote.user) : '';
  return (
    <section className="phone-panel" aria-label={t('phone.panel')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          s.dial(target);
        }}
      >
        <input aria-label={t('phone.number')} value={target} inputMode="tel" onChange={(e) => setTarget(e.target.value)} />
        <button type="submit" disabled={!!call && call.state !== 'ended'}>
          {t('phone.dial')}
        </button>
      </form>
      {call && (
        <div className={`call call-${call.state}`} role="region" aria-label={t('phone.call')} data-call-state={call.state}>
          <p role="status" aria-live="assertive">
            {t(`phone.callState.${call.state}`, { who })}
            {call.state === 'ended' && call.endReason ? ` (${call.endReason})` : ''}
          </p>
          {call.state === 'connected' && (
            <time className="call-timer" aria-label={t('phone.duration')}>
              {String(Math.floor(seconds / 60)).padStart(2, '0')}:{String(seconds % 60).padStart(2, '0')}
            </time>
          )}
          {call.state === 'ringing' && (
            <>
              <button type="button" aria-keyshortcuts={SHORTCUTS.answer} onClick={() => s.answer()}>
                {t('phone.answer')} ({SHORTCUTS.answer})
              </button>
              <button type="button" aria-keyshortcuts={SHORTCUTS.hangup} onClick={() => s.hangup()}>
                {t('phone.decline')} ({SHORTCUTS.hangup})
              </button>
            </>
          )}
          {(call.state === 'connected' || call.state === 'dialing') && (
            <>
              {call.state === 'connected' && (
                <>
                  <button type="button" aria-pressed={call.muted} aria-keyshortcuts={SHORTCUTS.mute} onClick={() => s.toggleMute()}>
                    {t('phone.mute')} ({SHORTCUTS.mute})
                  </button>
                  <button type="button" aria-pressed={call.held} aria-keyshortcuts={SHORTCUTS.hold} onClick={() => s.toggleHold()}>
                    {t('phone.hold')} ({SHORTCUTS.hold})
                  </button>
                </>
              )}
              <button type="button" aria-keyshortcuts={SHORTCUTS.hangup} onClick={() => s.hangup()}>
                {t('phone.hangup')} ({SHORTCUTS.hangup})
              </button>
            </>
          )}
          {call.state === 'ended' && (
            <button type="button" onClick={() => s.dismiss()}>
              {t('phone.dismiss')}
            </button>
          )}
          <RemoteAudio stream={call.remoteStream} />
        </div>
      )}
    </section>
  );
}
