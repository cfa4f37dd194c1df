import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { DailySummary, SyncStatus } from '../shared/contract';
import type { Department } from '../shared/directory';
import type { CitySettings, NotReadyReason } from '../shared/settings';
import { CallerPanel, RecordPanel } from './consult/ConsultationPanes';
import type { ConsultationStore } from './consult/consultation-store';
import { AgentStatePanel } from './agent/AgentStatePanel';
import type { AgentStateStoreApi } from './agent/agent-state-store';
import type { LocalPreferencesStore } from './core/local-preferences';
import { DeviceNotices, DeviceSettings } from './phone/DeviceSettings';
import type { DeviceStore } from './phone/device-store';
import { DirectoryPanel } from './phone/DirectoryPanel';
import { useDirectory } from './phone/use-directory';
import type { DirectoryMemoryStore } from './phone/directory-memory';
import type { HeadsetLink } from './phone/headset-link';
import { PhonePanel } from './phone/PhonePanel';
import { PhoneStatus } from './phone/PhoneStatus';
import type { PhoneStore } from './phone/phone-store';
import { TransferForm } from './phone/TransferForm';
import { composing, HELP_KEY, isSearchKey, KeymapContext, shortcutFor } from './phone/shortcuts';
import { KeysDialog } from './workspace/KeysDialog';
import { QueueIndicator } from './workspace/QueueIndicator';
import type { PolledStore } from './core/polled-store';
import type { Queue } from '../shared/board';
import type { TextThread } from '../shared/text-inquiry';
import { WorkOffer } from './work/WorkOffer';
import type { WorkStore } from './work/work-store';
import type { BookingsStore } from './work/bookings-store';
import { CallbackRequestForm } from './work/CallbackRequestForm';
import { WorkPanel } from './work/WorkPanel';
import { TextsPanel } from './texts/TextsPanel';
import { TextOffer } from './texts/TextOffer';
import { LeadTexts, type LeadTextActions } from './texts/LeadTexts';
import type { TextsStore } from './texts/texts-store';
import { LeadWork, type LeadActions, type LeadQueue } from './work/LeadWork';
import { SearchPanel, type EntryFlagging } from './search/SearchPanel';
import type { FlagsStore } from './search/flags-store';
import { FlagNotices, MyFlagsPanel } from './search/MyFlags';
import type { SearchStore } from './search/search-store';
import { SyncStatusBar } from './status/SyncStatusBar';
import type { BoardStore } from './board/board-store';
import { TeamBoard } from './board/TeamBoard';
import type { LeadMonitor } from './board/lead-monitor';
import { CallBar } from './workspace/CallBar';
import { SettingsDialog } from './workspace/SettingsDialog';
import { Workspace } from './workspace/Workspace';
import type { WorkspaceStore } from './workspace/workspace-store';

export interface AppProps {
  search: SearchStore;
  phone: PhoneStore;
  agent: AgentStateStoreApi;
  devices: DeviceStore;
  applySink: (el: HTMLAudioElement, id: string) => Promise<boolean>;
  preferences: LocalPreferencesStore;
  directoryMemory: DirectoryMemoryStore;
  workspace: WorkspaceStore;
  headset: HeadsetLink;
  consultation: ConsultationStore;
  settings: CitySettings;
  /** Null until the desk reaches its core. */
  loadDirectory: (() => Promise<Department[]>) | null;
  loadDaily: () => Promise<DailySummary>;
  reasons: readonly NotReadyReason[];
  sync: SyncStatus | null;
  connected: boolean;
  storage: Pick<Storage, 'setItem'>;
  /** The team board and monitoring, for a team lead's desk only. */
  board: { store: BoardStore; monitor: LeadMonitor; queue: PolledStore<LeadQueue>; actions: LeadActions; texts: PolledStore<TextThread[]>; textActions: LeadTextActions } | null;
  /** Shown in the call bar: a team lead on this call. */
  monitorBadge: ReactNode;
  /** Shown in the status line: the desktop app's update notice. */
  updateNotice: ReactNode;
  /** The desk is locked: its function keys do nothing until it is unlocked. */
  locked: boolean;
  /** The signed-in agent's menu (lock, sign out), in the call bar. */
  account: ReactNode;
  /** Calls waiting, from the city server. */
  queue: PolledStore<Queue>;
  /** Callbacks offered to the agent and the one in hand. */
  work: WorkStore;
  /** Reservation slots and the day's bookings. */
  bookings: BookingsStore;
  /** Citizens' text threads. */
  texts: TextsStore;
  /** The signed-in agent's username. */
  me: string;
  /** The agent's flags on manual entries, and the flag menu. */
  flags: FlagsStore;
}

