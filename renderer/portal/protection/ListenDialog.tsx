import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { ShieldAlert } from 'lucide-react';
import { recordingAccessSchema } from '../../../shared/recording';
import { formatDateTime, formatDuration } from '../../i18n/format';
import { PortalApiError } from '../api';
import { Done, RefusalText } from '../parts';
import { usePortal } from '../portal-context';
import { saveFile } from '../save-file';
import type { PortalRecording } from '../schemas';
import portal from '../Portal.module.css';
import css from './Protection.module.css';

export type ListenPurpose = 'play' | 'download';

/** The audio as an object URL while the dialog shows it; revoked when it closes (or plays something else), so the bytes do not outlive the look. */
function useObjectUrl(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return;
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => {
      URL.revokeObjectURL(made);
      setUrl(null);
    };
  }, [blob]);
  return url;
}

/**
 * Playing or downloading one recording: the dialog says first that the access is logged, then asks
 * why; the reason goes to the server with the request (its access log), and the audio comes back
 * to play here, or to save as a file.
 */
export function ListenDialog({ recording, purpose, onClose }: { recording: PortalRecording; purpose: ListenPurpose; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { api } = usePortal();
  const ids = { logged: useId(), hint: useId(), problem: useId() };
  const [reason, setReason] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [played, setPlayed] = useState<{ audio: Blob; reason: string } | null>(null);
  const [done, setDone] = useState('');
  const url = useObjectUrl(played?.audio ?? null);
  const player = useRef<HTMLAudioElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const k = (key: string, params?: Record<string, string>) => t(`portal.protection.listen.${key}`, params);

  // The form gives way to the player: the focus goes with it, so the keyboard can start and stop it.
  useEffect(() => {
    if (url) player.current?.focus();
  }, [url]);
  // Saved: the submit button is gone, and what is left to do is close.
  useEffect(() => {
    if (done) close.current?.focus();
  }, [done]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The server's own rule (2-200 characters, trimmed), said before asking.
    const access = recordingAccessSchema.safeParse({ purpose, reason });
    if (!access.success) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
    setBusy(true);
    setError(null);
    api
      .recordingAudio(recording.id, access.data)
      .then(({ blob, name }) => {
        if (purpose === 'play') {
          setPlayed({ audio: blob, reason: access.data.reason });
          return;
        }
        const file = name ?? `recording-${recording.id.slice(0, 8)}.${recording.mediaType === 'audio/wav' ? 'wav' : 'webm'}`;
        saveFile(blob, file);
        setDone(k('downloaded', { name: file }));
      })
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };

  const gone = error instanceof PortalApiError && error.status === 404;
  const at = formatDateTime(recording.startedAt, i18n.language);
  return (
    <ModalOverlay className="modal-overlay" isOpen isDismissable onOpenChange={(open) => !open && onClose()}>
      <Modal className={`modal ${css.listenModal}`}>
        <Dialog className="dialog">
          <div className="dialog-head">
            <Heading slot="title">{k(`title.${purpose}`)}</Heading>
            <button ref={close} type="button" onClick={onClose}>
              {k('close')}
            </button>
          </div>
          <dl className={css.factsLine}>
            <div>
              <dt>{t('portal.protection.recordings.at')}</dt>
              <dd>{at}</dd>
            </div>
            <div>
              <dt>{t('portal.protection.recordings.length')}</dt>
              <dd>{formatDuration(recording.seconds, i18n.language)}</dd>
            </div>
            <div>
              <dt>{t('portal.protection.recordings.source')}</dt>
              <dd>{t(`portal.protection.sources.${recording.source}`)}</dd>
            </div>
            <div>
              <dt>{t('portal.protection.recordings.record')}</dt>
              <dd className={css.id}>{recording.recordId ?? t('portal.protection.recordings.unlinkedRecord')}</dd>
            </div>
          </dl>
          {/* Said before the reason is asked: opening a recording is on the record. */}
          <div id={ids.logged} className={css.logged}>
            <ShieldAlert aria-hidden size={22} />
            <p>
              <strong>{k('logged')}</strong> {k(`loggedWhy.${purpose}`)}
            </p>
          </div>
          {played && url ? (
            <>
              <p role="status" className={portal.done}>
                {k('playing', { reason: played.reason })}
              </p>
              <audio ref={player} className={css.player} controls autoPlay src={url} aria-label={`${k('player')}: ${at}`} />
            </>
          ) : (
            <form className={css.reasonForm} onSubmit={submit} noValidate aria-describedby={ids.logged}>
              <label>
                {k('reason')}
                <input
                  autoFocus
                  value={reason}
                  maxLength={200}
                  required
                  aria-invalid={tooShort || undefined}
                  aria-describedby={`${ids.hint}${tooShort ? ` ${ids.problem}` : ''}`}
                  readOnly={Boolean(done)}
                  onChange={(e) => setReason(e.target.value)}
                />
              </label>
              <p id={ids.hint} className="meta">
                {k('reasonHint')}
              </p>
              {tooShort && (
                <p id={ids.problem} role="alert">
                  {k('reasonTooShort')}
                </p>
              )}
              {!done && (
                <div className={portal.actions}>
                  <button type="submit" className="primary" disabled={busy}>
                    {busy ? k('busy') : k(`submit.${purpose}`)}
                  </button>
                </div>
              )}
            </form>
          )}
          <Done text={done} />
          {error ? (
            gone ? (
              <p role="alert" data-error="not-found">
                {t('portal.protection.gone')}
              </p>
            ) : (
              <RefusalText error={error} />
            )
          ) : null}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
