import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
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
import { homeOf, parseRoute, routeHref, screenOf, sectionHome, sectionOf, sectionsFor, type Route } from './route';
import type { Me } from './schemas';
import type { PortalSession } from './session-store';
import { ReauthDialog, SignInPage } from './SignIn';
import { TransferView } from './TransferView';
import css from './Portal.module.css';

// The analysis brings its charts (ECharts): loaded when it is opened, not with every editor's portal.
const AnalyticsView = lazy(() => import('./analytics/AnalyticsView'));
// The recordings, for leads and auditors only: never part of an editor's portal.
const ProtectionView = lazy(() => import('./protection/ProtectionView'));

/** A lazy view's title while it loads: the shell's focus lands there and passes to the view's own. */
function LoadingView({ title }: { title: string }) {
  return (
    <>
      <ViewHeading text={title} />
      <Loading />
    </>
  );
}

/** The route in the address, and a way to read it again at once (hashchange comes later). */
function useRoute(home: Route): [Route, () => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash, home));
  const follow = useCallback(() => {
    const next = parseRoute(window.location.hash, home);
    setRoute((now) => (routeHref(now) === routeHref(next) ? now : next));
  }, [home]);
  useEffect(() => {
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [follow]);
  return [route, follow];
}

function View({ route, me }: { route: Route; me: Me }) {
  const { t } = useTranslation();
  const section = sectionOf(route);
  // A section of another role (an analyst at an entry, an editor at the analysis): said politely, with the way home.
  if (section && !sectionsFor(me.user.role).includes(section)) {
    return (
      <>
        <ViewHeading text={t('portal.notForRole.title')} />
        <p>{t('portal.notForRole.why', { role: t(`portal.roles.${me.user.role}`) })}</p>
        <p>
          <a href={routeHref(homeOf(me.user.role))}>{t('portal.notForRole.back')}</a>
        </p>
      </>
    );
  }
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
    case 'analytics':
      return (
        <Suspense fallback={<LoadingView title={t('portal.analytics.title')} />}>
          <AnalyticsView query={route.query} />
        </Suspense>
      );
    case 'protection':
      return (
        <Suspense fallback={<LoadingView title={t('portal.protection.title')} />}>
          <ProtectionView tab={route.tab} />
        </Suspense>
      );
    case 'not-found':
      return (
        <>
          <ViewHeading text={t('portal.notFound.title')} />
          <p>
            <a href={routeHref(homeOf(me.user.role))}>{t('portal.notFound.back')}</a>
          </p>
        </>
      );
  }
}

/** The signed-in portal: the bar with the user's sections, the user and the language, and the view the address names. */
function Shell({ session, me, storage }: { session: PortalSession; me: Me; storage: Pick<Storage, 'setItem'> }) {
  const { t } = useTranslation();
  const home = useMemo(() => homeOf(me.user.role), [me.user.role]);
  const [route, followRoute] = useRoute(home);
  const [notice, setNotice] = useState<{ text: string; route: string } | null>(null);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const href = routeHref(route);
  const screen = screenOf(route);

  // A new view: focus on its title, so a screen reader starts there and Tab goes on from it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('[data-view-heading]')?.focus();
  }, [screen]);

  const navigate = useCallback<PortalContextValue['navigate']>((to, o = {}) => {
    const target = routeHref(to);
    setNotice(o.notice ? { text: o.notice, route: target } : null);
    if (o.replace) window.location.replace(target);
    else window.location.hash = target;
    // The page follows in this event, not at the hashchange after it: a controlled field (a
    // checkbox of the analysis) would otherwise show its old state in between.
    followRoute();
  }, [followRoute]);
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
              {sectionsFor(me.user.role).map((s) => (
                <li key={s}>
                  <a href={routeHref(sectionHome(s))} className={css.navLink} aria-current={section === s ? 'page' : undefined}>
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
          <View route={route} me={me} />
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
