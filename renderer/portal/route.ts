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
  | { view: 'not-found' };

/** The top-level views, in the order of the navigation. */
export const SECTIONS = ['entries', 'review', 'flags', 'gaps', 'transfer'] as const;
export type Section = (typeof SECTIONS)[number];

const segment = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
};

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  const [head, rest, ...more] = parts;
  if (more.length > 0) return { view: 'not-found' };
  const id = rest === undefined ? null : segment(rest);
  if (rest !== undefined && !id) return { view: 'not-found' };
  switch (head) {
    case undefined:
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
    case 'not-found':
      return '#/entries';
    default:
      return `#/${route.view}`;
  }
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
