import { createStore } from 'zustand/vanilla';
import { MONITOR_GRANT_HEADER, MONITOR_MODE_HEADER, MONITOR_MODES, type MonitorMode } from '../../shared/monitoring';
import type { PhoneCall } from '../phone/sip-phone';

export interface LeadSession {
  agent: string;
  mode: MonitorMode;
  state: 'requesting' | 'connecting' | 'connected' | 'ended';
  /** Why it ended or never started, or why a mode change was refused. */
  problem: string | null;
  /** Agent + caller, as the agent's desk mixes them. */
  stream: MediaStream | null;
}

export interface LeadMonitorState {
  session: LeadSession | null;
  start(agent: string, mode: MonitorMode): Promise<void>;
  setMode(mode: MonitorMode): void;
  stop(): void;
}

/**
 * The team lead's side of monitoring: a grant from the city server for one agent (all modes, so
 * the lead can switch without redialling), a call to the agent's phone carrying it, and mode
 * changes in that call's dialog. One session at a time.
 */
export function createLeadMonitor(deps: {
  grant(agent: string, modes: MonitorMode[]): Promise<{ token: string }>;
  call(target: string, headers: readonly string[]): PhoneCall | null;
}) {
  let leg: PhoneCall | null = null;
  return createStore<LeadMonitorState>()((set, get) => {
    const patch = (p: Partial<LeadSession>) => {
      const s = get().session;
      if (s) set({ session: { ...s, ...p } });
    };
    return {
      session: null,
      async start(agent, mode) {
        get().stop();
        set({ session: { agent, mode, state: 'requesting', problem: null, stream: null } });
        let token: string;
        try {
          token = (await deps.grant(agent, [...MONITOR_MODES])).token;
        } catch (e) {
          return patch({ state: 'ended', problem: (e as Error).message });
        }
        if (get().session?.agent !== agent) return;
        const call = deps.call(agent, [`${MONITOR_GRANT_HEADER}: ${token}`, `${MONITOR_MODE_HEADER}: ${mode}`]);
        if (!call) return patch({ state: 'ended', problem: 'phone not registered' });
        leg = call;
        patch({ state: 'connecting' });
        call.onRemoteStream((stream) => leg === call && patch({ stream }));
        call.onState((s, reason) => {
          if (leg !== call) return;
          if (s === 'connected') patch({ state: 'connected' });
          if (s === 'ended') {
            leg = null;
            patch({ state: 'ended', stream: null, problem: reason ?? null });
          }
        });
        call.onMonitorInfo((body) => {
          const refused = /^refused=(\w+)$/.exec(body.trim())?.[1];
          if (refused && leg === call) patch({ problem: `mode ${refused} refused` });
        });
      },
      setMode(mode) {
        if (!leg || get().session?.state !== 'connected') return;
        leg.sendMonitorInfo(`mode=${mode}`);
        patch({ mode, problem: null });
      },
      stop() {
        const call = leg;
        leg = null;
        call?.hangup();
        if (get().session && get().session?.state !== 'ended') patch({ state: 'ended', stream: null });
      },
    };
  });
}
export type LeadMonitor = ReturnType<typeof createLeadMonitor>;
