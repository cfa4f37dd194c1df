import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { forwardSystemEvents, type SystemEvent } from '../../../../electron/shell/system-events';
import { manualClock } from '../../../helpers/manual-clock';

describe('system events to the phone', () => {
  it('forwards wake, unlock and network changes once each', () => {
    const power = new EventEmitter();
    const clock = manualClock();
    let online = true;
    const got: SystemEvent[] = [];
    forwardSystemEvents({ powerMonitor: power as never, isOnline: () => online, timers: clock.timers, emit: (k) => got.push(k), pollMs: 2000 });
    power.emit('resume');
    power.emit('unlock-screen');
    clock.advance(2000);
    online = false;
    clock.advance(2000);
    clock.advance(2000);
    online = true;
    clock.advance(2000);
    expect(got).toEqual(['resume', 'unlock', 'offline', 'online']);
  });
});
