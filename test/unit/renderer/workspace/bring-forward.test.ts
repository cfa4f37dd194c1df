import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { AgentStateStoreApi } from '../../../../renderer/agent/agent-state-store';
import type { PhoneStore } from '../../../../renderer/phone/phone-store';
import type { CallState } from '../../../../renderer/phone/sip-phone';
import { bringForwardOnCalls, typingIn } from '../../../../renderer/workspace/bring-forward';
import { createWorkspaceStore } from '../../../../renderer/workspace/workspace-store';

/** The focused element, as far as `typingIn` looks at it: inside the side pane or not. */
function focused(o: { inSide: boolean; tagName: string; type?: string; isContentEditable?: boolean }) {
  const el = {
    tagName: o.tagName,
    type: o.type,
    isContentEditable: o.isContentEditable ?? false,
    closest: (selector: string) => (o.inSide && selector === '[data-side-pane]' ? ({} as Element) : null),
  };
  return { activeElement: el as unknown as Element };
}

describe('typingIn', () => {
  it('is false with nothing focused', () => {
    expect(typingIn({ activeElement: null })).toBe(false);
  });

  it('is false for a field outside the side pane', () => {
    expect(typingIn(focused({ inSide: false, tagName: 'INPUT', type: 'text' }))).toBe(false);
    expect(typingIn(focused({ inSide: false, tagName: 'TEXTAREA' }))).toBe(false);
    expect(typingIn(focused({ inSide: false, tagName: 'DIV', isContentEditable: true }))).toBe(false);
  });

  it('is true for a field the agent types or picks in, inside the side pane', () => {
    for (const type of ['text', 'search', 'tel', 'number', '']) expect(typingIn(focused({ inSide: true, tagName: 'INPUT', type })), type).toBe(true);
    expect(typingIn(focused({ inSide: true, tagName: 'TEXTAREA' }))).toBe(true);
    expect(typingIn(focused({ inSide: true, tagName: 'SELECT' }))).toBe(true);
    expect(typingIn(focused({ inSide: true, tagName: 'DIV', isContentEditable: true }))).toBe(true);
  });

  it('is false for a control inside the side pane that is clicked, not typed in', () => {
    for (const type of ['button', 'checkbox', 'radio', 'submit', 'reset']) expect(typingIn(focused({ inSide: true, tagName: 'INPUT', type })), type).toBe(false);
    expect(typingIn(focused({ inSide: true, tagName: 'BUTTON' }))).toBe(false);
    expect(typingIn(focused({ inSide: true, tagName: 'DIV' }))).toBe(false);
  });
});

type Call = { id: string; state: CallState } | null;
type AgentKind = 'ready' | 'not-ready' | 'break' | 'wrap-up';

/** The phone and agent stores with just what `bringForwardOnCalls` reads, on a narrow desk showing the directory. */
function desk() {
  const phone = createStore<{ call: Call }>()(() => ({ call: null }));
  const agent = createStore<{ state: { kind: AgentKind }; other: number }>()(() => ({ state: { kind: 'ready' }, other: 0 }));
  const workspace = createWorkspaceStore();
  workspace.getState().setWide(false);
  workspace.getState().select('directory');
  let typing = false;
  const brought: string[] = [];
  workspace.subscribe((s, prev) => {
    if (s.announcement !== prev.announcement) brought.push(`${s.tab} ${s.announcement?.text}`);
  });
  const stop = bringForwardOnCalls({
    phone: phone as unknown as PhoneStore,
    agent: agent as unknown as AgentStateStoreApi,
    workspace,
    typingInSide: () => typing,
    text: (key) => (key === 'ringing' ? '전화가 왔습니다' : '후처리를 시작합니다'),
  });
  return {
    ring: (id: string, state: CallState = 'ringing') => phone.setState({ call: { id, state } }),
    hangUp: () => phone.setState({ call: null }),
    enter: (kind: AgentKind) => agent.setState({ state: { kind } }),
    agent,
    workspace,
    brought,
    typing: (t: boolean) => void (typing = t),
    stop,
  };
}

describe('bringing the side pane’s tab forward on calls', () => {
  it('brings the caller forward once for a ringing call, again for the next call', () => {
    const d = desk();
    d.ring('a');
    expect(d.brought).toEqual(['caller 전화가 왔습니다']);
    // The agent looks elsewhere while it still rings: the ring is old news.
    d.workspace.getState().select('directory');
    d.ring('a');
    expect(d.brought).toHaveLength(1);
    expect(d.workspace.getState().tab).toBe('directory');
    // One ring replaced by the next with nothing in between is still a new call.
    d.ring('b');
    expect(d.brought).toEqual(['caller 전화가 왔습니다', 'caller 전화가 왔습니다']);
    d.ring('b', 'connected');
    d.hangUp();
    expect(d.brought).toHaveLength(2);
    d.ring('c');
    expect(d.brought).toHaveLength(3);
  });

  it('brings the caller forward for a call that rings again after being placed', () => {
    const d = desk();
    d.ring('a', 'dialing');
    expect(d.brought).toEqual([]);
    d.ring('a');
    expect(d.brought).toEqual(['caller 전화가 왔습니다']);
  });

  it('brings the record forward once when after-call work starts', () => {
    const d = desk();
    d.enter('wrap-up');
    expect(d.brought).toEqual(['record 후처리를 시작합니다']);
    d.workspace.getState().select('directory');
    d.agent.setState({ other: 1 });
    d.enter('wrap-up');
    expect(d.brought).toHaveLength(1);
    d.enter('ready');
    expect(d.brought).toHaveLength(1);
    d.enter('wrap-up');
    expect(d.brought).toHaveLength(2);
  });

  it('leaves the tab the agent is typing in, and only announces', () => {
    const d = desk();
    d.typing(true);
    d.ring('a');
    d.enter('wrap-up');
    expect(d.brought).toEqual(['directory 전화가 왔습니다', 'directory 후처리를 시작합니다']);
    d.typing(false);
    d.ring('b');
    expect(d.workspace.getState().tab).toBe('caller');
  });

  it('stops following calls once stopped', () => {
    const d = desk();
    d.stop();
    d.ring('a');
    d.enter('wrap-up');
    expect(d.brought).toEqual([]);
    expect(d.workspace.getState().tab).toBe('directory');
  });
});
