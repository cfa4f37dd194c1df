import { draftContentSchema, type DraftContent } from '../../shared/knowledge';
import { MANUAL_LIMITS, SECTION_KEYS, SECTION_LIMITS, type EntryKind, type EntrySections } from '../../shared/manual';

/** The long fields of an entry: 업무개요 (`body`), then its sections in the order the desk shows them. */
export const TEXT_FIELDS = ['body', ...SECTION_KEYS] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export const TEXT_LIMITS: Record<TextField, number> = { body: MANUAL_LIMITS.body, ...SECTION_LIMITS };

/** Every field of an entry's content, in the order shown. */
export const CONTENT_FIELDS = ['kind', 'category', 'title', 'keywords', ...TEXT_FIELDS] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

/** What an entry and a draft's content have alike. */
export type EntryContent = Pick<DraftContent, 'kind' | 'category' | 'title' | 'keywords' | 'body'> & { sections?: EntrySections | undefined };

/** A field's text as written: keywords joined as the editor types them. */
export function fieldText(c: EntryContent, key: ContentField): string {
  switch (key) {
    case 'kind':
    case 'category':
    case 'title':
    case 'body':
      return c[key];
    case 'keywords':
      return c.keywords.join(', ');
    default:
      return c.sections?.[key] ?? '';
  }
}

/** The draft editor's fields: every one a string, as the inputs hold them. */
export interface DraftForm {
  kind: EntryKind;
  category: string;
  title: string;
  /** Comma-separated. */
  keywords: string;
  texts: Record<TextField, string>;
}

export function formOf(c: EntryContent | null, prefill: { title?: string; keywords?: string[]; category?: string } = {}): DraftForm {
  const texts = Object.fromEntries(TEXT_FIELDS.map((k) => [k, c ? fieldText(c, k) : ''])) as Record<TextField, string>;
  return {
    kind: c?.kind ?? 'manual',
    category: c?.category ?? prefill.category ?? '',
    title: c?.title ?? prefill.title ?? '',
    keywords: c ? fieldText(c, 'keywords') : (prefill.keywords ?? []).join(', '),
    texts,
  };
}

/** Keywords as typed (commas or line breaks between them): trimmed, empty ones and repeats dropped. */
export function splitKeywords(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((k) => k.trim()).filter(Boolean))];
}

/** The content a form stands for (empty sections left out), not yet checked. */
export function contentOf(f: DraftForm): DraftContent {
  const sections: EntrySections = {};
  for (const key of SECTION_KEYS) if (f.texts[key].trim()) sections[key] = f.texts[key];
  return { kind: f.kind, category: f.category, title: f.title, body: f.texts.body, keywords: splitKeywords(f.keywords), sections };
}

export type ProblemKind = 'required' | 'too-long' | 'too-many' | 'sms' | 'invalid';

/** Something wrong with a field, in words the editor reads (the detail is the schema's, for IT). */
export interface FieldProblem {
  field: ContentField | null;
  kind: ProblemKind;
  limit?: number;
  detail: string;
}

const isField = (s: unknown): s is ContentField => (CONTENT_FIELDS as readonly unknown[]).includes(s);

/** The field a path points at: `title`, `sections.sms`, `keywords.3`, or the server's `content.title`. */
function fieldOf(path: readonly PropertyKey[]): ContentField | null {
  const parts = path.map(String).filter((p) => p !== 'content' && p !== 'sections');
  return isField(parts[0]) ? parts[0] : null;
}

interface Issue {
  path: readonly PropertyKey[];
  code: string;
  message: string;
  maximum?: number | bigint;
}

function problemOf(issue: Issue): FieldProblem {
  const field = fieldOf(issue.path);
  const base = { field, detail: issue.message };
  if (field === 'sms' && issue.code === 'custom') return { ...base, kind: 'sms' };
  if (issue.code === 'too_small') return { ...base, kind: 'required' };
  if (issue.code === 'too_big') {
    const limit = Number(issue.maximum);
    return { ...base, kind: field === 'keywords' && issue.path.length === 1 ? 'too-many' : 'too-long', ...(Number.isFinite(limit) ? { limit } : {}) };
  }
  return { ...base, kind: 'invalid' };
}

/** The form's content, checked as the server will check it; the problems by field otherwise. */
export function checkForm(f: DraftForm): { content: DraftContent; problems: [] } | { content: null; problems: FieldProblem[] } {
  const r = draftContentSchema.safeParse(contentOf(f));
  return r.success ? { content: r.data, problems: [] } : { content: null, problems: r.error.issues.map((i) => problemOf(i as Issue)) };
}

/** A server's 400 `details` ([{path: 'content.title', message}]) as field problems. */
export function detailProblems(details: unknown): FieldProblem[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    if (typeof d !== 'object' || d === null) return [];
    const { path, message } = d as { path?: unknown; message?: unknown };
    return typeof path === 'string' && typeof message === 'string' ? [{ field: fieldOf(path.split('.')), kind: 'invalid' as const, detail: message }] : [];
  });
}
