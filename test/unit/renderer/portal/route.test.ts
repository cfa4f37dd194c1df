import { describe, expect, it } from 'vitest';
import { homeOf, parseRoute, routeHref, screenOf, sectionOf, sectionsFor, type Route } from '../../../../renderer/portal/route';

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

describe('the analysis’ address and who sees which sections', () => {
  it('keeps the dashboard’s question in the address, and its default when it names none', () => {
    const query = { from: '2026-11-01', to: '2026-11-30', channels: ['call' as const, 'text' as const], grain: 'week' as const };
    expect(routeHref({ view: 'analytics', query })).toBe('#/analytics?from=2026-11-01&to=2026-11-30&channels=call,text&grain=week');
    expect(parseRoute(routeHref({ view: 'analytics', query }))).toEqual({ view: 'analytics', query });
    expect(parseRoute('#/analytics')).toEqual({ view: 'analytics', query: null });
    expect(parseRoute('#/analytics?from=2026-11-30&to=2026-11-01')).toEqual({ view: 'analytics', query: null });
    expect(parseRoute('#/analytics/x')).toEqual({ view: 'not-found' });
    expect(sectionOf({ view: 'analytics', query: null })).toBe('analytics');
  });

  it('is one screen whatever the question: a new question keeps the focus where it is', () => {
    const query = { from: '2026-11-01', to: '2026-11-30', channels: ['call' as const], grain: 'day' as const };
    expect(screenOf({ view: 'analytics', query })).toBe(screenOf({ view: 'analytics', query: null }));
    expect(screenOf({ view: 'entry', id: 'M-1' })).toBe('#/entries/M-1');
  });

  it('gives an analyst the analysis alone, a lead the portal and the analysis, editors and reviewers the portal', () => {
    expect(sectionsFor('analyst')).toEqual(['analytics']);
    expect(sectionsFor('lead')).toEqual(['entries', 'review', 'flags', 'gaps', 'transfer', 'analytics', 'protection']);
    expect(sectionsFor('editor')).toEqual(['entries', 'review', 'flags', 'gaps', 'transfer']);
    expect(sectionsFor('reviewer')).not.toContain('analytics');
    expect(sectionsFor('agent')).toEqual([]);
    // The empty address opens on the role's first section.
    expect(parseRoute('', homeOf('analyst'))).toEqual({ view: 'analytics', query: null });
    expect(parseRoute('#/', homeOf('lead'))).toEqual({ view: 'entries' });
  });
});

describe('녹취·보호: its tabs’ addresses and who sees it', () => {
  it('names each tab in the address, the cases by the section alone', () => {
    expect(routeHref({ view: 'protection', tab: 'cases' })).toBe('#/protection');
    expect(routeHref({ view: 'protection', tab: 'recordings' })).toBe('#/protection/recordings');
    expect(routeHref({ view: 'protection', tab: 'access-log' })).toBe('#/protection/access-log');
    for (const tab of ['cases', 'recordings', 'access-log'] as const) expect(parseRoute(routeHref({ view: 'protection', tab }))).toEqual({ view: 'protection', tab });
    expect(parseRoute('#/protection/cases')).toEqual({ view: 'protection', tab: 'cases' });
    expect(parseRoute('#/protection/nowhere')).toEqual({ view: 'not-found' });
    expect(parseRoute('#/protection/recordings/x')).toEqual({ view: 'not-found' });
    expect(sectionOf({ view: 'protection', tab: 'access-log' })).toBe('protection');
    // Another tab keeps the focus on the tabs; it is the same screen.
    expect(screenOf({ view: 'protection', tab: 'recordings' })).toBe(screenOf({ view: 'protection', tab: 'cases' }));
  });

  it('gives an auditor the recordings alone, a lead them too, and nobody else', () => {
    expect(sectionsFor('auditor')).toEqual(['protection']);
    expect(parseRoute('', homeOf('auditor'))).toEqual({ view: 'protection', tab: 'cases' });
    for (const role of ['agent', 'editor', 'reviewer', 'analyst', 'phone'] as const) expect(sectionsFor(role)).not.toContain('protection');
  });
});
