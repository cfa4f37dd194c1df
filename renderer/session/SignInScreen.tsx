import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Headphones } from 'lucide-react';
import type { CoreClient } from '../../shared/rpc';
import type { SignInRefusal } from '../../shared/session';

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'refused'; reason: SignInRefusal | 'empty' | 'failed'; cached: boolean };

/**
 * The desk's first screen: the agent's account and password, checked by the city server; when
 * the server is out of reach and this desk has the agent's cached session, an offline sign-in.
 */
export function SignInScreen({ link, lastUser }: { link: CoreClient; lastUser: string | null }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState(lastUser ?? '');
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const signIn = async (offline: boolean) => {
    if (!username.trim() || !password) return setStatus({ kind: 'refused', reason: 'empty', cached: false });
    setStatus({ kind: 'busy' });
    try {
      const r = await link.call('signIn', { username, password, offline });
      // Signed in: the session event brings the desk; this screen goes away.
      if (r.ok) return;
      // Cleared only if the agent has not typed a new one while the city answered.
      if (r.reason === 'wrong-password') setPassword((now) => (now === password ? '' : now));
      setStatus({ kind: 'refused', reason: r.reason, cached: r.cachedSessionAvailable });
    } catch {
      setStatus({ kind: 'refused', reason: 'failed', cached: false });
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void signIn(false);
  };
  const refused = status.kind === 'refused' ? status : null;
  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <h1 id="sign-in-title">
          <Headphones aria-hidden size={28} />
          {t('session.title')}
        </h1>
        <p className="meta">{t('session.intro')}</p>
        <label>
          {t('session.username')}
          <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} value={username} autoFocus={!lastUser} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          {t('session.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} autoFocus={!!lastUser} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {refused && (
          <p role="alert" data-reason={refused.reason}>
            {t(refused.reason === 'unreachable' && refused.cached ? 'session.errors.unreachableCached' : `session.errors.${refused.reason}`)}
          </p>
        )}
        <button type="submit" className="primary large" disabled={status.kind === 'busy'}>
          {status.kind === 'busy' ? t('session.signingIn') : t('session.signIn')}
        </button>
        {refused?.reason === 'unreachable' && refused.cached && (
          <button type="button" className="large" onClick={() => void signIn(true)}>
            {t('session.offlineSignIn')}
          </button>
        )}
      </form>
    </main>
  );
}
