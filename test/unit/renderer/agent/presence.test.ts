import { describe, expect, it } from 'vitest';
import type { AgentState } from '../../../../renderer/agent/agent-state-store';
import { presenceOf } from '../../../../renderer/agent/presence';
import { presenceSchema } from '../../../../shared/presence';

const states: AgentState[] = [
  { kind: 'ready' },
  { kind: 'not-ready', reason: 'meal' },
  { kind: 'not-ready', reason: null },
  { kind: 'break', since: 1_000 },
  { kind: 'wrap-up', until: 31_000 },
];

describe('presenceOf', () => {
  it('tells the city the agent’s own state when off the phone', () => {
    expect(presenceOf({ kind: 'ready' }, false)).toEqual({ state: 'ready', reason: null });
    expect(presenceOf({ kind: 'wrap-up', until: 31_000 }, false)).toEqual({ state: 'wrap-up', reason: null });
    expect(presenceOf({ kind: 'break', since: 1_000 }, false)).toEqual({ state: 'break', reason: null });
  });

  it('passes the not-ready reason on, and none before the agent started work', () => {
    expect(presenceOf({ kind: 'not-ready', reason: 'meal' }, false)).toEqual({ state: 'not-ready', reason: 'meal' });
    expect(presenceOf({ kind: 'not-ready', reason: null }, false)).toEqual({ state: 'not-ready', reason: null });
  });

  it('says on-call whatever the agent’s state while the phone is busy, without a reason', () => {
    for (const s of states) expect(presenceOf(s, true), s.kind).toEqual({ state: 'on-call', reason: null });
    expect(presenceOf({ kind: 'ready' }, true, '상수도/누수')).toEqual({ state: 'on-call', reason: null, category: '상수도/누수' });
    // Off the phone there is no call to describe.
    expect(presenceOf({ kind: 'ready' }, false, '상수도/누수')).toEqual({ state: 'ready', reason: null });
  });

  it('always gives what the city server accepts', () => {
    for (const s of states) {
      for (const onPhone of [false, true]) expect(presenceSchema.safeParse(presenceOf(s, onPhone)).success, `${s.kind} ${onPhone}`).toBe(true);
    }
  });
});
