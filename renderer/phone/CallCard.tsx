import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Circle, Grid3x3, Pause, Phone, PhoneForwarded, PhoneOff, MicOff } from 'lucide-react';
import { elapsed } from '../core/elapsed';
import { useNow } from '../core/use-now';
import { BarPopover } from './BarPopover';
import { causeKey } from './call-causes';
import { ANNOUNCEMENT_KEY, AnnouncementStatus, CallProtection, WarningCount } from './CallProtection';
import protectionCss from './CallProtection.module.css';
import type { CallView, PhoneState, TransferView } from './phone-store';
import { useKeymap } from './shortcuts';

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

/** The keypad for an IVR or an extension on the far end, in a popover: the call bar stays one line. */
function DialPad({ onKey }: { onKey: (key: string) => void }) {
  const { t } = useTranslation();
  return (
    <BarPopover icon={<Grid3x3 aria-hidden size={18} />} label={t('phone.dialpad')} placement="bottom end">
      {() => (
        <div className="dialpad" role="group" aria-label={t('phone.dialpad')}>
          {KEYS.map((k) => (
            <button key={k} type="button" aria-label={t('phone.key', { key: k })} onClick={() => onKey(k)}>
              {k}
            </button>
          ))}
        </div>
      )}
    </BarPopover>
  );
}

/** When `on` last became true (ms since the epoch), or null while it is false: hold and mute timers. */
function useSince(on: boolean): number | null {
  const [since, setSince] = useState<number | null>(on ? Date.now() : null);
  useEffect(() => setSince(on ? Date.now() : null), [on]);
  return since;
}

export interface CallCardProps {
  call: CallView;
  /** The consultation leg of an attended transfer. */
  consult?: boolean;
  phone: PhoneState;
  sinkId: string;
  applySink: (el: HTMLAudioElement, id: string) => Promise<boolean>;
  /** Opens the transfer form (the directory tab, its target field focused); absent: no transfer from here. */
  onTransfer?: () => void;
}

/** What became of a transfer, in the agent's words. */
function transferText(t: TFunction, transfer: TransferView): string {
  const target = transfer.target;
  if (transfer.state === 'pending') return t('phone.transferPending', { target });
  if (transfer.state === 'declined') return t('phone.consultDeclined', { target, reason: transfer.reason ? t(`phone.causes.${causeKey(transfer.reason)}`) : '' });
  if (transfer.state === 'failed') return transfer.reason === 'timeout' ? t('phone.transferTimedOut', { target }) : t('phone.transferFailed', { target });
  return t('phone.consulting', { target });
}

