import { createStore } from 'zustand/vanilla';

export const SIDE_TABS = ['caller', 'record', 'directory', 'work', 'texts'] as const;
/** The tabs of the right pane (민원인 is a tab only on a narrow screen; wide, it has its own pane). */
export type SideTab = (typeof SIDE_TABS)[number];
export type DeskView = 'desk' | 'board';

export interface Announcement {
  text: string;
  /** Tells one announcement from the next with the same words, so each is read out. */
  seq: number;
}

export interface WorkspaceState {
  tab: SideTab;
  view: DeskView;
  /** Whether the screen is wide enough for the caller's own pane. */
  wide: boolean;
  announcement: Announcement | null;
  select(tab: SideTab): void;
  setView(view: DeskView): void;
  setWide(wide: boolean): void;
  /** Says something to a screen reader without moving anything (a flag kept, a key with nothing to act on). */
  announce(text: string): void;
  /**
   * Brings a tab forward for what just happened (a ring, after-call work). A tab switch that
   * would hide the field the agent is typing in is not made: the news is only announced.
   */
  bringForward(tab: SideTab, news: string, typingInSide: boolean): void;
}

export function createWorkspaceStore() {
  let seq = 0;
  const announce = (text: string): Announcement => ({ text, seq: ++seq });
  return createStore<WorkspaceState>()((set, get) => ({
    tab: 'record',
    view: 'desk',
    wide: true,
    announcement: null,
    select: (tab) => set({ tab }),
    setView: (view) => set({ view }),
    setWide: (wide) => set({ wide }),
    announce: (text) => set({ announcement: announce(text) }),
    bringForward(tab, news, typingInSide) {
      const { wide, tab: now } = get();
      // Wide, the caller has a pane of its own: nothing to bring forward.
      const visible = tab === now || (wide && tab === 'caller');
      if (visible || typingInSide) return set({ announcement: announce(news) });
      set({ tab, announcement: announce(news) });
    },
  }));
}

export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>;
