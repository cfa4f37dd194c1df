import { describe, expect, it } from 'vitest';
import { createPresenceReporter } from '../../../../electron/core/presence/presence-reporter';
import type { Presence } from '../../../../shared/presence';

const ready: Presence = { state: 'ready', reason: null };
const onCall: Presence = { state: 'on-call', reason: null };
const wrapUp: Presence = { state: 'wrap-up', reason: null };
const meal: Presence = { state: 'not-ready', reason: 'meal' };
const admin: Presence = { state: 'not-ready', reason: 'admin' };

/** Timers the test fires by hand. */
function manualTimers() {
  const due = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  return {
    due,
    cleared: [] as unknown[],
    setTimeout(fn: () => void, ms: number) {
      due.set(next, { fn, ms });
      return next++;
    },
    clearTimeout(h: unknown) {
      this.cleared.push(h);
      due.delete(h as number);
    },
    fireAll() {
      const now = [...due.values()];
      due.clear();
      now.forEach((d) => d.fn());
    },
  };
}

/**
 * The city server as the reporter sees it: `up` answers at once, `down` refuses, and `hold`
 * keeps each request open until the test settles it.
 */
function fakeServer() {
  const sent: Presence[] = [];
  const open: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let mode: 'up' | 'down' | 'hold' = 'up';
  const warnings: string[] = [];
  return {
    sent,
    open,
    warnings,
    set mode(m: 'up' | 'down' | 'hold') {
      mode = m;
    },
    send(p: Presence): Promise<unknown> {
      sent.push(p);
      if (mode === 'up') return Promise.resolve({ state: p.state });
      if (mode === 'down') return Promise.reject(new Error('ECONNREFUSED'));
      return new Promise<void>((resolve, reject) => open.push({ resolve, reject }));
    },
    logger: { info: () => {}, warn: (m: string) => void warnings.push(m), error: () => {} },
  };
}

const settle = () => new Promise<void>((r) => setTimeout(r, 0));

describe('the presence reporter', () => {
  it('delivers a state and says so', async () => {
    const server = fakeServer();
    const timers = manualTimers();
    const reporter = createPresenceReporter({ send: (p) => server.send(p), timers, logger: server.logger });
    await expect(reporter.report(ready)).resolves.toBe(true);
    expect(server.sent).toEqual([ready]);
    expect(timers.due.size).toBe(0);
  });

  it('sends only the latest of the states reported while one was on its way', async () => {
    const server = fakeServer();
    server.mode = 'hold';
    const reporter = createPresenceReporter({ send: (p) => server.send(p), timers: manualTimers(), logger: server.logger });
    const first = reporter.report(ready);
    const second = reporter.report(onCall);
    const third = reporter.report(wrapUp);
    expect(server.sent).toEqual([ready]);
    server.mode = 'up';
    server.open[0]?.resolve();
    await expect(Promise.all([first, second, third])).resolves.toEqual([true, true, true]);
    expect(server.sent).toEqual([ready, wrapUp]);
  });

  it('does not send the same state again, but does send a new not-ready reason', async () => {
    const server = fakeServer();
    const reporter = createPresenceReporter({ send: (p) => server.send(p), timers: manualTimers(), logger: server.logger });
    await reporter.report(ready);
    await expect(reporter.report({ ...ready })).resolves.toBe(true);
    await reporter.report(meal);
    await reporter.report({ state: 'not-ready', reason: 'meal' });
    await reporter.report(admin);
    expect(server.sent).toEqual([ready, meal, admin]);
  });

  it('sends what a call is about when the desk learns it, once', async () => {
    const server = fakeServer();
    const reporter = createPresenceReporter({ send: (p) => server.send(p), timers: manualTimers(), logger: server.logger });
    const onCall = { state: 'on-call', reason: null } as const;
    await reporter.report(onCall);
    await reporter.report({ ...onCall, category: '상수도/누수' });
    await reporter.report({ ...onCall, category: '상수도/누수' });
    await reporter.report({ ...onCall, category: null });
    await reporter.report(onCall);
    expect(server.sent).toEqual([onCall, { ...onCall, category: '상수도/누수' }, { ...onCall, category: null }]);
  });

  it('schedules one retry after a failure, and the retry delivers the newest state', async () => {
    const server = fakeServer();
    const timers = manualTimers();
    server.mode = 'down';
    const reporter = createPresenceReporter({ send: (p) => server.send(p), timers, logger: server.logger, retryMs: 7_000 });
    await expect(reporter.report(ready)).resolves.toBe(false);
    expect([...timers.due.values()].map((d) => d.ms)).toEqual([7_000]);
    expect(server.warnings).toHaveLength(1);
    expect(server.warnings[0]).toContain('ready');
    // Another state while the city server is away: tried at once, but still one retry pending.
    await expect(reporter.report(onCall)).resolves.toBe(false);
    expect(timers.due.size).toBe(1);
    server.mode = 'up';
    timers.fireAll();
    await settle();
    expect(server.sent).toEqual([ready, onCall, onCall]);
    expect(timers.due.size).toBe(0);
    // Delivered: nothing more goes out for the same state.
    await reporter.report(onCall);
    expect(server.sent).toHaveLength(3);
  });

  it('retries with 5 seconds by default, and keeps retrying until it gets through', async () => {
    const server = fakeServer();
    const timers = manualTimers();
    server.mode = 'down';
    const reporter = createPresenceReporter({ send: (p) => server.send(p), timers, logger: server.logger });
    await reporter.report(meal);
    expect([...timers.due.values()].map((d) => d.ms)).toEqual([5_000]);
    timers.fireAll();
    await settle();
    expect(server.sent).toEqual([meal, meal]);
    expect(timers.due.size).toBe(1);
    server.mode = 'up';
    timers.fireAll();
    await settle();
    expect(server.sent).toEqual([meal, meal, meal]);
    expect(timers.due.size).toBe(0);
  });

  it('sends nothing on the retry when a newer report got through first', async () => {
    const server = fakeServer();
    const timers = manualTimers();
    server.mode = 'down';
    const reporter = createPresenceReporter({ send: (p) => server.send(p), timers, logger: server.logger });
    await reporter.report(ready);
    server.mode = 'up';
    await expect(reporter.report(wrapUp)).resolves.toBe(true);
    timers.fireAll();
    await settle();
    expect(server.sent).toEqual([ready, wrapUp]);
  });

  it('cancels the pending retry on close, and sends nothing after', async () => {
    const server = fakeServer();
    const timers = manualTimers();
    server.mode = 'down';
    const reporter = createPresenceReporter({ send: (p) => server.send(p), timers, logger: server.logger });
    await reporter.report(ready);
    const [handle] = timers.due.keys();
    reporter.close();
    expect(timers.cleared).toEqual([handle]);
    expect(timers.due.size).toBe(0);
    server.mode = 'up';
    await expect(reporter.report(onCall)).resolves.toBe(false);
    expect(server.sent).toEqual([ready]);
  });

  it('schedules no retry for a failure that comes back after close', async () => {
    const server = fakeServer();
    const timers = manualTimers();
    server.mode = 'hold';
    const reporter = createPresenceReporter({ send: (p) => server.send(p), timers, logger: server.logger });
    const pending = reporter.report(ready);
    reporter.close();
    server.open[0]?.reject(new Error('socket closed'));
    await expect(pending).resolves.toBe(false);
    expect(timers.due.size).toBe(0);
  });
});
