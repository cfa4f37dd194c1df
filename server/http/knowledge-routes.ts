import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DESK_ROLES, PORTAL_ROLES, SITE_ROLES } from '../../shared/auth';
import { bigrams, words } from '../../shared/hangul';
import { DRAFT_STATES, draftDecisionSchema, draftEditSchema, FLAG_STATES, flagBatchSchema, flagReplySchema, newDraftSchema, searchMissBatchSchema } from '../../shared/knowledge';
import { maskPersonalData } from '../../shared/masking';
import type { PhoneContext } from '../../shared/phone';
import { seoulDayBounds } from '../../shared/seoul-time';
import { listDepartments } from '../store/directory';
import { portalEntries } from '../store/entry-upkeep';
import { categoryOwners, gapReport, takeMisses } from '../store/knowledge-gaps';
import { getEntry } from '../store/manual';
import { createDraft, decideDraft, editDraft, entryVersions, getDraft, listDrafts, openDraftOf, setOwner, submitDraft, verifyEntry, withdrawDraft, writesFor, type DraftRefusal } from '../store/manual-drafts';
import { answerFlag, listFlags, takeFlags, type FlagRefusal } from '../store/manual-flags';
import type { Db } from '../store/sql';
import { listUsers, type User } from '../store/users';
import { HttpError } from './http-error';
import { param, parse, requireUser } from './route-helpers';

const REFUSALS: Record<DraftRefusal | FlagRefusal, [number, string]> = {
  'no-entry': [404, 'no such manual entry'],
  'no-draft': [404, 'no such draft'],
  'no-flag': [404, 'no such flag'],
  'no-department': [400, 'name a department of the directory'],
  'other-department': [403, 'this belongs to another department'],
  'draft-open': [409, 'this entry already has a draft under way: continue that one'],
  'not-editable': [409, 'this draft is in review or decided: it can no longer be changed'],
  'not-in-review': [409, 'this draft is not waiting for review'],
  'own-draft': [403, 'a reviewer never approves their own draft'],
  stale: [409, 'the entry changed since this draft was started: start a new draft from what is live'],
  'not-reviewer': [403, 'only a reviewer decides on drafts'],
  'content-required': [400, 'a new entry needs its content'],
  closed: [409, 'this flag is already closed'],
};

function answer<T>(r: T | DraftRefusal | FlagRefusal): T {
  if (typeof r === 'string' && r in REFUSALS) {
    const [status, message] = REFUSALS[r as DraftRefusal | FlagRefusal];
    throw new HttpError(status, r as string, message);
  }
  return r as T;
}

/** The department a portal user works in: an editor's own; others may name any (or none: all). */
export function departmentScope(user: User, asked: string | undefined): string | undefined {
  if (user.role !== 'editor') return asked;
  if (asked !== undefined && asked !== user.department) throw new HttpError(403, 'other-department', 'an editor sees their own department only');
  return user.department ?? undefined;
}

const dayRange = z.strictObject({ from: z.iso.date(), to: z.iso.date() }).refine((q) => q.from <= q.to, { message: 'from is after to', path: ['to'] });

/** The words of an entry's title and keywords as bigrams: what two entries about one thing share. */
const headGrams = (title: string, keywords: readonly string[]) => new Set(words(`${title} ${keywords.join(' ')}`).flatMap((w) => (w.kind === 'hangul' ? bigrams(w.text) : [w.text])));

/**
 * The knowledge portal's API (issue 21) and what desks send it: flags on entries, and searches that
 * found nothing. Editors work on their own department's entries, reviewers approve, team leads read.
 */
