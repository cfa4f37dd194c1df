import type { PowerMonitor } from 'electron';
import type { SYSTEM_EVENTS } from '../../shared/shell-contract';
import type { Timers } from '../../shared/rpc';

export type SystemEvent = (typeof SYSTEM_EVENTS)[number];

/**
 * Tells the page what the OS knows first: the machine woke or was unlocked, or the network came
 * or went. The phone re-registers on these instead of waiting for its keep-alive to fail.
 */
export function forwardSystemEvents(o: {
  powerMonitor: Pick<PowerMonitor, 'on'>;
  isOnline: () => boolean;
  timers: Timers & { setInterval(fn: () => void, ms: number): unknown };
  emit: (kind: SystemEvent) => void;
  pollMs?: number;
}): void {
  o.powerMonitor.on('resume', () => o.emit('resume'));
  o.powerMonitor.on('unlock-screen', () => o.emit('unlock'));
  // The agent walked away and locked the computer: the desk locks too.
  o.powerMonitor.on('lock-screen', () => o.emit('lock'));
  let online = o.isOnline();
  o.timers.setInterval(() => {
    const now = o.isOnline();
    if (now === online) return;
    online = now;
    o.emit(now ? 'online' : 'offline');
  }, o.pollMs ?? 2000);
}
