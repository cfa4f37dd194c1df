import { createStore } from 'zustand/vanilla';
import { MONITOR_GRANT_HEADER, MONITOR_MODE_HEADER, MONITOR_MODES, type MonitorMode } from '../../shared/monitoring';
import type { MethodParams } from '../../shared/contract';
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
  grant(agent: string, modes: MonitorMode[]): Promise<{ token: string; grant: { nonce: string } }>;
  call(target: string, headers: readonly string[]): PhoneCall | null;
  /** The team lead's side of the audit (the agent's desk reports its own). */
  report(params: MethodParams<'reportMonitoring'>): void;
}) {
  let leg: PhoneCall | null = null;
  const reporters = new WeakMap<PhoneCall, (event: 'session-start' | 'mode-change' | 'session-stop', reason?: string | null) => void>();
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
        let nonce: string;
        try {
          const issued = await deps.grant(agent, [...MONITOR_MODES]);
          token = issued.token;
          nonce = issued.grant.nonce;
        } catch (e) {
          return patch({ state: 'ended', problem: (e as Error).message });
        }
        if (get().session?.agent !== agent) return;
        const call = deps.call(agent, [`${MONITOR_GRANT_HEADER}: ${token}`, `${MONITOR_MODE_HEADER}: ${mode}`]);
        if (!call) return patch({ state: 'ended', problem: 'phone not registered' });
        leg = call;
        patch({ state: 'connecting' });
        const report = (event: 'session-start' | 'mode-change' | 'session-stop', reason: string | null = null) =>
          deps.report({ event, lead: null, agent, mode: get().session?.mode ?? mode, nonce, reason });
        reporters.set(call, report);
        call.onRemoteStream((stream) => leg === call && patch({ stream }));
        call.onState((s, reason) => {
          if (leg !== call) return;
          if (s === 'connected') {
            patch({ state: 'connected' });
            report('session-start');
          }
          if (s === 'ended') {
            if (get().session?.state === 'connected') report('session-stop', reason ?? null);
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
        reporters.get(leg)?.('mode-change');
      },
      stop() {
        const call = leg;
        leg = null;
        if (call && get().session?.state === 'connected') reporters.get(call)?.('session-stop', 'team lead stopped');
        call?.hangup();
        if (get().session && get().session?.state !== 'ended') patch({ state: 'ended', stream: null });
      },
    };
  });
}
export type LeadMonitor = ReturnType<typeof createLeadMonitor>;
