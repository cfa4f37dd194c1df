import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { BookOpenCheck, LogOut } from 'lucide-react';
import { DraftEditor } from './DraftEditor';
import { DraftsView, ReviewDraft } from './ReviewView';
import { EntriesView } from './EntriesView';
import { EntryView } from './EntryView';
import { FlagsView } from './FlagsView';
import { GapsView } from './GapsView';
import { LanguageSwitch, Loading, ViewHeading } from './parts';
import { departmentName, PortalContext, type PortalContextValue } from './portal-context';
import { parseRoute, routeHref, SECTIONS, sectionOf, type Route } from './route';
import type { Me } from './schemas';
import type { PortalSession } from './session-store';
import { ReauthDialog, SignInPage } from './SignIn';
import { TransferView } from './TransferView';
import css from './Portal.module.css';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}

function View({ route }: { route: Route }) {
  const { t } = useTranslation();
  switch (route.view) {
    case 'entries':
      return <EntriesView />;
    case 'entry':
      return <EntryView key={route.id} id={route.id} />;
    case 'new-draft':
      return <DraftEditor key={routeHref(route)} draftId={null} prefill={route.prefill} />;
    case 'draft':
      return <DraftEditor key={route.id} draftId={route.id} prefill={{}} />;
    case 'review':
      return <DraftsView />;
    case 'review-draft':
      return <ReviewDraft key={route.id} id={route.id} />;
    case 'flags':
      return <FlagsView />;
    case 'gaps':
      return <GapsView />;
    case 'transfer':
      return <TransferView />;
    case 'not-found':
      return (
        <>
          <ViewHeading text={t('portal.notFound.title')} />
          <p>
            <a href={routeHref({ view: 'entries' })}>{t('portal.notFound.back')}</a>
          </p>
        </>
      );
  }
}

/** The signed-in portal: the bar with the sections, the user and the language, and the view the address names. */
function Shell({ session, me, storage }: { session: PortalSession; me: Me; storage: Pick<Storage, 'setItem'> }) {
  const { t } = useTranslation();
  const route = useRoute();
  const [notice, setNotice] = useState<{ text: string; route: string } | null>(null);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const href = routeHref(route);

  // A new view: focus on its title, so a screen reader starts there and Tab goes on from it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('[data-view-heading]')?.focus();
  }, [href]);

  const navigate = useCallback<PortalContextValue['navigate']>((to, o = {}) => {
    const target = routeHref(to);
    setNotice(o.notice ? { text: o.notice, route: target } : null);
    if (o.replace) window.location.replace(target);
    else window.location.hash = target;
  }, []);
  const value = useMemo(() => ({ session, api: session.api, me, navigate }), [session, me, navigate]);
  const section = sectionOf(route);
  const role = t(`portal.roles.${me.user.role}`);

  return (
    <PortalContext.Provider value={value}>
      <div className={css.shell}>
        <button type="button" className={css.skip} onClick={() => main.current?.querySelector<HTMLElement>('[data-view-heading]')?.focus()}>
          {t('portal.skipToContent')}
        </button>
        <header className={css.banner}>
          <p className={css.brand}>
            <BookOpenCheck aria-hidden size={22} />
            {t('portal.title')}
          </p>
          <nav aria-label={t('portal.nav.label')} className={css.nav}>
            <ul>
              {SECTIONS.map((s) => (
                <li key={s}>
                  <a href={routeHref({ view: s })} className={css.navLink} aria-current={section === s ? 'page' : undefined}>
                    {t(`portal.nav.${s}`)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div className={css.tools}>
            <p className={css.who}>
              <strong>{me.user.displayName}</strong>
              <span>
                {role}
                {me.user.department ? ` · ${departmentName(me, me.user.department)}` : ''}
              </span>
            </p>
            <LanguageSwitch storage={storage} />
            <button type="button" className="bar-button" onClick={() => void session.signOut()}>
              <LogOut aria-hidden size={18} />
              {t('portal.signOut')}
            </button>
          </div>
        </header>
        <main ref={main} className={css.main}>
          {notice && notice.route === href && (
            <p role="status" className={css.done}>
              {notice.text}
            </p>
          )}
          <View route={route} />
        </main>
      </div>
    </PortalContext.Provider>
  );
}

/** The knowledge portal: the sign-in until someone of a portal role is signed in, then the portal, with the sign-in again over it when the token lapses. */
export function PortalApp({ session, storage }: { session: PortalSession; storage: Pick<Storage, 'setItem'> }) {
  const { me, restoring, reauth } = useStore(session.store);
  useEffect(() => void session.restore(), [session]);
  if (restoring) return <Loading />;
  if (!me) return <SignInPage session={session} storage={storage} />;
  return (
    <>
      <Shell session={session} me={me} storage={storage} />
      {reauth && <ReauthDialog session={session} me={me} />}
    </>
  );
}
