import { describe, expect, it } from 'vitest';
import { createPresencePublisher } from '../../../../renderer/agent/presence-publisher';
import type { Presence } from '../../../../shared/presence';
import { manualClock } from '../../../helpers/manual-clock';

const tick = () => new Promise((r) => setTimeout(r, 0));

function publisher(o: { sipTakes?: () => boolean; cityFails?: boolean } = {}) {
  const time = manualClock(1_000_000);
  const city: (Presence & { version: number })[] = [];
  const sip: string[] = [];
  const p = createPresencePublisher({
    toCity: async (presence) => {
      city.push(presence);
      if (o.cityFails) throw new Error('not connected');
    },
    toSip: async (body) => (sip.push(body), o.sipTakes?.() ?? true),
    now: time.now,
    timers: time.timers,
    retryMs: 1_000,
  });
  return { p, city, sip, time };
}

describe('telling the agent’s state both ways', () => {
  it('sends each new state to the SIP server and the city server with a version that only grows', async () => {
    const { p, city, sip, time } = publisher();
    p.update({ state: 'ready', reason: null });
    p.update({ state: 'ready', reason: null });
    await tick();
    // Same millisecond: one more than the last.
    p.update({ state: 'on-call', reason: null });
    time.advance(5_000);
    p.update({ state: 'wrap-up', reason: null });
    await tick();
    expect(sip).toEqual(['ready 1000000', 'on-call 1000001', 'wrap-up 1005000']);
    expect(city).toEqual([
      { state: 'ready', reason: null, version: 1_000_000 },
      { state: 'on-call', reason: null, version: 1_000_001 },
      { state: 'wrap-up', reason: null, version: 1_005_000 },
    ]);
  });

  it('tells the SIP server only of a new state, the city server of a new subject too', async () => {
    const { p, city, sip } = publisher();
    p.update({ state: 'on-call', reason: null });
    p.update({ state: 'on-call', reason: null, category: '여권/발급' });
    await tick();
    expect(sip).toHaveLength(1);
    expect(city.map((c) => c.category ?? null)).toEqual([null, '여권/발급']);
    expect(city[1]?.version).toBeGreaterThan(city[0]?.version as number);
  });

  it('tries the SIP server again until it takes the state, and stops when a newer one replaces it', async () => {
    let takes = false;
    const { p, sip, time } = publisher({ sipTakes: () => takes });
    p.update({ state: 'ready', reason: null });
    await tick();
    time.advance(1_000);
    await tick();
    expect(sip).toEqual(['ready 1000000', 'ready 1000000']);
    takes = true;
    time.advance(1_000);
    await tick();
    time.advance(5_000);
    await tick();
    expect(sip).toHaveLength(3);
  });

  it('says it again when asked (the phone registered again, the core came back)', async () => {
    const { p, city, sip } = publisher();
    p.update({ state: 'not-ready', reason: 'meal' });
    await tick();
    p.resendToSip();
    p.resendToCity();
    await tick();
    expect(sip).toEqual(['not-ready 1000000', 'not-ready 1000000']);
    expect(city).toHaveLength(2);
    expect(city[1]).toEqual(city[0]);
  });

  it('says nothing once stopped (the page is going away, or another window holds the desk)', async () => {
    const { p, city, sip } = publisher();
    p.stop();
    p.update({ state: 'ready', reason: null });
    p.resendToSip();
    await tick();
    expect(sip).toEqual([]);
    expect(city).toEqual([]);
  });

  it('survives a city server that cannot be reached (the core retries it)', async () => {
    const { p, sip } = publisher({ cityFails: true });
    p.update({ state: 'ready', reason: null });
    await tick();
    expect(sip).toEqual(['ready 1000000']);
  });
});
