import { describe, expect, it } from 'vitest';
import { guardPageExit } from '../../../../renderer/core/page-exit';

function page() {
  const listeners = new Map<string, (e: Event) => void>();
  const win = { addEventListener: (name: string, l: (e: Event) => void) => void listeners.set(name, l) } as unknown as Pick<Window, 'addEventListener'>;
  const fire = (name: string) => {
    let prevented = false;
    const e = { preventDefault: () => (prevented = true), returnValue: undefined as unknown } as unknown as Event;
    listeners.get(name)?.(e);
    return { prevented, returnValue: (e as unknown as { returnValue: unknown }).returnValue };
  };
  return { win, fire };
}

describe('leaving the desk page', () => {
  it('asks first during a call, and not otherwise', () => {
    let inCall = false;
    const p = page();
    guardPageExit(p.win, { inCall: () => inCall, leave: () => {} });
    expect(p.fire('beforeunload').prevented).toBe(false);
    inCall = true;
    expect(p.fire('beforeunload')).toEqual({ prevented: true, returnValue: '' });
  });

  it('ends everything properly once the page is hidden for good', () => {
    const p = page();
    const left: string[] = [];
    guardPageExit(p.win, { inCall: () => true, leave: () => left.push('leave') });
    p.fire('pagehide');
    expect(left).toEqual(['leave']);
  });
});
