import { describe, expect, it } from 'vitest';
import { createWorkspaceStore } from '../../../../renderer/workspace/workspace-store';

/** A workspace on a narrow screen (the caller is a tab of the side pane), showing `tab`. */
function narrow(tab: 'caller' | 'record' | 'directory' = 'directory') {
  const ws = createWorkspaceStore();
  ws.getState().setWide(false);
  ws.getState().select(tab);
  return ws;
}

describe('the workspace', () => {
  it('opens on the desk, wide, at the record, with nothing announced', () => {
    expect(createWorkspaceStore().getState()).toMatchObject({ tab: 'record', view: 'desk', wide: true, announcement: null });
  });

  it('shows the tab, view and layout it is told', () => {
    const ws = createWorkspaceStore();
    ws.getState().select('directory');
    ws.getState().setView('board');
    ws.getState().setWide(false);
    expect(ws.getState()).toMatchObject({ tab: 'directory', view: 'board', wide: false });
    ws.getState().select('caller');
    ws.getState().setView('desk');
    ws.getState().setWide(true);
    expect(ws.getState()).toMatchObject({ tab: 'caller', view: 'desk', wide: true });
  });
});

describe('bringing a tab forward for what just happened', () => {
  it('switches to the tab and announces why, when the agent is not typing in the side pane', () => {
    const ws = narrow('directory');
    ws.getState().bringForward('caller', '전화가 왔습니다', false);
    expect(ws.getState().tab).toBe('caller');
    expect(ws.getState().announcement?.text).toBe('전화가 왔습니다');
    ws.getState().bringForward('record', '후처리를 시작합니다', false);
    expect(ws.getState().tab).toBe('record');
    expect(ws.getState().announcement?.text).toBe('후처리를 시작합니다');
  });

  it('keeps the tab the agent is typing in, and only announces', () => {
    const ws = narrow('directory');
    ws.getState().bringForward('caller', '전화가 왔습니다', true);
    expect(ws.getState().tab).toBe('directory');
    expect(ws.getState().announcement?.text).toBe('전화가 왔습니다');
  });

  it('on a wide screen, never selects the caller’s tab (the caller has a pane of its own) but announces', () => {
    const ws = createWorkspaceStore();
    ws.getState().select('directory');
    ws.getState().bringForward('caller', '전화가 왔습니다', false);
    expect(ws.getState().tab).toBe('directory');
    expect(ws.getState().announcement?.text).toBe('전화가 왔습니다');
    // Other tabs still come forward.
    ws.getState().bringForward('record', '후처리를 시작합니다', false);
    expect(ws.getState().tab).toBe('record');
  });

  it('announces the same news again as a new announcement, so it is read out again', () => {
    const ws = narrow('record');
    ws.getState().bringForward('record', '후처리를 시작합니다', false);
    const first = ws.getState().announcement;
    ws.getState().bringForward('record', '후처리를 시작합니다', true);
    const second = ws.getState().announcement;
    expect(second?.text).toBe(first?.text);
    expect(second?.seq).not.toBe(first?.seq);
    expect(second).not.toBe(first);
    ws.getState().bringForward('caller', '후처리를 시작합니다', false);
    expect(new Set([first?.seq, second?.seq, ws.getState().announcement?.seq]).size).toBe(3);
  });

  it('announces without moving anything (a flag kept, a key with nothing to act on)', () => {
    const ws = narrow('directory');
    ws.getState().announce('신고했습니다: 틀림');
    ws.getState().announce('신고했습니다: 틀림');
    expect(ws.getState()).toMatchObject({ tab: 'directory', view: 'desk', announcement: { text: '신고했습니다: 틀림', seq: 2 } });
  });
});
