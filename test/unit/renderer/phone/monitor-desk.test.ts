import { describe, expect, it } from 'vitest';
import type { MethodParams, MethodResult } from '../../../../shared/contract';
import type { MonitorMode } from '../../../../shared/monitoring';
import { createMonitorDesk, type MonitoredCall } from '../../../../renderer/phone/monitor-desk';
import type { CallState, MonitorInvite, PhoneCall } from '../../../../renderer/phone/sip-phone';

/** A monitoring leg the test drives: what the desk asked of it, and its events. */
function leg() {
  const asked: string[] = [];
  const state: ((s: CallState) => void)[] = [];
  const info: ((b: string) => void)[] = [];
  const streams: ((s: MediaStream) => void)[] = [];
  const call = {
    answer: () => asked.push('answer'),
    hangup: () => asked.push('hangup'),
    onState: (l: (s: CallState) => void) => void state.push(l),
    onMonitorInfo: (l: (b: string) => void) => void info.push(l),
    onRemoteStream: (l: (s: MediaStream) => void) => void streams.push(l),
    sendMonitorInfo: (b: string) => asked.push(`info ${b}`),
  } as unknown as PhoneCall;
  return { call, asked, end: () => state.forEach((l) => l('ended')), info: (b: string) => info.forEach((l) => l(b)), stream: () => streams.forEach((l) => l({} as MediaStream)) };
}

function desk(o: { active?: boolean; verdict?: MethodResult<'admitMonitoring'> } = {}) {
  const reports: MethodParams<'reportMonitoring'>[] = [];
  const sessions: ({ lead: string; mode: MonitorMode } | null)[] = [];
  const modes: MonitorMode[] = [];
  let endCall: () => void = () => {};
  const active: MonitoredCall = { call: {} as PhoneCall, remoteStream: {} as MediaStream, onEnded: (l) => void (endCall = l) };
  const handle = createMonitorDesk({
    activeCall: () => (o.active === false ? null : active),
    admit: async () => o.verdict ?? { admitted: true, lead: 'lead1', modes: ['listen', 'whisper'], nonce: 'n'.repeat(24), expiresAt: new Date().toISOString() },
    report: (p) => void reports.push(p),
    mix: async ({ mode }) => {
      modes.push(mode);
      return { setMode: (m) => void modes.push(m), stop: async () => void modes.push('stopped' as MonitorMode) };
    },
    onSession: (s) => void sessions.push(s),
  });
  return { handle, reports, sessions, modes, endCall: () => endCall() };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const invite = (l: ReturnType<typeof leg>, rejected: string[], mode = 'listen'): MonitorInvite => ({
  lead: 'lead1',
  token: 'token',
  mode,
  call: l.call,
  reject: (status, reason) => void rejected.push(`${status} ${reason}`),
});

describe('monitoring on the agent’s desk', () => {
  it('answers an admitted grant, mixes, and switches only to modes the grant allows', async () => {
    const d = desk();
    const l = leg();
    const rejected: string[] = [];
    d.handle(invite(l, rejected));
    await settle();
    expect(l.asked).toEqual(['answer']);
    expect(d.sessions).toEqual([{ lead: 'lead1', mode: 'listen' }]);
    l.stream();
    await settle();
    l.info('mode=whisper');
    l.info('mode=barge');
    expect(d.modes).toEqual(['listen', 'listen', 'whisper']);
    expect(l.asked).toContain('info refused=barge');
    expect(d.reports.map((r) => `${r.event} ${r.mode}`)).toEqual(['mode-change whisper', 'call-refused barge']);
    expect(rejected).toEqual([]);
  });

  it('ends the session with the monitored call, and the team lead hanging up ends only the session', async () => {
    const d = desk();
    const l = leg();
    d.handle(invite(l, []));
    await settle();
    l.stream();
    await settle();
    d.endCall();
    expect(l.asked).toContain('hangup');
    expect(d.sessions.at(-1)).toBeNull();
    expect(d.reports.at(-1)).toMatchObject({ event: 'session-stop', reason: 'monitored call ended' });
    expect(d.modes.at(-1)).toBe('stopped');

    const e = desk();
    const m = leg();
    e.handle(invite(m, []));
    await settle();
    m.end();
    expect(e.reports.at(-1)).toMatchObject({ event: 'session-stop', reason: 'team lead hung up' });
    expect(m.asked).not.toContain('hangup');
  });

  it('refuses with 403 what the core does not admit, and with 480 when there is no call', async () => {
    const refused = desk({ verdict: { admitted: false, reason: 'replay', message: 'grant was already used' } });
    const rejected: string[] = [];
    const l = leg();
    refused.handle(invite(l, rejected));
    await settle();
    expect(rejected).toEqual(['403 Forbidden']);
    expect(l.asked).toEqual([]);

    const idle = desk({ active: false });
    idle.handle(invite(leg(), rejected));
    await settle();
    expect(rejected.at(-1)).toBe('480 No Call To Monitor');
    expect(idle.reports).toMatchObject([{ event: 'call-refused', reason: 'no call to monitor' }]);

    desk().handle(invite(leg(), rejected, 'record'));
    await settle();
    expect(rejected.at(-1)).toBe('403 Forbidden');
  });
});