const NO_DEPARTMENTS: readonly Department[] = [];
const now = () => new Date();

/** The knowledge search box, for Ctrl+K. */
const SEARCH_ID = 'desk-search';

export function App(p: AppProps) {
  const { t, i18n } = useTranslation();
  const phone = useStore(p.phone);
  const callSink = useStore(p.devices, (s) => s.choices.call.deviceId);
  const autoAnswer = useStore(p.preferences, (s) => s.autoAnswerSeconds);
  const headset = useStore(p.headset.store);
  const transferInput = useRef<HTMLInputElement>(null);
  const keymap = useStore(p.preferences, (s) => s.keymap);
  const suggestions = useStore(p.consultation, (s) => s.current?.pop?.suggestions);
  // The caller at hand: the number the work tab's forms start from.
  const callerNumber = useStore(p.consultation, (s) => s.current?.callerNumber ?? '');
  const sideTab = useStore(p.workspace, (s) => s.tab);
  const openEntry = useStore(p.search, (s) => s.open);
  // A call's consultation under way leaves a text thread's wrap-up for later.
  const callConsultation = useStore(p.consultation, (s) => !!s.current && !s.current.threadId && s.current.phase !== 'wrap-up');
  const showTexts = useCallback(() => {
    p.workspace.getState().select('texts');
    p.workspace.getState().setView('desk');
  }, [p.workspace]);
  // The thread's consultation comes on screen (another conversation there is kept as a draft), then its wrap-up.
  const wrapUpThread = useCallback(
    (thread: TextThread) => {
      if (p.consultation.getState().current?.threadId !== thread.id) p.texts.getState().follow(thread);
      if (p.consultation.getState().current?.threadId === thread.id) p.consultation.getState().ended(true);
      p.workspace.getState().select('record');
    },
    [p.consultation, p.texts, p.workspace],
  );
  // The city's departments, loaded once: the directory lists them, the record files under one,
  // the entry reader names an entry's.
  const directory = useDirectory(p.loadDirectory);
  const departments = directory.departments ?? NO_DEPARTMENTS;
  const [keysOpen, setKeysOpen] = useState(false);
  // Where Ctrl+K came from, for Esc to go back to.
  const beforeSearch = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (p.locked) return;
    const onKey = (e: KeyboardEvent) => {
      if (isSearchKey(e)) {
        e.preventDefault();
        const from = document.activeElement;
        beforeSearch.current = from instanceof HTMLElement && from.id !== SEARCH_ID ? from : beforeSearch.current;
        p.workspace.getState().setView('desk');
        requestAnimationFrame(() => document.getElementById(SEARCH_ID)?.focus());
      } else if (e.key === HELP_KEY && !composing(e)) {
        e.preventDefault();
        setKeysOpen(true);
      } else if (shortcutFor(e, keymap) === 'flag') {
        // The first of two keys: the menu on the open entry, whose number keys pick the kind.
        e.preventDefault();
        if (!p.search.getState().open) return p.workspace.getState().announce(t('entry.noEntry'));
        p.workspace.getState().setView('desk');
        p.flags.getState().openMenu();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [p.locked, p.workspace, p.search, p.flags, keymap, t]);
  const leaveSearch = useCallback(() => {
    const back = beforeSearch.current;
    beforeSearch.current = null;
    if (back?.isConnected) back.focus();
  }, []);
  const onCall = !!phone.call && phone.call.state !== 'ended';
  const inCall = phone.call?.state === 'connected';
  // F7 or the transfer button: the directory tab, its transfer field focused once shown.
  const openTransfer = useCallback(() => {
    p.workspace.getState().select('directory');
    p.workspace.getState().setView('desk');
    requestAnimationFrame(() => transferInput.current?.focus());
  }, [p.workspace]);
  const flagging = useMemo<EntryFlagging>(
    () => ({
      store: p.flags,
      key: keymap.flag,
      send: async (entry, kind, note) => {
        const kept = await p.flags.getState().raise(entry, kind, note);
        if (kept) p.workspace.getState().announce(t('entry.flagged', { kind: t(`entry.flagKinds.${kind}`) }));
        return kept;
      },
    }),
    [p.flags, p.workspace, keymap.flag, t],
  );
  const setLanguage = (language: string) => {
    p.storage.setItem('minwon.language', language);
    void i18n.changeLanguage(language);
  };
  return (
    <KeymapContext.Provider value={keymap}>
      <div className="app" lang={i18n.language}>
        <Workspace
          store={p.workspace}
          preferences={p.preferences}
          bar={
            <CallBar
              workspace={p.workspace}
              lead={p.board !== null}
              agent={<AgentStatePanel store={p.agent} reasons={p.reasons} onCall={onCall} />}
              queue={<QueueIndicator store={p.queue} />}
              phone={<PhonePanel store={p.phone} callSink={callSink} applySink={p.applySink} dialer="popover" onTransfer={openTransfer} shortcuts={!p.locked} />}
              status={<PhoneStatus store={p.phone} />}
              monitor={p.monitorBadge}
              account={p.account}
              keys={<KeysDialog preferences={p.preferences} isOpen={keysOpen} onOpenChange={setKeysOpen} />}
              settings={
                <SettingsDialog
                  preferences={p.preferences}
                  onLanguage={setLanguage}
                  devices={
                    <DeviceSettings
                      devices={p.devices}
                      autoAnswer={autoAnswer}
                      onAutoAnswer={(s) => p.preferences.getState().setAutoAnswer(s)}
                      headset={{ name: headset.name, supported: headset.supported, connect: () => void p.headset.connect() }}
                      notifications={{
                        permission: typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
                        request: () => void Notification.requestPermission(),
                      }}
                    />
                  }
                />
              }
              alerts={
                <>
                  <WorkOffer store={p.work} />
                  <TextOffer store={p.texts} me={p.me} onTake={showTexts} />
                  <FlagNotices store={p.flags} />
                  <DeviceNotices devices={p.devices} />
                </>
              }
            />
          }
          caller={
            <CallerPanel
              store={p.consultation}
              sync={p.sync}
              loadDaily={p.loadDaily}
              openEntry={(id) => p.search.getState().openEntry(id)}
              myFlags={<MyFlagsPanel store={p.flags} openEntry={(id) => p.search.getState().openEntry(id)} />}
            />
          }
          knowledge={
            <SearchPanel
              store={p.search}
              inputId={SEARCH_ID}
              onLeave={leaveSearch}
              departmentName={(id) => departments.find((d) => d.id === id)?.name ?? null}
              suggestions={suggestions}
              flagging={flagging}
            />
          }
          record={
            <RecordPanel
              store={p.consultation}
              taxonomy={p.settings.taxonomy}
              districts={p.settings.districts}
              departments={departments}
              onSaved={() => p.agent.getState().state.kind === 'wrap-up' && p.agent.getState().setReady()}
              {...(p.settings.notReadyReasons.some((r) => r.id === p.settings.protection.protectedBreakReason)
                ? { onSavedToProtectedBreak: () => p.agent.getState().setNotReady(p.settings.protection.protectedBreakReason) }
                : {})}
              callbackForm={<CallbackRequestForm key={callerNumber} store={p.work} number={callerNumber} now={now} />}
            />
          }
          directory={
            <>
              {inCall && <TransferForm phone={phone} inputRef={transferInput} />}
              <DirectoryPanel
                directory={directory}
                memory={p.directoryMemory}
                actions={{
                  inCall,
                  call: (ext) => phone.dial(ext),
                  transfer: (ext) => phone.blindTransfer(ext),
                  consult: (ext) => phone.startConsult(ext),
                }}
              />
            </>
          }
          work={<WorkPanel work={p.work} bookings={p.bookings} callerNumber={callerNumber} now={now} shown={sideTab === 'work'} />}
          texts={<TextsPanel store={p.texts} me={p.me} policy={p.settings.texts} entry={openEntry} now={now} wrapUp={callConsultation ? null : wrapUpThread} />}
          board={
            p.board && (
              <>
                <TeamBoard store={p.board.store} controls={{ monitor: p.board.monitor, sinkId: callSink, applySink: p.applySink }} />
                <LeadWork queue={p.board.queue} bookings={p.bookings} board={p.board.store} actions={p.board.actions} />
                <LeadTexts threads={p.board.texts} board={p.board.store} actions={p.board.textActions} />
              </>
            )
          }
          footer={
            <>
              {p.updateNotice}
              <SyncStatusBar status={p.sync} connected={p.connected} />
            </>
          }
        />
      </div>
    </KeymapContext.Provider>
  );
}
