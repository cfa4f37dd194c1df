import { MONITOR_MODES, type MonitorMode } from '../../shared/monitoring';
import type { MethodParams, MethodResult } from '../../shared/contract';
import type { MonitorMix } from './monitor-mix';
import type { MonitorInvite, PhoneCall } from './sip-phone';

export interface MonitoredCall {
  call: PhoneCall;
  remoteStream: MediaStream | null;
  /** Calls back once when this call ends. */
  onEnded(listener: () => void): void;
}

export interface MonitorDeskDeps {
  /** The agent's connected call, if any: the only thing that may be monitored. */
  activeCall(): MonitoredCall | null;
  admit(params: MethodParams<'admitMonitoring'>): Promise<MethodResult<'admitMonitoring'>>;
  report(params: MethodParams<'reportMonitoring'>): void;
  mix(o: { call: MonitoredCall; leg: PhoneCall; leadStream: MediaStream; mode: MonitorMode }): Promise<MonitorMix>;
  /** What the agent is shown: who monitors and how (null when nobody does). */
  onSession(session: { lead: string; mode: MonitorMode } | null): void;
}

const isMode = (m: string): m is MonitorMode => (MONITOR_MODES as readonly string[]).includes(m);

/**
 * The agent's desk answering a team lead's monitoring call: only while the agent is on a call,
 * only with a grant the core admits (checked for signature, agent, mode, expiry and single use),
 * and only into the modes the grant allows. The session ends with the monitored call; the team
 * lead hanging up leaves the agent's call as it was.
 */
export function createMonitorDesk(deps: MonitorDeskDeps): (invite: MonitorInvite) => void {
  return (invite) => {
    void (async () => {
      const active = deps.activeCall();
      const mode = invite.mode;
      if (!active || !isMode(mode)) {
        const reason = !active ? 'no call to monitor' : `unknown mode ${mode.slice(0, 20)}`;
        deps.report({ event: 'call-refused', lead: null, mode: null, nonce: null, reason });
        return invite.reject(active ? 403 : 480, active ? 'Forbidden' : 'No Call To Monitor');
      }
      const verdict = await deps.admit({ token: invite.token?.trim() || null, mode }).catch(() => null);
      if (!verdict?.admitted) return invite.reject(403, 'Forbidden');
      const grant = verdict;
      let current: MonitorMode = mode;
      let mix: MonitorMix | null = null;
      let ended = false;
      const end = (why: string) => {
        if (ended) return;
        ended = true;
        void mix?.stop();
        deps.onSession(null);
        deps.report({ event: 'session-stop', lead: grant.lead, mode: current, nonce: grant.nonce, reason: why });
      };
      invite.call.onState((s) => s === 'ended' && end('team lead hung up'));
      active.onEnded(() => {
        invite.call.hangup();
        end('monitored call ended');
      });
      invite.call.onRemoteStream((leadStream) => {
        if (mix || ended) return;
        void deps.mix({ call: active, leg: invite.call, leadStream, mode: current }).then((m) => {
          if (ended) return void m.stop();
          mix = m;
          m.setMode(current);
        });
      });
      invite.call.onMonitorInfo((body) => {
        const asked = /^mode=(\w+)$/.exec(body.trim())?.[1] ?? '';
        if (!isMode(asked) || !grant.modes.includes(asked)) {
          deps.report({ event: 'call-refused', lead: grant.lead, mode: isMode(asked) ? asked : null, nonce: grant.nonce, reason: `mode ${asked.slice(0, 20)} beyond the grant` });
          invite.call.sendMonitorInfo(`refused=${asked.slice(0, 20)}`);
          return;
        }
        current = asked;
        mix?.setMode(asked);
        deps.onSession({ lead: grant.lead, mode: asked });
        deps.report({ event: 'mode-change', lead: grant.lead, mode: asked, nonce: grant.nonce, reason: null });
      });
      invite.call.answer();
      deps.onSession({ lead: grant.lead, mode });
    })();
  };
}
