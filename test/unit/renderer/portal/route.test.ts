import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, sectionOf, type Route } from '../../../../renderer/portal/route';

describe('the portal’s addresses', () => {
  it('reads every view from its address and writes the same address back', () => {
    const routes: Route[] = [
      { view: 'entries' },
      { view: 'entry', id: 'M-WAT-018' },
      { view: 'draft', id: '1f0c9a3e-7d1b-4c55-9a51-0c5d8a8e2b11' },
      { view: 'new-draft', prefill: {} },
      { view: 'new-draft', prefill: { title: '누수 탐지 업체 추천', keywords: ['누수', '탐지 업체'], category: '상수도/누수' } },
      { view: 'review' },
      { view: 'review-draft', id: 'd-1' },
      { view: 'flags' },
      { view: 'gaps' },
      { view: 'transfer' },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });

  it('opens on the entries, and says so for an address it does not know', () => {
    expect(parseRoute('')).toEqual({ view: 'entries' });
    expect(parseRoute('#/')).toEqual({ view: 'entries' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'not-found' });
    expect(parseRoute('#/flags/x')).toEqual({ view: 'not-found' });
    expect(parseRoute('#/entries/a/b')).toEqual({ view: 'not-found' });
    expect(parseRoute('#/entries/%E0%A4%A')).toEqual({ view: 'not-found' });
    expect(parseRoute('#/drafts')).toEqual({ view: 'not-found' });
  });

  it('puts each view under its section of the navigation', () => {
    expect(sectionOf({ view: 'draft', id: 'd' })).toBe('entries');
    expect(sectionOf({ view: 'review-draft', id: 'd' })).toBe('review');
    expect(sectionOf({ view: 'gaps' })).toBe('gaps');
    expect(sectionOf({ view: 'not-found' })).toBeNull();
  });
});
