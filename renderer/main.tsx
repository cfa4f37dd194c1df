import './core/no-eval';
import { StrictMode, useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import { App } from './App';
import { connectToCore } from './core/connect';
import { createConnectionStore } from './core/connection-store';
import { deskBridge, desktopClients, desktopPhoneHooks } from './core/desk-shell';
import { browserTimers } from './core/timers';
import i18next from 'i18next';
import { initI18n } from './i18n';
import { createAgentStateStore } from './agent/agent-state-store';
import { presenceOf } from './agent/presence';
import { createPhone } from './phone/create-phone';
import { createHeadsetLink } from './phone/headset-link';
import { UpdateNotice } from './status/UpdateNotice';
import { createBoardStore } from './board/board-store';
import { createPolledStore } from './core/polled-store';
import { createWorkStore } from './work/work-store';
import { createBookingsStore } from './work/bookings-store';
import { createTextsStore } from './texts/texts-store';
import type { LeadTextActions } from './texts/LeadTexts';
import type { LeadActions } from './work/LeadWork';
import { createLeadMonitor } from './board/lead-monitor';
import { MonitorIndicator } from './phone/MonitorIndicator';
import { createStore } from 'zustand/vanilla';
import type { MonitorMode } from '../shared/monitoring';
import type { MethodParams, MethodResult } from '../shared/contract';
import { createLocalIndex } from './search/local-index';
import { createSearchStore } from './search/search-store';
import { createSearchEpisodes } from './search/search-episodes';
import { createFlagsStore } from './search/flags-store';
import { createLocalPreferences } from './core/local-preferences';
import { createConsultationStore, type Consultation } from './consult/consultation-store';
import { followCalls } from './consult/follow-calls';
import { createCallRecords, fileRecording } from './consult/file-recording';
import { createPresencePublisher } from './agent/presence-publisher';
import { createDeskClaim } from './core/desk-claim';
import { guardPageExit } from './core/page-exit';
import { DeskHoldNotice } from './core/DeskHoldNotice';
import { followAppearance } from './theme/appearance';
import { markPressableStyle } from './core/aria-press-style';
import { createWorkspaceStore } from './workspace/workspace-store';
import { bringForwardOnCalls, typingIn } from './workspace/bring-forward';
import { createDirectoryMemory } from './phone/directory-memory';
import { AriaLocale } from './i18n/AriaLocale';
import { AccountMenu } from './session/AccountMenu';
import { Connecting } from './session/Connecting';
import { LockScreen } from './session/LockScreen';
import { SignInScreen } from './session/SignInScreen';
import { watchIdle } from './session/idle-lock';
import { LOCKED_REASON } from './agent/agent-state-store';
import type { LockReason } from '../shared/session';
import './theme/tokens.css';
import './styles.css';

// In the desktop app the preload's bridge reaches the core and the shell; in a browser, the host's WebSocket.
const bridge = deskBridge(window);
const desktop = bridge ? desktopClients(bridge, (why) => console.warn(`desk bridge: ${why}`)) : null;
const connection = createConnectionStore(
  () => connectToCore(document, desktop?.core ?? null),
  (ms) => new Promise((r) => window.setTimeout(r, ms)),
);
const localIndex = createLocalIndex({ now: () => new Date(), timers: browserTimers, idle: (fn) => window.requestIdleCallback(fn, { timeout: 2000 }) });
connection.store.subscribe((s) => localIndex.use(s.client));
// A search that ends without an entry opened goes to the city's list of the manual's gaps, under
// the consultation's category ("상수도/요금") when it has one.
const categoryOf = (c: Consultation | null | undefined) => (c?.category ? [c.category, c.subcategory].filter(Boolean).join('/') : null);
const episodes = createSearchEpisodes({
  report: (miss) => void connection.call('reportSearchMiss', miss).catch(() => undefined),
  category: () => categoryOf(consultation.getState().current),
  timers: browserTimers,
});
const search = createSearchStore(() => connection.store.getState().client, localIndex, episodes);
localIndex.onChange(() => search.getState().refresh());
// The monitoring audit is best effort from the page: the core keeps what it is given until the city has it.
const reportMonitoring = (params: MethodParams<'reportMonitoring'>) => void connection.call('reportMonitoring', params).catch(() => undefined);
const agent = createAgentStateStore({ now: () => Date.now(), timers: browserTimers });
const preferences = createLocalPreferences(window.localStorage);
followAppearance(document.documentElement, preferences, window);
markPressableStyle(document);
const workspace = createWorkspaceStore();
const directoryMemory = createDirectoryMemory(window.localStorage);
const { phone, devices, applySink } = createPhone({
  storage: window.localStorage,
  acceptRefer: false,
  dtmfMethod: () => connection.store.getState().settings.dtmfMethod,
  takesCalls: () => agent.getState().takesCalls(),
  onCallEnded: () => agent.getState().startWrapUp(connection.store.getState().settings.wrapUpSeconds),
  autoAnswerSeconds: () => preferences.getState().autoAnswerSeconds,
  transferTimeoutSeconds: () => connection.store.getState().settings.transferTimeoutSeconds,
  notification: (call) => {
    const number = call.remote.user || i18next.t('consult.withheld');
    return { title: i18next.t('phone.incomingNotice'), body: call.remote.displayName ? `${call.remote.displayName} (${number})` : number };
  },
  ...(desktop ? desktopPhoneHooks(desktop.shell) : {}),
  monitoring: {
    admit: (params) => connection.call('admitMonitoring', params),
    report: reportMonitoring,
    onSession: (session) => monitoredBy.setState({ session }),
  },
  // The abusive-caller protocol and the desk's recordings (issue 23); onRecording: to the core's outbox.
  protection: {
    warningsBeforeEnd: () => connection.store.getState().settings.protection.warningsBeforeEnd,
    onRecording: (r) =>
      void fileRecording(r, { recordOf: callRecords.recordOf, save: (p) => connection.call('saveRecording', p), wait: (ms) => new Promise((done) => setTimeout(done, ms)) }).catch((e: Error) =>
        console.error(`recording of call ${r.callId} not kept: ${e.message}`),
      ),
  },
});
// Who is monitoring this agent's call, for the indicator.
const monitoredBy = createStore<{ session: { lead: string; mode: MonitorMode } | null }>()(() => ({ session: null }));
const headset = createHeadsetLink(phone);
const consultation = createConsultationStore({
  core: () => connection.store.getState().client,
  now: () => new Date(),
  newId: () => crypto.randomUUID(),
  timers: browserTimers,
  storage: window.localStorage,
});
// Which consultation each SIP call was: the desk's recording of a call is filed under it.
const callRecords = createCallRecords();
consultation.subscribe((s) => callRecords.note(s));
bringForwardOnCalls({ phone, agent, workspace, typingInSide: () => typingIn(document), text: (key) => i18next.t(`workspace.news.${key}`) });
// A consultation filed (or set aside) ends the search episode it had, under its category.
consultation.subscribe((s, prev) => {
  if (prev.current && s.current?.id !== prev.current.id) episodes.filed(categoryOf(prev.current));
});
const leadMonitor = createLeadMonitor({
  grant: (agentName, modes) => connection.call('requestMonitorGrant', { agent: agentName, modes }),
  call: (target, headers) => phone.getState().sideCall(target, headers),
  report: reportMonitoring,
});
// Calls waiting, for every agent's call bar: every 5 s while the desk is on screen.
const queue = createPolledStore({ load: () => connection.call('queueStatus', {}), timers: browserTimers, everyMs: 5_000 });
// Callbacks offered to this agent, and the dial that follows one taken: every 2 s while on screen.
const work = createWorkStore({
  myCallbacks: () => connection.call('myCallbacks', {}),
  accept: (id) => connection.call('acceptCallback', { id }),
  decline: (id) => connection.call('declineCallback', { id }),
  connected: (id, attemptId) => connection.call('callbackConnected', { id, attemptId }),
  outcome: (id, attemptId, outcome) => connection.call('callbackOutcome', { id, attemptId, outcome }),
  ask: (request) => connection.call('askCallback', request),
  cancel: (id) => connection.call('cancelCallback', { id }),
  dial: (number) => phone.getState().dial(number),
  timers: browserTimers,
});
phone.subscribe((s) => work.followCall(s.call));
const bookings = createBookingsStore({
  slots: () => connection.call('reservationSlots', {}),
  day: (day) => connection.call('reservationsOn', { day }),
  book: (request) => connection.call('bookReservation', request),
  cancel: (id) => connection.call('cancelReservation', { id }),
  now: () => new Date(),
});
// Citizens' text threads: every 2 s while the tab is on screen.
const sessionUser = () => {
  const s = connection.store.getState().session;
  return s && s.state !== 'signed-out' ? s.user : null;
};
const texts = createTextsStore({
  threads: () => connection.call('textThreads', {}),
  thread: (id) => connection.call('textThread', { id }),
  take: (id) => connection.call('takeThread', { id }),
  decline: (id) => connection.call('declineThread', { id }),
  send: (threadId, text) => connection.call('sendReply', { threadId, text }),
  picture: (id) => connection.call('textMedia', { id }),
  me: sessionUser,
  now: () => new Date(),
  timers: browserTimers,
});
followCalls({ phone, search, agent, consultation, work, texts, core: () => connection.store.getState().client });
const board = createBoardStore({
  load: () => connection.call('teamBoard', {}),
  timers: browserTimers,
});
// The lead's callback queue: polled while the board is on screen.
const leadQueue = createPolledStore({
  load: async () => {
    const [open, failed] = await Promise.all([connection.call('callbackQueue', { state: 'open' }), connection.call('callbackQueue', { state: 'failed' })]);
    return { open: open.callbacks, failed: failed.callbacks };
  },
  timers: browserTimers,
  everyMs: 5_000,
});
// The lead's text threads (every open one): polled while the board is on screen.
const leadTexts = createPolledStore({ load: async () => (await connection.call('textThreads', {})).threads, timers: browserTimers, everyMs: 5_000 });
const leadTextActions: LeadTextActions = {
  assign: (id, agentName) => connection.call('assignThread', { id, agent: agentName }),
  close: (id) => connection.call('closeThread', { id }),
};
const leadActions: LeadActions = {
  assign: (id, agentName) => connection.call('assignCallback', { id, agent: agentName }),
  cancel: (id) => connection.call('cancelCallback', { id }),
  settle: (id, attemptId, outcome) => connection.call('callbackOutcome', { id, attemptId, outcome }),
};

// One agent, one desk: this page runs the phone and speaks for the agent only while it holds the
// desk; another window of the same desk takes over from it when it is idle, or waits.
const pageId = crypto.randomUUID();
const inCall = () => {
  const s = phone.getState();
  return (!!s.call && s.call.state !== 'ended') || !!s.consult;
};
// A call, or a consultation not yet filed: the desk is not to be taken from this page.
const deskBusy = () => inCall() || consultation.getState().busy();
// The agent's flags on manual entries; one raised now says it came from the call or consultation.
const flags = createFlagsStore({ duringCall: deskBusy });
connection.store.subscribe((s) => flags.use(s.client));
const desk = createDeskClaim({ pageId, call: connection.call, busy: deskBusy, timers: browserTimers });
const held = () => desk.store.getState().hold === 'held';
let wasBusy = false;
const busyChanged = () => {
  const busy = deskBusy();
  if (busy !== wasBusy) desk.busyChanged();
  wasBusy = busy;
};
phone.subscribe(busyChanged);
consultation.subscribe(busyChanged);

// The phone registers with the account the core keeps from the city login (again when it
// changes), while this page holds the desk.
let account: MethodResult<'phoneAccount'> = null;
const usePhone = () => phone.getState().useAccount(held() ? account : null);
desk.store.subscribe(usePhone);
connection.store.subscribe((s, previous) => {
  if (!s.client || s.client === previous.client) return;
  s.client.on('phoneAccount', (a) => ((account = a), usePhone()));
  s.client.on('deskHolder', ({ pageId: holder }) => desk.holderIs(holder));
  void s.client.call('phoneAccount', {}).then((a) => ((account = a), usePhone()));
  desk.connected();
  void consultation.getState().connected().catch(() => undefined);
  presence.resendToCity();
});

// The agent's state goes to the SIP server (calls follow it even with the city server down) and
// to the city server (the team board), whenever it or the phone's business changes.
const presence = createPresencePublisher({
  toCity: async (p) => {
    const told = await connection.call('setPresence', { ...p, pageId });
    // The city offers a waiting callback the moment an agent turns ready: show it now, not at the next poll.
    if (p.state === 'ready') void work.getState().refresh();
    return told;
  },
  toSip: (body) => phone.getState().publishPresence(body),
  now: () => Date.now(),
  timers: browserTimers,
});
function reportPresence() {
  if (!held()) return;
  const c = consultation.getState().current;
  const w = phone.getState().call?.warnings;
  presence.update(presenceOf(agent.getState().state, inCall(), categoryOf(c), w ? w.played + w.spoken : 0));
}
agent.subscribe(() => reportPresence());
phone.subscribe(() => reportPresence());
consultation.subscribe(() => reportPresence());
desk.store.subscribe((d, prev) => {
  if (d.hold !== 'held' || prev.hold === 'held') return;
  // Back at the desk (or first there): both servers hear the agent's state from this page.
  reportPresence();
  presence.resendToSip();
  presence.resendToCity();
});
phone.subscribe((s, prev) => {
  // A (re)registration: the SIP server may have restarted and forgotten.
  if (s.registration.state === 'registered' && prev.registration.state !== 'registered') presence.resendToSip();
});
// Going not ready while a call rings sends it on to the next agent at once.
agent.subscribe(() => phone.getState().declineUnlessTaking());

// Leaving or reloading during a call asks first; leaving anyway ends the call properly (a BYE,
// not dead air), keeps the consultation as a draft in the core, and frees the desk.
guardPageExit(window, {
  inCall,
  leave: () => {
    consultation.getState().flush();
    desk.release();
    presence.stop();
    phone.getState().useAccount(null);
  },
});

let leadSeen = false;

let leaving = false;

/** Lets go of the desk properly: the consultation kept as a draft in the core, the desk and the phone released. */
function leaveDesk(): void {
  leaving = true;
  consultation.getState().flush();
  desk.release();
  presence.stop();
  phone.getState().useAccount(null);
}

/**
 * Signs the agent out (never during a call: the menu does not offer it then). The desk is let go
 * first, so an unfinished wrap-up reaches the agent's cache as a draft before their core closes.
 */
async function signOut(): Promise<void> {
  if (inCall()) return;
  leaveDesk();
  await connection.store.getState().link?.call('signOut', {}).catch(() => undefined);
  window.location.reload();
}

// Signed out elsewhere (another window): this page starts afresh at the sign-in.
connection.store.subscribe((s, prev) => {
  if (leaving || !prev.session || prev.session.state === 'signed-out' || s.session?.state !== 'signed-out') return;
  leaveDesk();
  window.location.reload();
});

/** Locks the desk; a ready agent stops being offered calls while nobody is at it. */
function lock(reason: LockReason): void {
  if (connection.store.getState().session?.state !== 'signed-in') return;
  if (agent.getState().state.kind === 'ready') agent.getState().setNotReady(LOCKED_REASON);
  void connection.store.getState().link?.call('lock', { reason }).catch(() => undefined);
}
watchIdle({
  target: window,
  minutes: () => connection.store.getState().settings.idleLockMinutes,
  busy: inCall,
  lock: () => lock('idle'),
  now: () => Date.now(),
  timers: { ...browserTimers, setInterval: (fn, ms) => window.setInterval(fn, ms), clearInterval: (h) => window.clearInterval(h as number) },
});
desktop?.shell.on('system', ({ kind }) => kind === 'lock' && lock('os'));

function Root() {
  const { client, link, session, sync, settings } = useStore(connection.store);
  // Only a team lead's desk shows the board.
  const [isLead, setLead] = useState(false);
  useEffect(() => {
    void client?.call('whoAmI', {}).then(
      (me) => {
        const lead = me?.role === 'lead';
        // A team lead's desk opens on the team board; the desk's panes are one click away.
        if (lead && !leadSeen) workspace.getState().setView('board');
        leadSeen ||= lead;
        setLead(lead);
      },
      () => undefined,
    );
  }, [client, sync?.lastSyncedAt]);
  const loadDirectory = useMemo(() => (client ? async () => (await client.call('directory', {})).departments : null), [client]);
  const loadDaily = useCallback(async () => {
    if (!client) throw new Error('not connected');
    // The agent's day in Seoul, whatever the machine's zone.
    return client.call('dailySummary', { day: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Seoul' }) });
  }, [client]);
  const hold = useStore(desk.store, (d) => d.hold);
  const onCall = useStore(phone, (s) => (!!s.call && s.call.state !== 'ended') || !!s.consult);
  if (!link || !session) return <Connecting />;
  if (session.state === 'signed-out') return <SignInScreen link={link} lastUser={session.lastUser} />;
  if (hold !== 'held') return <DeskHoldNotice hold={hold} takeBack={desk.takeBack} />;
  const locked = session.state === 'locked';
  return (
    <>
      <App
        search={search}
        phone={phone}
        agent={agent}
        devices={devices}
        applySink={applySink}
        preferences={preferences}
        directoryMemory={directoryMemory}
        workspace={workspace}
        headset={headset}
        consultation={consultation}
        settings={settings}
        loadDirectory={loadDirectory}
        loadDaily={loadDaily}
        reasons={settings.notReadyReasons}
        sync={sync}
        connected={client !== null}
        storage={window.localStorage}
        board={isLead ? { store: board, monitor: leadMonitor, queue: leadQueue, actions: leadActions, texts: leadTexts, textActions: leadTextActions } : null}
        monitorBadge={<MonitorIndicator store={monitoredBy} showListen={settings.listenIndicator} />}
        updateNotice={desktop && <UpdateNotice shell={desktop.shell} />}
        locked={locked}
        queue={queue}
        work={work}
        bookings={bookings}
        texts={texts}
        me={session.user}
        flags={flags.store}
        account={<AccountMenu displayName={session.displayName} offline={session.state === 'signed-in' && session.offline} canSignOut={!onCall} lock={() => lock('agent')} signOut={() => void signOut()} />}
      />
      {locked && (
        <LockScreen
          displayName={session.displayName}
          reason={session.reason}
          idleMinutes={settings.idleLockMinutes}
          unlock={async (password) => (await link.call('unlock', { password })).ok}
          signOut={() => void signOut()}
        />
      )}
    </>
  );
}

await initI18n(window.localStorage);
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <AriaLocale>
      <Root />
    </AriaLocale>
  </StrictMode>,
);
void connection.keepConnected();
