import { randomBytes, randomUUID } from 'node:crypto';
import { draftContentSchema, OPEN_DRAFT_STATES, type Draft, type DraftComment, type DraftContent, type DraftDecision, type NewDraft } from '../../shared/knowledge';
import { compactSections, type ManualEntry } from '../../shared/manual';
import { seoulInstant } from '../../shared/seoul-time';
import { deleteEntry, getEntry, upsertEntries } from './manual';
import { closeFlagsFixed } from './manual-flags';
import { whereOf, type Db } from './sql';
import type { User } from './users';

/**
 * The departments' drafts of manual entries and their review (issue 21): draft → in review →
 * published, or scheduled for a Seoul day, or rejected back to its author with comments; an
 * approved archive takes the entry off the desks. The entry as published stays live until its
 * next draft is; at most one draft per entry is open. Who may do what is decided here, so every
 * route and tool is held to the same rules.
 */

export type DraftRefusal =
  | 'no-entry'
  | 'no-draft'
  | 'no-department'
  | 'other-department'
  | 'draft-open'
  | 'not-editable'
  | 'not-in-review'
  | 'own-draft'
  | 'stale'
  | 'not-reviewer'
  | 'content-required';

interface DraftRow {
  id: string;
  entry_id: string;
  department: string;
  action: Draft['action'];
  base_version: number | null;
  content: string;
  state: Draft['state'];
  author: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  reviewer: string | null;
  decided_at: string | null;
  publish_at: string | null;
  published_version: number | null;
  comments: string;
  editors: string;
}

const draftOf = (r: DraftRow): Draft => ({
  id: r.id,
  entryId: r.entry_id,
  department: r.department,
  action: r.action,
  baseVersion: r.base_version,
  content: JSON.parse(r.content) as DraftContent,
  state: r.state,
  author: r.author,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
  reviewer: r.reviewer,
  decidedAt: r.decided_at,
  publishAt: r.publish_at,
  publishedVersion: r.published_version,
  comments: JSON.parse(r.comments) as DraftComment[],
  editors: JSON.parse(r.editors) as string[],
});

/** Whether `user` may write for `department`: its own editors, and the reviewers for every department. */
export const writesFor = (user: User, department: string | null): boolean => user.role === 'reviewer' || (user.role === 'editor' && user.department === department);

const contentOf = (e: ManualEntry): DraftContent => ({ kind: e.kind, category: e.category, title: e.title, body: e.body, keywords: e.keywords, sections: e.sections ?? {} });

const OPEN = `state IN (${OPEN_DRAFT_STATES.map((s) => `'${s}'`).join(', ')})`;

export async function getDraft(db: Db, id: string): Promise<Draft | null> {
  const row = await db.get<DraftRow>('SELECT * FROM manual_drafts WHERE id = ?', [id]);
  return row ? draftOf(row) : null;
}

/** The open draft of an entry, if any. */
export async function openDraftOf(db: Db, entryId: string): Promise<Draft | null> {
  const row = await db.get<DraftRow>(`SELECT * FROM manual_drafts WHERE entry_id = ? AND ${OPEN}`, [entryId]);
  return row ? draftOf(row) : null;
}

export interface DraftQuery {
  department?: string;
  states?: readonly Draft['state'][];
  entryId?: string;
  limit?: number;
}

export async function listDrafts(db: Db, q: DraftQuery): Promise<Draft[]> {
  const { where, params } = whereOf([
    ['department', q.department],
    ['entry_id', q.entryId],
    ['state', q.states],
  ]);
  const rows = await db.all<DraftRow>(`SELECT * FROM manual_drafts ${where} ORDER BY updated_at DESC LIMIT ?`, [...params, q.limit ?? 500]);
  return rows.map(draftOf);
}

/** A new entry's id: its department and a random part, unlike any a department would type. */
const newEntryId = (department: string) => `${department.slice(0, 40)}-${randomBytes(4).toString('hex')}`;

/**
 * Starts a draft: of an existing entry (its content as published, unless given) or of a new one
 * (an editor's own department; a reviewer names one). A new entry's id is the server's, or with
 * `newWithId` the `entryId` the city has no entry of (a department's sheet names its new entries).
 * Refused when the entry already has an open draft.
 */
