import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useNow } from '../core/use-now';
import type { CallView, PhoneState, TransferView } from './phone-store';
import { SHORTCUTS } from './shortcuts';

/** Plays the other party on the call output device; the stream comes from the call. */
export function RemoteAudio({ stream, sinkId, applySink }: { stream: MediaStream | null; sinkId: string; applySink: (el: HTMLAudioElement, id: string) => Promise<boolean> }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  useEffect(() => {
    if (ref.current) void applySink(ref.current, sinkId);
  }, [sinkId, applySink]);
  return <audio ref={ref} autoPlay data-remote-audio />;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function DialPad({ onKey }: { onKey: (key: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="dialpad" role="group" aria-label={t('phone.dialpad')}>
      {KEYS.map((k) => (
        <button key={k} type="button" aria-label={t('phone.key', { key: k })} onClick={() => onKey(k)}>
          {k}
        </button>
      ))}
    </div>
  );
}

export interface CallCardProps {
  call: CallView;
  /** The consultation leg of an attended transfer. */
  consult?: boolean;
  phone: PhoneState;
  sinkId: string;
  applySink: (el: HTMLAudioElement, id: string) => Promise<boolean>;
  transferInput?: React.RefObject<HTMLInputElement | null>;
}

/** What became of a transfer, in the agent's words. */
function transferText(t: TFunction, transfer: TransferView): string {
  const target = transfer.target;
  if (transfer.state === 'pending') return t('phone.transferPending', { target });
  if (transfer.state === 'declined') return t('phone.consultDeclined', { target, reason: transfer.reason ?? '' });
  if (transfer.state === 'failed') return transfer.reason === 'timeout' ? t('phone.transferTimedOut', { target }) : t('phone.transferFailed', { target });
  return t('phone.consulting', { target });
}

/** One call: who, its state and timer, and every action a labelled button. */
export function CallCard({ call, consult = false, phone, sinkId, applySink, transferInput }: CallCardProps) {
  const { t } = useTranslation();
  const [target, setTarget] = useState('');
  const now = useNow(call.state === 'connected' || call.autoAnswerAt !== null, 500);
  const seconds = call.connectedAt ? Math.max(0, Math.floor((now - call.connectedAt) / 1000)) : 0;
  // Text only: a display name is whatever the caller's network put there.
  const number = call.remote.user || t('consult.withheld');
  const who = call.remote.displayName ? `${call.remote.displayName} (${number})` : number;
  const transfer = phone.transfer;
  const connected = call.state === 'connected';
  // A practice phone's second leg is the call it was transferred to, not a consultation.
  const label = consult ? t(call.referred ? 'phone.referredCall' : 'phone.consultCall') : t('phone.call');
  return (
    <div className={`call call-${call.state}`} role="region" aria-label={label} data-call-state={call.state} data-call-id={call.id} data-held={call.held}>
      <p role="status" aria-live="assertive">
        {t(`phone.callState.${call.state}`, { who })}
        {call.state === 'ended' && call.endReason ? ` (${call.endReason})` : ''}
      </p>
      {call.direction === 'incoming' && call.dialled && !consult && <p className="dialled">{t('phone.viaRepresentative', { number: call.dialled })}</p>}
      {call.handoff && (
        <p className="handoff" role="note">
          {t('phone.handoff', { note: call.handoff })}
        </p>
      )}
      {call.state === 'ringing' && call.autoAnswerAt !== null && (
        <p className="auto-answer">{t('phone.autoAnswer', { seconds: Math.max(0, Math.ceil((call.autoAnswerAt - now) / 1000)) })}</p>
      )}
      {connected && (
        <time className="call-timer" aria-label={t('phone.duration')}>
          {String(Math.floor(seconds / 60)).padStart(2, '0')}:{String(seconds % 60).padStart(2, '0')}
        </time>
      )}
      {connected && call.held && <p className="held">{t('phone.heldLocal')}</p>}
      {connected && call.remoteHeld && <p className="held">{t('phone.heldRemote')}</p>}
      {connected && call.deadAir && (
        <div role="alert" className="dead-air">
          <p>{t('phone.deadAir')}</p>
          {!consult && call.callerNumber && (
            <button type="button" onClick={() => phone.callBack()}>
              {t('phone.callBack', { number: call.callerNumber })}
            </button>
          )}
        </div>
      )}
      {connected && !call.deadAir && call.quality && (
        <p className={`quality quality-${call.quality.level}`} data-quality={call.quality.level}>
          {t(`phone.quality.${call.quality.level}`, {
            mos: call.quality.mos.toFixed(1),
            loss: call.quality.lossPercent.toFixed(1),
            jitter: Math.round(call.quality.jitterMs ?? 0),
            rtt: Math.round(call.quality.rttMs ?? 0),
          })}
        </p>
      )}
      {connected && call.qualityDegraded && <p role="alert">{t('phone.quality.degraded')}</p>}
      {call.state === 'ringing' && (
        <>
          <button type="button" aria-keyshortcuts={SHORTCUTS.answer} onClick={() => phone.answer()}>
            {t('phone.answer')} ({SHORTCUTS.answer})
          </button>
          <button type="button" aria-keyshortcuts={SHORTCUTS.hangup} onClick={() => phone.hangup()}>
            {t('phone.decline')} ({SHORTCUTS.hangup})
          </button>
        </>
      )}
      {connected && !consult && (
        <>
          <button type="button" aria-pressed={call.muted} aria-keyshortcuts={SHORTCUTS.mute} onClick={() => phone.toggleMute()}>
            {t('phone.mute')} ({SHORTCUTS.mute})
          </button>
          <button type="button" aria-pressed={call.held} aria-keyshortcuts={SHORTCUTS.hold} disabled={phone.consult !== null} onClick={() => phone.toggleHold()}>
            {t('phone.hold')} ({SHORTCUTS.hold})
          </button>
        </>
      )}
      {(connected || call.state === 'dialing') && (
        <button type="button" aria-keyshortcuts={consult ? undefined : SHORTCUTS.hangup} onClick={() => (consult ? phone.cancelConsult() : phone.hangup())}>
          {consult ? t(call.referred ? 'phone.hangup' : 'phone.cancelConsult') : `${t('phone.hangup')} (${SHORTCUTS.hangup})`}
        </button>
      )}
      {consult && connected && !call.referred && (
        <button type="button" onClick={() => phone.completeTransfer()}>
          {t('phone.complete')}
        </button>
      )}
      {connected && (
        <>
          <DialPad onKey={(k) => phone.sendDtmf(k)} />
          {call.dtmfSent && (
            <p className="dtmf-sent">
              {t('phone.dtmfSent', { tones: call.dtmfSent })} · {call.dtmfMethod ? t(`phone.dtmfMethod.${call.dtmfMethod}`) : ''}
            </p>
          )}
        </>
      )}
      {call.dtmfReceived && <p className="dtmf-received">{t('phone.dtmfReceived', { tones: call.dtmfReceived })}</p>}
      {connected && !consult && !phone.consult && (
        <form
          className="transfer"
          onSubmit={(e) => {
            e.preventDefault();
            phone.blindTransfer(target);
          }}
        >
          <input ref={transferInput} aria-label={t('phone.transferTarget')} aria-keyshortcuts={SHORTCUTS.transfer} value={target} inputMode="tel" onChange={(e) => setTarget(e.target.value)} />
          <input aria-label={t('phone.handoffNote')} value={phone.transferNote} maxLength={500} onChange={(e) => phone.setTransferNote(e.target.value)} />
          <button type="submit">{t('phone.blindTransfer')}</button>
          <button type="button" onClick={() => phone.startConsult(target)}>
            {t('phone.consult')}
          </button>
        </form>
      )}
      {!consult && phone.notice?.kind === 'no-signalling' && (
        <p role="alert" className="notice">
          {t('phone.noSignalling', { action: t(`phone.actions.${phone.notice.action}`) })}{' '}
          <button type="button" onClick={() => phone.dismissNotice()}>
            {t('phone.dismissNotice')}
          </button>
        </p>
      )}
      {!consult && transfer?.kind === 'blind' && <p role="alert">{transferText(t, transfer)}</p>}
      {!consult && transfer?.kind === 'attended' && transfer.state === 'declined' && <p role="alert">{transferText(t, transfer)}</p>}
      {consult && !call.referred && transfer?.kind === 'attended' && transfer.state !== 'declined' && <p role="status">{transferText(t, transfer)}</p>}
      {call.state === 'ended' && !consult && (
        <button type="button" onClick={() => phone.dismiss()}>
          {t('phone.dismiss')}
        </button>
      )}
      <RemoteAudio stream={call.remoteStream} sinkId={sinkId} applySink={applySink} />
    </div>
  );
}