/** One call: who, its state and timers, and every action a labelled button with its function key. */
export function CallCard({ call, consult = false, phone, sinkId, applySink, onTransfer }: CallCardProps) {
  const { t } = useTranslation();
  const SHORTCUTS = useKeymap();
  const connected = call.state === 'connected';
  const heldSince = useSince(connected && call.held);
  const mutedSince = useSince(connected && call.muted);
  const now = useNow(connected || call.autoAnswerAt !== null, 500);
  // Text only: a display name is whatever the caller's network put there.
  const number = call.remote.user || t('consult.withheld');
  const who = call.remote.displayName ? `${call.remote.displayName} (${number})` : number;
  const transfer = phone.transfer;
  // A practice phone's second leg is the call it was transferred to, not a consultation.
  const label = consult ? t(call.referred ? 'phone.referredCall' : 'phone.consultCall') : t('phone.call');
  // The abusive-caller protocol: the citizen's leg of an agent's desk (null on the practice phone).
  const warningLimit = consult ? null : phone.warningLimit();
  const notice = phone.notice;
  return (
    <div
      className={`call call-${call.state}${call.held ? ' call-held' : ''}${call.muted ? ' call-muted' : ''}`}
      role="region"
      aria-label={label}
      data-call-state={call.state}
      data-call-id={call.id}
      data-held={call.held}
      data-end-cause={call.endCause ?? undefined}
      data-end-reason={call.endReason ?? undefined}
      data-recording={call.recording ?? undefined}
    >
      <div className="call-who">
        <p role="status" aria-live="assertive">
          {t(`phone.callState.${call.state}`, { who })}
          {call.state === 'ended' && call.endCause ? ` (${t(`phone.causes.${causeKey(call.endCause)}`)})` : ''}
          {call.state === 'ended' && call.endReason === 'abusive' ? ` · ${t('phone.protection.ended')}` : ''}
        </p>
        {((call.direction === 'incoming' && call.dialled && !consult) || (connected && call.recording !== null)) && (
          <p className="dialled">
            {call.direction === 'incoming' && call.dialled && !consult && t('phone.viaRepresentative', { number: call.dialled })}
            {/* Under the caller, where the line has room: the call bar stays as short as it was. */}
            {connected && call.recording !== null && (
              <span className={protectionCss.recording} data-recording={call.recording}>
                <Circle aria-hidden size={8} fill="currentColor" /> {t(`phone.protection.recording.${call.recording}`)}
              </span>
            )}
          </p>
        )}
      </div>
      {call.handoff && (
        <p className="handoff" role="note">
          {t('phone.handoff', { note: call.handoff })}
        </p>
      )}
      {call.state === 'ringing' && call.autoAnswerAt !== null && (
        <p className="auto-answer">{t('phone.autoAnswer', { seconds: Math.max(0, Math.ceil((call.autoAnswerAt - now) / 1000)) })}</p>
      )}
      {connected && call.connectedAt !== null && (
        <p className="timers">
          <span className="timer">
            {t('phone.duration')} <time aria-label={t('phone.duration')}>{elapsed(call.connectedAt, now)}</time>
          </span>
          {heldSince !== null && (
            <span className="badge badge-held">
              <Pause aria-hidden size={14} /> {t('phone.heldLocal')} <time aria-label={t('phone.holdTime')}>{elapsed(heldSince, now)}</time>
            </span>
          )}
          {mutedSince !== null && (
            <span className="badge badge-muted">
              <MicOff aria-hidden size={14} /> {t('phone.mutedBadge')} <time aria-label={t('phone.muteTime')}>{elapsed(mutedSince, now)}</time>
            </span>
          )}
          {warningLimit !== null && <WarningCount call={call} limit={warningLimit} />}
          {warningLimit !== null && <AnnouncementStatus announcing={call.announcing} />}
        </p>
      )}
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
      {/* On hold no audio flows on purpose: nothing to rate, and an old rating would mislead. */}
      {connected && !call.deadAir && !call.held && !call.remoteHeld && call.quality && (
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
      <div className="call-actions">
        {call.state === 'ringing' && (
          <>
            <button type="button" className="primary large" aria-keyshortcuts={SHORTCUTS.answer} onClick={() => phone.answer()}>
              <Phone aria-hidden size={18} />
              {t('phone.answer')} ({SHORTCUTS.answer})
            </button>
            <button type="button" className="large" aria-keyshortcuts={SHORTCUTS.hangup} onClick={() => phone.hangup()}>
              {t('phone.decline')} ({SHORTCUTS.hangup})
            </button>
          </>
        )}
        {connected && !consult && (
          <>
            <button type="button" className="large toggle" aria-pressed={call.muted} aria-keyshortcuts={SHORTCUTS.mute} onClick={() => phone.toggleMute()}>
              <MicOff aria-hidden size={18} />
              {t('phone.mute')} ({SHORTCUTS.mute})
            </button>
            <button type="button" className="large toggle" aria-pressed={call.held} aria-keyshortcuts={SHORTCUTS.hold} disabled={phone.consult !== null} onClick={() => phone.toggleHold()}>
              <Pause aria-hidden size={18} />
              {t('phone.hold')} ({SHORTCUTS.hold})
            </button>
            {onTransfer && !phone.consult && (
              <button type="button" className="large" aria-keyshortcuts={SHORTCUTS.transfer} onClick={onTransfer}>
                <PhoneForwarded aria-hidden size={18} />
                {t('phone.transfer')} ({SHORTCUTS.transfer})
              </button>
            )}
          </>
        )}
        {(connected || call.state === 'dialing') && (
          <button type="button" className="danger large" aria-keyshortcuts={consult ? undefined : SHORTCUTS.hangup} onClick={() => (consult ? phone.cancelConsult() : phone.hangup())}>
            <PhoneOff aria-hidden size={18} />
            {consult ? t(call.referred ? 'phone.hangup' : 'phone.cancelConsult') : `${t('phone.hangup')} (${SHORTCUTS.hangup})`}
          </button>
        )}
        {consult && connected && !call.referred && (
          <button type="button" className="primary large" onClick={() => phone.completeTransfer()}>
            {t('phone.complete')}
          </button>
        )}
        {/* Tones go to whoever is listening: not to a caller on hold. */}
        {connected && !call.held && <DialPad onKey={(k) => phone.sendDtmf(k)} />}
        {connected && warningLimit !== null && <CallProtection call={call} phone={phone} warnKey={SHORTCUTS.warn} limit={warningLimit} />}
        {call.state === 'ended' && !consult && (
          <button type="button" onClick={() => phone.dismiss()}>
            {t('phone.dismiss')}
          </button>
        )}
      </div>
      {connected && call.dtmfSent && (
        <p className="dtmf-sent">
          {t('phone.dtmfSent', { tones: call.dtmfSent })} · {call.dtmfMethod ? t(`phone.dtmfMethod.${call.dtmfMethod}`) : ''}
        </p>
      )}
      {call.dtmfReceived && <p className="dtmf-received">{t('phone.dtmfReceived', { tones: call.dtmfReceived })}</p>}
      {!consult && notice && (
        <p role="alert" className="notice">
          {notice.kind === 'no-signalling'
            ? t('phone.noSignalling', { action: t(`phone.actions.${notice.action}`) })
            : notice.kind === 'announcement-failed'
              ? t(`phone.protection.failed.${ANNOUNCEMENT_KEY[notice.announcement]}`)
              : t('phone.protection.notRecorded')}{' '}
          <button type="button" onClick={() => phone.dismissNotice()}>
            {t('phone.dismissNotice')}
          </button>
        </p>
      )}
      {!consult && transfer?.kind === 'blind' && <p role="alert">{transferText(t, transfer)}</p>}
      {!consult && transfer?.kind === 'attended' && transfer.state === 'declined' && <p role="alert">{transferText(t, transfer)}</p>}
      {consult && !call.referred && transfer?.kind === 'attended' && transfer.state !== 'declined' && <p role="status">{transferText(t, transfer)}</p>}
      <RemoteAudio stream={call.remoteStream} sinkId={sinkId} applySink={applySink} />
    </div>
  );
}
