import type { AnalyticsQuery } from '../../shared/analytics';
import { ANALYTICS_ROLES, PORTAL_ROLES, RECORDING_ROLES, type Role } from '../../shared/auth';
import { analyticsSearch, parseAnalyticsQuery } from './analytics/query';

/** What a new draft starts with when it comes from a knowledge gap. */
export interface DraftPrefill {
  title?: string;
  keywords?: string[];
  category?: string;
}

/** The portal's screens, one per address (`#/…`), so each can be bookmarked, reloaded and reached by the back button. */
export type Route =
  | { view: 'entries' }
  | { view: 'entry'; id: string }
  | { view: 'new-draft'; prefill: DraftPrefill }
  | { view: 'draft'; id: string }
  | { view: 'review' }
  | { view: 'review-draft'; id: string }
  | { view: 'flags' }
  | { view: 'gaps' }
  | { view: 'transfer' }
  /** The analysis; `query` null: the dashboard's default question. */
  | { view: 'analytics'; query: AnalyticsQuery | null }
  /** Recordings and the report cases (녹취·보호), on one of its tabs. */
  | { view: 'protection'; tab: ProtectionTab }
  | { view: 'not-found' };

/** The tabs of 녹취·보호: the report cases, finding recordings, the access log. */
export const PROTECTION_TABS = ['cases', 'recordings', 'access-log'] as const;
export type ProtectionTab = (typeof PROTECTION_TABS)[number];

/** The top-level views, in the order of the navigation. */
export const SECTIONS = ['entries', 'review', 'flags', 'gaps', 'transfer', 'analytics', 'protection'] as const;
export type Section = (typeof SECTIONS)[number];

const SECTION_ROLES: Record<Section, readonly Role[]> = {
  entries: PORTAL_ROLES,
  review: PORTAL_ROLES,
  flags: PORTAL_ROLES,
  gaps: PORTAL_ROLES,
  transfer: PORTAL_ROLES,
  analytics: ANALYTICS_ROLES,
  protection: RECORDING_ROLES,
};

/**
 * The sections a role works in: the knowledge portal's, the analysis and the recordings each for
 * their own roles (a lead has all three, an analyst only the analysis, an auditor only the recordings).
 */
export const sectionsFor = (role: Role): Section[] => SECTIONS.filter((s) => SECTION_ROLES[s].includes(role));

/** A section's first screen, as its navigation link opens it. */
export function sectionHome(section: Section): Route {
  switch (section) {
    case 'analytics':
      return { view: 'analytics', query: null };
    case 'protection':
      return { view: 'protection', tab: 'cases' };
    default:
      return { view: section };
  }
}

/** Where a role's web app opens: its first section. */
export const homeOf = (role: Role): Route => sectionHome(sectionsFor(role)[0] ?? 'entries');

const segment = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
};

/** The view an address names; an empty one is `home`, the user's first section. */
export function parseRoute(hash: string, home: Route = { view: 'entries' }): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  const [head, rest, ...more] = parts;
  if (more.length > 0) return { view: 'not-found' };
  const id = rest === undefined ? null : segment(rest);
  if (rest !== undefined && !id) return { view: 'not-found' };
  switch (head) {
    case undefined:
      return home;
    case 'entries':
      return id ? { view: 'entry', id } : { view: 'entries' };
    case 'drafts': {
      if (id && id !== 'new') return { view: 'draft', id };
      if (!id) return { view: 'not-found' };
      const q = new URLSearchParams(search);
      const keywords = q.getAll('keyword').filter(Boolean);
      const prefill: DraftPrefill = {};
      if (q.get('title')) prefill.title = q.get('title') as string;
      if (q.get('category')) prefill.category = q.get('category') as string;
      if (keywords.length) prefill.keywords = keywords;
      return { view: 'new-draft', prefill };
    }
    case 'review':
      return id ? { view: 'review-draft', id } : { view: 'review' };
    case 'flags':
    case 'gaps':
    case 'transfer':
      return id ? { view: 'not-found' } : { view: head };
    case 'analytics':
      return id ? { view: 'not-found' } : { view: 'analytics', query: parseAnalyticsQuery(search) };
    case 'protection': {
      // `#/protection` is the cases; the other tabs by name.
      const tab = id ?? 'cases';
      return (PROTECTION_TABS as readonly string[]).includes(tab) ? { view: 'protection', tab: tab as ProtectionTab } : { view: 'not-found' };
    }
    default:
      return { view: 'not-found' };
  }
}

export function routeHref(route: Route): string {
  switch (route.view) {
    case 'entry':
      return `#/entries/${encodeURIComponent(route.id)}`;
    case 'draft':
      return `#/drafts/${encodeURIComponent(route.id)}`;
    case 'review-draft':
      return `#/review/${encodeURIComponent(route.id)}`;
    case 'new-draft': {
      const q = new URLSearchParams();
      if (route.prefill.title) q.set('title', route.prefill.title);
      if (route.prefill.category) q.set('category', route.prefill.category);
      for (const k of route.prefill.keywords ?? []) q.append('keyword', k);
      const s = q.toString();
      return `#/drafts/new${s ? `?${s}` : ''}`;
    }
    case 'analytics':
      return route.query ? `#/analytics?${analyticsSearch(route.query)}` : '#/analytics';
    case 'protection':
      return route.tab === 'cases' ? '#/protection' : `#/protection/${route.tab}`;
    case 'not-found':
      return '#/entries';
    default:
      return `#/${route.view}`;
  }
}

/**
 * The screen an address shows, without the dashboard's question or the recordings' tab: a new
 * screen takes the focus, a new question or another tab of the same one does not.
 */
export function screenOf(route: Route): string {
  if (route.view === 'analytics') return routeHref({ view: 'analytics', query: null });
  if (route.view === 'protection') return routeHref({ view: 'protection', tab: 'cases' });
  return routeHref(route);
}

/** The navigation item a route belongs under. */
export function sectionOf(route: Route): Section | null {
  switch (route.view) {
    case 'entries':
    case 'entry':
    case 'draft':
    case 'new-draft':
      return 'entries';
    case 'review':
    case 'review-draft':
      return 'review';
    case 'not-found':
      return null;
    default:
      return route.view;
  }
}
