import { createStore } from 'zustand/vanilla';
import { SITE_ROLES } from '../../shared/auth';
import { createPortalApi, PortalApiError } from './api';
import type { Me } from './schemas';

/** Why a sign-in did not go through. `not-portal`: an account of the desks (an agent), not of the city's web app (the portal and the analysis). */
export type SignInRefusal = 'empty' | 'bad-credentials' | 'locked' | 'not-portal' | 'unreachable' | 'failed';

export interface SessionState {
  token: string | null;
  me: Me | null;
  /** Requests wait for the user to sign in again: their token lived out its time. */
  reauth: boolean;
  /** A token kept from before a reload is being checked. */
  restoring: boolean;
}

const TOKEN_KEY = 'minwon.portal.token';

function loginRefusal(e: unknown): SignInRefusal {
  if (!(e instanceof PortalApiError)) return 'failed';
  if (e.status === 401) return 'bad-credentials';
  if (e.status === 429) return 'locked';
  return e.code === 'unreachable' ? 'unreachable' : 'failed';
}

/**
 * The portal's sign-in: the token in sessionStorage (gone with the tab), the user and their
 * departments, and the API whose requests, when the token lapses, wait for the same user to sign
 * in again and are then sent again — so what an editor typed is never lost to a 401.
 */
export function createPortalSession(deps: { storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>; fetch: typeof fetch }) {
  let waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const store = createStore<SessionState>()(() => ({ token: deps.storage.getItem(TOKEN_KEY), me: null, reauth: false, restoring: true }));

  const setToken = (token: string | null) => {
    if (token) deps.storage.setItem(TOKEN_KEY, token);
    else deps.storage.removeItem(TOKEN_KEY);
    store.setState({ token });
  };

  const settle = (failure: Error | null) => {
    const waiters = waiting;
    waiting = [];
    for (const w of waiters) {
      if (failure) w.reject(failure);
      else w.resolve();
    }
  };

  const api = createPortalApi({
    fetch: deps.fetch,
    token: () => store.getState().token,
    reauthenticate() {
      if (!store.getState().me) return Promise.reject(new PortalApiError(401, 'unauthorized', 'not signed in'));
      store.setState({ reauth: true });
      return new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
    },
  });

  /** Ends a token that must not stay (an account the portal refuses); its failure changes nothing. */
  const discard = async () => {
    await api.logout().catch(() => undefined);
    setToken(null);
  };

  return {
    store,
    api,

    async restore(): Promise<void> {
      if (store.getState().token) {
        try {
          store.setState({ me: await api.me({ reauth: false }) });
        } catch {
          setToken(null);
        }
      }
      store.setState({ restoring: false });
    },

    async signIn(username: string, password: string): Promise<SignInRefusal | null> {
      if (!username.trim() || !password) return 'empty';
      let answer;
      try {
        answer = await api.login(username.trim(), password);
      } catch (e) {
        return loginRefusal(e);
      }
      setToken(answer.token);
      if (!SITE_ROLES.includes(answer.user.role)) {
        await discard();
        return 'not-portal';
      }
      try {
        store.setState({ me: await api.me({ reauth: false }) });
        return null;
      } catch (e) {
        await discard();
        return e instanceof PortalApiError && e.status === 403 ? 'not-portal' : loginRefusal(e);
      }
    },

    /** The same user again, after a 401: the requests waiting go on. */
    async signInAgain(password: string): Promise<SignInRefusal | null> {
      const me = store.getState().me;
      if (!me) return 'failed';
      if (!password) return 'empty';
      try {
        setToken((await api.login(me.user.username, password)).token);
      } catch (e) {
        return loginRefusal(e);
      }
      store.setState({ reauth: false });
      settle(null);
      return null;
    },

    async signOut(): Promise<void> {
      if (!store.getState().reauth) await api.logout().catch(() => undefined);
      setToken(null);
      store.setState({ me: null, reauth: false });
      settle(new PortalApiError(401, 'signed-out', 'signed out'));
    },
  };
}

export type PortalSession = ReturnType<typeof createPortalSession>;