export function registerKnowledgeRoutes(app: FastifyInstance, deps: { db: Db; clock: () => Date; phone: PhoneContext }): void {
  const { db, clock } = deps;
  // Agents' notes and searches may hold what a citizen said: masked before they are stored.
  const mask = (text: string) => maskPersonalData(text, deps.phone).text;
  const id = (req: FastifyRequest, what: string) => param(req, 'id', 64, what);

  /** An entry the user may see: an editor's own department's. */
  async function visibleEntry(user: User, entryId: string) {
    const entry = await getEntry(db, entryId);
    if (!entry) throw new HttpError(404, 'no-entry', `no manual entry ${entryId}`);
    if (user.role === 'editor' && entry.department !== user.department) throw new HttpError(403, 'other-department', 'this entry belongs to another department');
    return entry;
  }

  async function visibleDraft(user: User, draftId: string) {
    const draft = await getDraft(db, draftId);
    if (!draft) throw new HttpError(404, 'no-draft', 'no such draft');
    if (user.role === 'editor' && draft.department !== user.department) throw new HttpError(403, 'other-department', 'this draft belongs to another department');
    return draft;
  }

  app.get('/api/portal/me', async (req) => {
    const user = requireUser(req, SITE_ROLES);
    // The editors an entry's owner is chosen from: an editor's own department's, everyone's for the others (an analyst picks none).
    const editors = user.role === 'analyst' ? [] : (await listUsers(db)).filter((u) => u.role === 'editor' && (user.role !== 'editor' || u.department === user.department));
    return {
      user: { username: user.username, displayName: user.displayName, role: user.role, department: user.department },
      departments: (await listDepartments(db)).map((d) => ({ id: d.id, name: d.name })),
      editors: editors.map((u) => ({ username: u.username, displayName: u.displayName, department: u.department })),
    };
  });

  app.get('/api/portal/entries', async (req) => {
    const user = requireUser(req, PORTAL_ROLES);
    const q = parse(z.strictObject({ department: z.string().max(64).optional(), overdue: z.enum(['1']).optional() }), req.query, 'query');
    const department = departmentScope(user, q.department);
    return { entries: await portalEntries(db, { ...(department ? { department } : {}), overdueOnly: q.overdue === '1' }, clock()) };
  });

  app.get('/api/portal/entries/:id', async (req) => {
    const user = requireUser(req, PORTAL_ROLES);
    const entry = await visibleEntry(user, id(req, 'entry id'));
    const [view] = (await portalEntries(db, { ...(entry.department ? { department: entry.department } : {}) }, clock())).filter((e) => e.entry.id === entry.id);
    return { ...view, versions: await entryVersions(db, entry.id), flags: await listFlags(db, { entryId: entry.id, limit: 100 }), canEdit: writesFor(user, entry.department) };
  });

  app.post('/api/portal/entries/:id/verify', async (req) => {
    const user = requireUser(req, ['editor', 'reviewer']);
    return { result: answer(await verifyEntry(db, user, id(req, 'entry id'), clock())) };
  });

  app.put('/api/portal/entries/:id/owner', async (req) => {
    const user = requireUser(req, ['editor', 'reviewer']);
    const { owner } = parse(z.strictObject({ owner: z.string().min(1).max(64) }), req.body, 'owner');
    return { result: answer(await setOwner(db, user, id(req, 'entry id'), owner)) };
  });

  // Before a new draft is saved: the live entries most like it, so a department does not write a second one.
  app.post('/api/portal/similar', async (req) => {
    const user = requireUser(req, PORTAL_ROLES);
    const q = parse(z.strictObject({ title: z.string().max(200), keywords: z.array(z.string().max(50)).max(30).default([]), exclude: z.string().max(64).optional() }), req.body, 'similar query');
    const mine = headGrams(q.title, q.keywords);
    if (mine.size === 0) return { similar: [] };
    const rows = await db.all<{ id: string; title: string; keywords: string; category: string; department: string | null }>('SELECT id, title, keywords, category, department FROM manual_entries WHERE deleted = 0');
    const scored = rows
      .filter((r) => r.id !== q.exclude)
      .map((r) => {
        const theirs = headGrams(r.title, JSON.parse(r.keywords) as string[]);
        let shared = 0;
        for (const g of mine) if (theirs.has(g)) shared++;
        return { id: r.id, title: r.title, category: r.category, department: r.department, score: theirs.size ? shared / Math.min(mine.size, theirs.size) : 0 };
      })
      .filter((s) => s.score >= 0.5)
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .slice(0, 5);
    // An editor is told another department has one, not what it says.
    return { similar: scored.map((s) => (user.role === 'editor' && s.department !== user.department ? { ...s, id: null } : s)) };
  });

  app.get('/api/portal/drafts', async (req) => {
    const user = requireUser(req, PORTAL_ROLES);
    const q = parse(z.strictObject({ department: z.string().max(64).optional(), state: z.enum(DRAFT_STATES).optional() }), req.query, 'query');
    const department = departmentScope(user, q.department);
    return { drafts: await listDrafts(db, { ...(department ? { department } : {}), ...(q.state ? { states: [q.state] } : {}) }) };
  });

  app.post('/api/portal/drafts', async (req) => {
    const user = requireUser(req, ['editor', 'reviewer']);
    const body = parse(newDraftSchema, req.body, 'draft');
    return { draft: answer(await createDraft(db, user, body, clock())) };
  });

  app.get('/api/portal/drafts/:id', async (req) => {
    const user = requireUser(req, PORTAL_ROLES);
    const draft = await visibleDraft(user, id(req, 'draft id'));
    return { draft, live: await getEntry(db, draft.entryId) };
  });

  app.put('/api/portal/drafts/:id', async (req) => {
    const user = requireUser(req, ['editor', 'reviewer']);
    const { content } = parse(draftEditSchema, req.body, 'draft');
    return { draft: answer(await editDraft(db, user, id(req, 'draft id'), content, clock())) };
  });

  app.post('/api/portal/drafts/:id/submit', async (req) => {
    const user = requireUser(req, ['editor', 'reviewer']);
    return { draft: answer(await submitDraft(db, user, id(req, 'draft id'), clock())) };
  });

  app.post('/api/portal/drafts/:id/withdraw', async (req) => {
    const user = requireUser(req, ['editor', 'reviewer']);
    return { draft: answer(await withdrawDraft(db, user, id(req, 'draft id'), clock())) };
  });

  app.post('/api/portal/drafts/:id/decision', async (req) => {
    const user = requireUser(req, ['editor', 'reviewer']);
    const decision = parse(draftDecisionSchema, req.body, 'decision');
    return { draft: answer(await decideDraft(db, user, id(req, 'draft id'), decision, clock())) };
  });

  app.get('/api/portal/flags', async (req) => {
    const user = requireUser(req, PORTAL_ROLES);
    const q = parse(z.strictObject({ department: z.string().max(64).optional(), state: z.enum(FLAG_STATES).optional() }), req.query, 'query');
    const department = departmentScope(user, q.department);
    return { flags: await listFlags(db, { ...(department ? { department } : {}), ...(q.state ? { states: [q.state] } : {}) }) };
  });

  app.post('/api/portal/flags/:id/reply', async (req) => {
    const user = requireUser(req, ['editor', 'reviewer']);
    const { reply } = parse(flagReplySchema, req.body, 'reply');
    return { flag: answer(await answerFlag(db, user, id(req, 'flag id'), reply, clock())) };
  });

  app.get('/api/portal/gaps', async (req) => {
    const user = requireUser(req, PORTAL_ROLES);
    const q = parse(dayRange, req.query, 'period');
    const from = seoulDayBounds(q.from).from.toISOString();
    const to = seoulDayBounds(q.to).to.toISOString();
    // An editor sees the categories their department answers for.
    const categories = user.role === 'editor' ? [...(await categoryOwners(db))].filter(([, d]) => d === user.department).map(([c]) => c) : undefined;
    return gapReport(db, { from, to, ...(categories ? { categories } : {}) });
  });

  // From the desks: flags raised on entries, and searches that found nothing worth opening.
  app.post('/api/manual/flags', async (req) => {
    const user = requireUser(req, DESK_ROLES);
    const batch = parse(flagBatchSchema, req.body, 'flag batch');
    return takeFlags(db, batch.flags.map((f) => ({ ...f, note: mask(f.note) })), user.username, clock());
  });

  app.get('/api/manual/flags/mine', async (req) => {
    const user = requireUser(req, DESK_ROLES);
    return { flags: await listFlags(db, { agent: user.username, limit: 50 }) };
  });

  app.post('/api/knowledge/misses', async (req) => {
    const user = requireUser(req, DESK_ROLES);
    const batch = parse(searchMissBatchSchema, req.body, 'search misses');
    return takeMisses(db, batch.misses, user.username, mask);
  });

  // The draft under way for an entry, if any (the portal opens it rather than start a second).
  app.get('/api/portal/entries/:id/draft', async (req) => {
    const user = requireUser(req, PORTAL_ROLES);
    const entry = await visibleEntry(user, id(req, 'entry id'));
    return { draft: await openDraftOf(db, entry.id) };
  });
}
