import { describe, expect, it } from 'vitest';
import { createDeskLease } from '../../../../../electron/core/desk/desk-lease';

const A = 'page-a';
const B = 'page-b';

function lease(ttlMs = 6_000) {
  let now = 0;
  const desk = createDeskLease({ now: () => now, ttlMs });
  const changes: (string | null)[] = [];
  desk.onChange((holder) => changes.push(holder));
  return { desk, changes, advance: (ms: number) => (now += ms) };
}

describe('one agent, one desk', () => {
  it('gives the desk to the first page, and again to it', () => {
    const { desk, changes } = lease();
    expect(desk.claim(A)).toEqual({ granted: true });
    expect(desk.claim(A)).toEqual({ granted: true });
    expect(desk.holds(A)).toBe(true);
    expect(changes).toEqual([A]);
  });

  it('lets a new page take over from an idle one, which is told', () => {
    const { desk, changes } = lease();
    desk.claim(A);
    desk.renew(A, false);
    expect(desk.claim(B)).toEqual({ granted: true });
    expect(changes).toEqual([A, B]);
    expect(desk.holds(A)).toBe(false);
    // The old page learns it on its next renewal too.
    expect(desk.renew(A, false)).toBe(false);
    expect(desk.holds(B)).toBe(true);
  });

  it('refuses a new page while the holder has a call or an unfiled consultation', () => {
    const { desk, changes, advance } = lease();
    desk.claim(A);
    desk.renew(A, true);
    advance(5_000);
    expect(desk.claim(B)).toEqual({ granted: false, reason: 'busy' });
    expect(desk.renew(A, true)).toBe(true);
    advance(5_000);
    expect(desk.claim(B)).toEqual({ granted: false, reason: 'busy' });
    expect(changes).toEqual([A]);
    // Done: the waiting page gets it on its next try.
    desk.renew(A, false);
    expect(desk.claim(B)).toEqual({ granted: true });
  });

  it('gives a busy holder’s desk away once it stopped renewing (its page closed or crashed)', () => {
    const { desk, advance } = lease();
    desk.claim(A);
    desk.renew(A, true);
    advance(6_000);
    expect(desk.claim(B)).toEqual({ granted: false, reason: 'busy' });
    advance(1);
    expect(desk.claim(B)).toEqual({ granted: true });
  });

  it('keeps a slow holder the holder (a background tab renews late) until someone else claims', () => {
    const { desk, advance } = lease();
    desk.claim(A);
    advance(60_000);
    expect(desk.holds(A)).toBe(true);
    expect(desk.renew(A, false)).toBe(true);
  });

  it('frees the desk when its page leaves, and only then', () => {
    const { desk, changes } = lease();
    desk.claim(A);
    expect(desk.release(B)).toBe(false);
    expect(desk.release(A)).toBe(true);
    expect(desk.holds(A)).toBe(false);
    expect(changes).toEqual([A, null]);
  });

  it('gives a desk nobody holds to a page that renews it (the core restarted and forgot)', () => {
    const { desk, changes } = lease();
    expect(desk.renew(A, true)).toBe(true);
    expect(desk.holds(A)).toBe(true);
    expect(changes).toEqual([A]);
    expect(desk.claim(B)).toEqual({ granted: false, reason: 'busy' });
  });
});
