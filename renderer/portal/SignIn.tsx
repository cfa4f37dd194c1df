import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { BookOpenCheck, KeyRound } from 'lucide-react';
import { LanguageSwitch } from './parts';
import type { Me } from './schemas';
import type { PortalSession, SignInRefusal } from './session-store';
import css from './Portal.module.css';

function RefusalLine({ reason }: { reason: SignInRefusal }) {
  const { t } = useTranslation();
  return (
    <p role="alert" data-reason={reason}>
      {t(`portal.signIn.errors.${reason}`)}
    </p>
  );
}

/** The web app's first screen: a department editor's, the reviewer's, a team lead's or an analyst's account. */
export function SignInPage({ session, storage }: { session: PortalSession; storage: Pick<Storage, 'setItem'> }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<SignInRefusal | null>(null);
  useEffect(() => {
    document.title = t('portal.title');
  }, [t]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const reason = await session.signIn(username, password);
    // Signed in: the portal replaces this screen.
    if (!reason) return;
    setBusy(false);
    setRefused(reason);
    if (reason === 'bad-credentials' || reason === 'not-portal') setPassword('');
  };
  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={(e) => void submit(e)} aria-labelledby="portal-sign-in-title" noValidate>
        <LanguageSwitch storage={storage} />
        <h1 id="portal-sign-in-title">
          <BookOpenCheck aria-hidden size={28} />
          {t('portal.title')}
        </h1>
        <p className="meta">{t('portal.signIn.intro')}</p>
        <label>
          {t('portal.signIn.username')}
          <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          {t('portal.signIn.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {refused && <RefusalLine reason={refused} />}
        <button type="submit" className="primary large" disabled={busy}>
          {busy ? t('portal.signIn.busy') : t('portal.signIn.submit')}
        </button>
      </form>
    </main>
  );
}

/**
 * Over the page when the token lapsed (15 minutes): the same user signs in again and what waited
 * for it is sent; nothing on the page underneath is lost. Signing out instead gives it up.
 */
export function ReauthDialog({ session, me }: { session: PortalSession; me: Me }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<SignInRefusal | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const reason = await session.signInAgain(password);
    setBusy(false);
    setRefused(reason);
    if (reason) setPassword('');
  };
  return (
    <ModalOverlay className="modal-overlay" isOpen isDismissable={false} isKeyboardDismissDisabled>
      <Modal className="modal">
        <Dialog className={`dialog ${css.reauth}`} role="alertdialog">
          <Heading slot="title">
            <KeyRound aria-hidden size={22} /> {t('portal.reauth.title')}
          </Heading>
          <p>{t('portal.reauth.why')}</p>
          <form onSubmit={(e) => void submit(e)} noValidate>
            <p>{t('portal.reauth.who', { name: me.user.displayName, username: me.user.username })}</p>
            <label>
              {t('portal.signIn.password')}
              <input type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            {refused && <RefusalLine reason={refused} />}
            <div className={css.actions}>
              <button type="submit" className="primary large" disabled={busy}>
                {t('portal.reauth.submit')}
              </button>
              <button type="button" className="large" onClick={() => void session.signOut()}>
                {t('portal.signOut')}
              </button>
            </div>
          </form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
