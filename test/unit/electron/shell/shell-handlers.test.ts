import { describe, expect, it, vi } from 'vitest';
import type { Presence } from '../../../../shared/presence';
import type { UpdateStatus } from '../../../../shared/shell-contract';
import { createShellHandlers, type Notice } from '../../../../electron/shell/shell-handlers';

function setUp(state: UpdateStatus['state'] = 'ready') {
  const notices: (Notice & { title: string; closed: boolean; click?: () => void })[] = [];
  let presence: Presence | null = { state: 'ready', reason: null };
  const install = vi.fn(() => state === 'ready');
  const opened: string[] = [];
  const showWindow = vi.fn();
  const handlers = createShellHandlers({
    notice: (title) => {
      const n = {
        title,
        closed: false,
        show: () => {},
        close: () => void (n.closed = true),
        on: (_e: 'click', l: () => void) => void (n.click = l),
      } as (typeof notices)[number];
      notices.push(n);
      return n;
    },
    showWindow,
    links: { externalOrigins: ['https://www.pohang.go.kr'], openExternal: async (u) => void opened.push(u), log: () => {} },
    updates: { status: () => ({ state, channel: 'stable', currentVersion: '0.1.0', version: '0.2.0', message: null, at: new Date(0).toISOString() }), install },
    presence: () => presence,
  });
  return { handlers, notices, install, opened, showWindow, setPresence: (p: Presence | null) => (presence = p) };
}

describe('shell handlers', () => {
  it('keeps one notice per tag, brings the window forward on click, and takes it away', async () => {
    const s = setUp();
    await s.handlers.notify({ title: '전화 1', body: '', tag: 'call' });
    await s.handlers.notify({ title: '전화 2', body: '', tag: 'call' });
    expect(s.notices.map((n) => [n.title, n.closed])).toEqual([
      ['전화 1', true],
      ['전화 2', false],
    ]);
    s.notices[1]?.click?.();
    expect(s.showWindow).toHaveBeenCalledOnce();
    expect(await s.handlers.dismiss({ tag: 'call' })).toEqual({ dismissed: true });
    expect(s.notices[1]?.closed).toBe(true);
    expect(await s.handlers.dismiss({ tag: 'call' })).toEqual({ dismissed: false });
  });

  it('opens only allow-listed links', async () => {
    const s = setUp();
    expect(await s.handlers.openExternal({ url: 'https://www.pohang.go.kr/x' })).toEqual({ opened: true });
    expect(await s.handlers.openExternal({ url: 'https://evil.example/' })).toEqual({ opened: false });
    expect(s.opened).toEqual(['https://www.pohang.go.kr/x']);
  });

  it('never installs an update during a call, nor one that is not ready', async () => {
    const s = setUp();
    s.setPresence({ state: 'on-call', reason: null });
    expect(await s.handlers.installUpdate({})).toEqual({ installing: false });
    expect(s.install).not.toHaveBeenCalled();
    s.setPresence({ state: 'wrap-up', reason: null });
    expect(await s.handlers.installUpdate({})).toEqual({ installing: true });
    const notReady = setUp('refused');
    expect(await notReady.handlers.installUpdate({})).toEqual({ installing: false });
  });
});
