import { PortalApiError } from './api';
import { sheetProblemSchema, type SheetProblem } from './schemas';

/**
 * The codes the portal has its own words for: the knowledge routes' refusals (server/http/
 * knowledge-routes.ts), the sign-in's, and what the client itself runs into.
 */
export const KNOWN_CODES = [
  'draft-open',
  'not-editable',
  'own-draft',
  'stale',
  'other-department',
  'no-entry',
  'no-draft',
  'no-flag',
  'no-department',
  'not-in-review',
  'not-reviewer',
  'content-required',
  'closed',
  'forbidden',
  'unauthorized',
  'signed-out',
  'invalid',
  'unreachable',
  'malformed',
  'not-found',
  'invalid-sheet',
] as const;

/** A refusal as the screen shows it: an i18n key, and the server's own words for IT when the portal has none of its own. */
export interface Refusal {
  code: string;
  key: string;
  params: Record<string, string | number>;
  detail: string | null;
}

export function refusalOf(e: unknown): Refusal {
  if (!(e instanceof PortalApiError)) return { code: 'failed', key: 'portal.errors.failed', params: {}, detail: e instanceof Error ? e.message : String(e) };
  if ((KNOWN_CODES as readonly string[]).includes(e.code)) return { code: e.code, key: `portal.errors.${e.code}`, params: {}, detail: null };
  if (e.status === 413) return { code: e.code, key: 'portal.errors.too-large', params: {}, detail: e.message };
  if (e.status >= 500) return { code: e.code, key: 'portal.errors.server', params: { status: e.status }, detail: e.message };
  return { code: e.code, key: 'portal.errors.status', params: { status: e.status }, detail: e.message };
}

/** The rows a refused import named (400 invalid-sheet: its details), each by line and column. */
export function sheetProblemsOf(e: unknown): SheetProblem[] {
  if (!(e instanceof PortalApiError) || !Array.isArray(e.details)) return [];
  return e.details.flatMap((d: unknown) => {
    const p = sheetProblemSchema.safeParse(d);
    return p.success ? [p.data] : [];
  });
}