export async function createDraft(db: Db, user: User, input: NewDraft & { action: Draft['action'] }, now: Date, o: { newWithId?: boolean } = {}): Promise<Draft | DraftRefusal> {
  return db.write(async (tx) => {
    let department: string;
    let baseVersion: number | null = null;
    let content: DraftContent;
    let entryId: string;
    const entry = input.entryId ? await getEntry(tx, input.entryId) : null;
    if (input.entryId && !entry && !o.newWithId) return 'no-entry';
    if (entry) {
      if (!entry.department && user.role !== 'reviewer') return 'other-department';
      department = entry.department ?? input.department ?? '';
      if (!department) return 'no-department';
      if (!writesFor(user, department)) return 'other-department';
      if (await openDraftOf(tx, entry.id)) return 'draft-open';
      baseVersion = entry.version;
      content = input.action === 'archive' || !input.content ? contentOf(entry) : draftContentSchema.parse(input.content);
      entryId = entry.id;
    } else {
      if (input.action === 'archive') return 'no-entry';
      if (!input.content) return 'content-required';
      department = (user.role === 'editor' ? user.department : input.department) ?? '';
      if (!department || !(await tx.get('SELECT 1 AS known FROM departments WHERE id = ?', [department]))) return 'no-department';
      if (!writesFor(user, department)) return 'other-department';
      content = draftContentSchema.parse(input.content);
      entryId = input.entryId ?? newEntryId(department);
      if (await openDraftOf(tx, entryId)) return 'draft-open';
      // An archived entry's id comes back only to its own department.
      const archived = await tx.get<{ department: string | null }>('SELECT department FROM manual_entries WHERE id = ?', [entryId]);
      if (archived && archived.department !== department) return 'other-department';
    }
    const id = randomUUID();
    const at = now.toISOString();
    await tx.run(
      `INSERT INTO manual_drafts(id, entry_id, department, action, base_version, content, state, author, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)`,
      [id, entryId, department, input.action, baseVersion, JSON.stringify({ ...content, sections: compactSections(content.sections) }), user.username, at, at],
    );
    return (await getDraft(tx, id)) as Draft;
  });
}

/** A draft the user may still change: their department's (a reviewer's: any), not yet submitted or sent back. */
async function editable(tx: Db, user: User, id: string): Promise<Draft | DraftRefusal> {
  const draft = await getDraft(tx, id);
  if (!draft) return 'no-draft';
  if (!writesFor(user, draft.department)) return 'other-department';
  if (draft.state !== 'draft' && draft.state !== 'rejected') return 'not-editable';
  return draft;
}

export async function editDraft(db: Db, user: User, id: string, content: DraftContent, now: Date): Promise<Draft | DraftRefusal> {
  return db.write(async (tx) => {
    const draft = await editable(tx, user, id);
    if (typeof draft === 'string') return draft;
    const editors = draft.author === user.username || draft.editors.includes(user.username) ? draft.editors : [...draft.editors, user.username];
    await tx.run('UPDATE manual_drafts SET content = ?, updated_at = ?, editors = ? WHERE id = ?', [JSON.stringify({ ...content, sections: compactSections(content.sections) }), now.toISOString(), JSON.stringify(editors), id]);
    return (await getDraft(tx, id)) as Draft;
  });
}

/** Sends a draft (or a rejected one, revised) to review. */
export async function submitDraft(db: Db, user: User, id: string, now: Date): Promise<Draft | DraftRefusal> {
  return db.write(async (tx) => {
    const draft = await editable(tx, user, id);
    if (typeof draft === 'string') return draft;
    await tx.run("UPDATE manual_drafts SET state = 'review', submitted_at = ?, updated_at = ? WHERE id = ?", [now.toISOString(), now.toISOString(), id]);
    return (await getDraft(tx, id)) as Draft;
  });
}

/** Gives up a draft (its department's editors before publication; a reviewer also a scheduled one). */
export async function withdrawDraft(db: Db, user: User, id: string, now: Date): Promise<Draft | DraftRefusal> {
  return db.write(async (tx) => {
    const draft = await getDraft(tx, id);
    if (!draft) return 'no-draft';
    if (!writesFor(user, draft.department)) return 'other-department';
    if (!OPEN_DRAFT_STATES.includes(draft.state)) return 'not-editable';
    await tx.run("UPDATE manual_drafts SET state = 'withdrawn', updated_at = ? WHERE id = ?", [now.toISOString(), id]);
    return (await getDraft(tx, id)) as Draft;
  });
}

const comment = (by: string, at: Date, text: string, kind: DraftComment['kind']): DraftComment => ({ by, at: at.toISOString(), text, kind });

/**
 * The reviewer's decision. Never on a draft they wrote or edited: a second pair of eyes is the point. An approval
 * of a draft whose entry changed since it was started is refused as stale (its author starts again
 * from what is live); with `publishOn` in the future it is scheduled for that day's Seoul midnight.
 */
