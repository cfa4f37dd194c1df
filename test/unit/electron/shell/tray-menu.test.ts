import { describe, expect, it, vi } from 'vitest';
import { createShellT } from '../../../../electron/shell/shell-i18n';
import { trayView } from '../../../../electron/shell/tray-menu';

describe('tray', () => {
  it('shows the agent’s state in Korean, English on an English OS', () => {
    const actions = { show: vi.fn(), quit: vi.fn() };
    const ko = trayView(createShellT('ko-KR'), { state: 'on-call', reason: null }, actions);
    expect(ko.tooltip).toBe('민원데스크 — 통화 중');
    expect(ko.menu.map((m) => m.label)).toEqual(['통화 중', undefined, '민원데스크 열기', '종료']);
    expect(trayView(createShellT('en-US'), null, actions).tooltip).toBe('Minwon Desk — Signed out');
    expect(trayView(createShellT('ja'), { state: 'ready', reason: null }, actions).tooltip).toBe('민원데스크 — 상담 대기 중');
    ko.menu[3]?.click?.({} as never, undefined, {} as never);
    expect(actions.quit).toHaveBeenCalledOnce();
  });
});
