import { describe, expect, it } from 'vitest';
import type { MethodName, MethodParams, MethodResult } from '../../../../shared/contract';
import { createDeskLease } from '../../../../electron/core/desk/desk-lease';
import { createDeskClaim } from '../../../../renderer/core/desk-claim';
import { manualClock } from '../../../helpers/manual-clock';

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Two pages of one desk against one core's lease, in the test's time. */
function desk() {
  const time = manualClock(0);
  const lease = createDeskLease({ now: time.now });
  let reachable = true;
  const handlers = {
    claimDesk: ({ pageId }: { pageId: string }) => lease.claim(pageId),
    renewDesk: ({ pageId, busy }: { pageId: string; busy: boolean }) => ({ held: lease.renew(pageId, busy) }),
    releaseDesk: ({ pageId }: { pageId: string }) => ({ released: lease.release(pageId) }),
  };
  const call = async <M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> => {
    if (!reachable) throw new Error('not connected');
    return (handlers as unknown as Record<string, (p: unknown) => unknown>)[method]?.(params) as MethodResult<M>;
  };
  const page = (pageId: string) => {
    let busy = false;
    const claim = createDeskClaim({ pageId, call, busy: () => busy, timers: time.timers });
    lease.onChange((holder) => claim.holderIs(holder));
    return { claim, hold: () => claim.store.getState().hold, setBusy: (b: boolean) => (busy = b) };
  };
  return { time, lease, page, setReachable: (r: boolean) => (reachable = r) };
}

/** Page a holds the desk and has just got a call; page b is about to open. */
async function aOnACall() {
  const d = desk();
  const a = d.page('a');
  const b = d.page('b');
  a.claim.connected();
  await tick();
  a.setBusy(true);
  return { d, a, b };
}

describe('a page’s hold on the desk', () => {
  it('takes the desk when connected, and keeps it by renewing', async () => {
    const d = desk();
    const a = d.page('a');
    expect(a.hold()).toBe('claiming');
    a.claim.connected();
    await tick();
    expect(a.hold()).toBe('held');
    d.time.advance(20_000);
    await tick();
    expect(d.lease.holds('a')).toBe(true);
  });

  it('is displaced by a second window when idle, and may take the desk back', async () => {
    const d = desk();
    const a = d.page('a');
    const b = d.page('b');
    a.claim.connected();
    await tick();
    b.claim.connected();
    await tick();
    expect([a.hold(), b.hold()]).toEqual(['displaced', 'held']);
    // A displaced window does not claim again by itself (no ping-pong on reconnects).
    a.claim.connected();
    await tick();
    expect(a.hold()).toBe('displaced');
    a.claim.takeBack();
    await tick();
    expect([a.hold(), b.hold()]).toEqual(['held', 'displaced']);
  });

  it('makes a second window wait while the first has a call, then continues there', async () => {
    const { d, a, b } = await aOnACall();
    d.time.advance(2_000);
    await tick();
    b.claim.connected();
    await tick();
    expect([a.hold(), b.hold()]).toEqual(['held', 'waiting']);
    d.time.advance(2_000);
    await tick();
    expect(b.hold()).toBe('waiting');
    a.setBusy(false);
    d.time.advance(2_000);
    await tick();
    d.time.advance(2_000);
    await tick();
    expect([a.hold(), b.hold()]).toEqual(['displaced', 'held']);
  });

  it('frees the desk when its page leaves, so a reloaded page takes it at once', async () => {
    const { d, a } = await aOnACall();
    d.time.advance(2_000);
    await tick();
    a.claim.release();
    await tick();
    const reloaded = d.page('a2');
    reloaded.claim.connected();
    await tick();
    expect(reloaded.hold()).toBe('held');
  });

  it('keeps holding through a core that could not be reached for a while', async () => {
    const d = desk();
    const a = d.page('a');
    a.claim.connected();
    await tick();
    d.setReachable(false);
    d.time.advance(2_000);
    await tick();
    expect(a.hold()).toBe('held');
    d.setReachable(true);
    a.claim.connected();
    await tick();
    expect(a.hold()).toBe('held');
  });
});

describe('a page with a call that loses the desk anyway', () => {
  it('takes it straight back from the page just opened (a call is never dropped for a stray tab)', async () => {
    // The call started a moment ago; the core has not heard it yet (no renewal since).
    const { d, a, b } = await aOnACall();
    b.claim.connected();
    await tick();
    await tick();
    expect(a.hold()).toBe('held');
    expect(d.lease.holds('a')).toBe(true);
    d.time.advance(2_000);
    await tick();
    expect(b.hold()).toBe('displaced');
  });

  it('tells the core at once when it becomes busy', async () => {
    const { a, b } = await aOnACall();
    a.claim.busyChanged();
    await tick();
    b.claim.connected();
    await tick();
    expect([a.hold(), b.hold()]).toEqual(['held', 'waiting']);
  });
});