export async function decideDraft(db: Db, user: User, id: string, decision: DraftDecision, now: Date): Promise<Draft | DraftRefusal> {
  return db.write(async (tx) => {
    if (user.role !== 'reviewer') return 'not-reviewer';
    const draft = await getDraft(tx, id);
    if (!draft) return 'no-draft';
    if (draft.state !== 'review') return 'not-in-review';
    if (draft.author === user.username || draft.editors.includes(user.username)) return 'own-draft';
    const comments = decision.comment ? [...draft.comments, comment(user.username, now, decision.comment, decision.decision)] : draft.comments;
    const at = now.toISOString();
    if (decision.decision === 'reject') {
      await tx.run("UPDATE manual_drafts SET state = 'rejected', reviewer = ?, decided_at = ?, updated_at = ?, comments = ? WHERE id = ?", [user.username, at, at, JSON.stringify(comments), id]);
      return (await getDraft(tx, id)) as Draft;
    }
    const live = await getEntry(tx, draft.entryId);
    if ((live?.version ?? null) !== draft.baseVersion) return 'stale';
    const publishAt = decision.publishOn ? seoulInstant(decision.publishOn, '00:00') : now;
    await tx.run("UPDATE manual_drafts SET state = 'scheduled', reviewer = ?, decided_at = ?, publish_at = ?, updated_at = ?, comments = ? WHERE id = ?", [user.username, at, publishAt.toISOString(), at, JSON.stringify(comments), id]);
    if (publishAt.getTime() <= now.getTime()) await publish(tx, (await getDraft(tx, id)) as Draft, now);
    return (await getDraft(tx, id)) as Draft;
  });
}

/** Puts an approved draft live: a new version of its entry (or its archive), and the flags on it closed as fixed. */
async function publish(tx: Db, draft: Draft, now: Date): Promise<void> {
  let version: number | null;
  if (draft.action === 'archive') {
    await deleteEntry(tx, draft.entryId, draft.author, now);
    version = (await tx.get<{ version: number }>('SELECT version FROM manual_entries WHERE id = ?', [draft.entryId]))?.version ?? null;
  } else {
    const { sections, ...content } = draft.content;
    // A new entry is owned by its author until the department names someone else.
    await upsertEntries(tx, [{ id: draft.entryId, ...content, sections, department: draft.department }], draft.author, now, draft.baseVersion === null ? draft.author : null);
    version = (await getEntry(tx, draft.entryId))?.version ?? null;
  }
  await tx.run("UPDATE manual_drafts SET state = 'published', published_version = ?, updated_at = ? WHERE id = ?", [version, now.toISOString(), draft.id]);
  if (version !== null) await closeFlagsFixed(tx, draft.entryId, version, draft.author, now);
}

/** Publishes the scheduled drafts whose day has come. Returns how many. */
export async function publishDue(db: Db, now: Date): Promise<number> {
  return db.write(async (tx) => {
    const due = await tx.all<DraftRow>("SELECT * FROM manual_drafts WHERE state = 'scheduled' AND publish_at <= ? ORDER BY publish_at", [now.toISOString()]);
    for (const row of due) await publish(tx, draftOf(row), now);
    return due.length;
  });
}

/** Marks a published entry verified as it stands (its owner or a reviewer checked it is still right). */
export async function verifyEntry(db: Db, user: User, entryId: string, now: Date): Promise<'verified' | DraftRefusal> {
  return db.write(async (tx) => {
    const entry = await getEntry(tx, entryId);
    if (!entry) return 'no-entry';
    if (!writesFor(user, entry.department)) return 'other-department';
    await tx.run('UPDATE manual_entries SET verified_at = ? WHERE id = ?', [now.toISOString(), entryId]);
    return 'verified';
  });
}

/** Names the editor who answers for an entry (one of its department's). */
export async function setOwner(db: Db, user: User, entryId: string, owner: string): Promise<'set' | DraftRefusal> {
  return db.write(async (tx) => {
    const entry = await getEntry(tx, entryId);
    if (!entry) return 'no-entry';
    if (!writesFor(user, entry.department)) return 'other-department';
    const target = await tx.get<{ department: string | null; role: string }>('SELECT department, role FROM users WHERE username = ? AND disabled = 0', [owner]);
    if (!target || target.role !== 'editor' || target.department !== entry.department) return 'other-department';
    await tx.run('UPDATE manual_entries SET owner = ? WHERE id = ?', [owner, entryId]);
    return 'set';
  });
}

export interface EntryVersion {
  version: number;
  changedAt: string;
  changedBy: string;
  /** The entry as that version had it; null for the version that archived it. */
  entry: ManualEntry | null;
  /** Who approved it, when it came through the portal. */
  reviewer: string | null;
}

/** Every version of an entry, newest first, with its reviewer where a draft brought it. */
export async function entryVersions(db: Db, entryId: string): Promise<EntryVersion[]> {
  const rows = await db.all<{ version: number; data: string | null; changed_at: string; changed_by: string; reviewer: string | null }>(
    `SELECT v.version, v.data, v.changed_at, v.changed_by, d.reviewer FROM manual_entry_versions v
     LEFT JOIN manual_drafts d ON d.entry_id = v.id AND d.published_version = v.version AND d.state = 'published'
     WHERE v.id = ? ORDER BY v.version DESC`,
    [entryId],
  );
  return rows.map((r) => ({ version: r.version, changedAt: r.changed_at, changedBy: r.changed_by, entry: r.data ? (JSON.parse(r.data) as ManualEntry) : null, reviewer: r.reviewer }));
}
