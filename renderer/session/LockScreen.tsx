import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { Lock } from 'lucide-react';
import type { LockReason } from '../../shared/session';

export interface LockScreenProps {
  displayName: string;
  reason: LockReason;
  idleMinutes: number;
  unlock(password: string): Promise<boolean>;
  signOut(): void;
}

/**
 * Over a locked desk: only the same agent's password opens it (checked on the desk, so it works
 * offline). Calls in progress and the record outbox go on underneath.
 */
export function LockScreen(p: LockScreenProps) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <ModalOverlay className="modal-overlay lock-overlay" isOpen isDismissable={false} isKeyboardDismissDisabled>
      <Modal className="modal">
        <Dialog className="dialog lock-dialog" role="alertdialog">
          <Heading slot="title">
            <Lock aria-hidden size={22} /> {t('session.lockedTitle')}
          </Heading>
          <p>{t(`session.lockedBy.${p.reason}`, { name: p.displayName, minutes: p.idleMinutes })}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setBusy(true);
              void p.unlock(password).then((ok) => {
                setBusy(false);
                setFailed(!ok);
                if (!ok) setPassword('');
              });
            }}
          >
            <label>
              {t('session.password')}
              <input type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            {failed && <p role="alert">{t('session.unlockFailed')}</p>}
            <div className="actions">
              <button type="submit" className="primary large" disabled={busy || !password}>
                {t('session.unlock')}
              </button>
              <button type="button" className="large" onClick={p.signOut}>
                {t('session.signOut')}
              </button>
            </div>
          </form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
