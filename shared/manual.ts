import { z } from 'zod';
import { measureSms } from './sms/sms-bytes';

/** Bounds keep one bad row from bloating every desk's cache. */
export const MANUAL_LIMITS = {
  id: 64,
  category: 100,
  title: 200,
  body: 20_000,
  keyword: 50,
  keywords: 30,
  department: 64,
} as const;

export const ENTRY_KINDS = ['manual', 'faq'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * The fields of a city manual entry beyond its 업무개요 (the entry's `body`), as Seoul 120's manual
 * has them, plus the agent's short spoken answer and the SMS form. Order is the order shown.
 */
export const SECTION_KEYS = ['target', 'howToApply', 'documents', 'fees', 'deadline', 'office', 'law', 'note', 'spoken', 'sms'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

/**
 * The entry's fields by the names a city manual gives them (Seoul 120's): the departments' own
 * vocabulary, shared by the desk's and the portal's Korean text and the spreadsheets' headers.
 */
export const FIELD_NAMES_KO: Record<'body' | SectionKey, string> = {
  body: '업무개요',
  target: '대상',
  howToApply: '신청방법',
  documents: '구비서류',
  fees: '수수료·과태료',
  deadline: '처리기한',
  office: '접수처·담당부서',
  law: '관련법령',
  note: '참고',
  spoken: '상담 답변(짧게)',
  sms: '문자 안내',
};

export const SECTION_LIMITS: Record<SectionKey, number> = {
  target: 2000,
  howToApply: 4000,
  documents: 2000,
  fees: 2000,
  deadline: 1000,
  office: 1000,
  law: 2000,
  note: 4000,
  spoken: 600,
  // An LMS at most: the desk sends it as it is.
  sms: 2000,
};

const section = (key: SectionKey) => z.string().trim().max(SECTION_LIMITS[key]).optional();

/** The SMS form is sent as written: it must fit an LMS in EUC-KR and hold only characters a phone shows. */
const smsSection = section('sms').refine((t) => t === undefined || ((m) => m.kind !== 'too-long' && m.unsendable.length === 0)(measureSms(t)), {
  message: 'the SMS form must fit 2,000 bytes (EUC-KR) and hold only characters a phone can show',
});

export const entrySectionsSchema = z.strictObject({
  target: section('target'),
  howToApply: section('howToApply'),
  documents: section('documents'),
  fees: section('fees'),
  deadline: section('deadline'),
  office: section('office'),
  law: section('law'),
  note: section('note'),
  spoken: section('spoken'),
  sms: smsSection,
});
export type EntrySections = z.infer<typeof entrySectionsSchema>;

/** Sections without their empty fields: what is stored and synced. */
export function compactSections(s: EntrySections | undefined): EntrySections {
  const out: EntrySections = {};
  for (const key of SECTION_KEYS) {
    const text = s?.[key]?.trim();
    if (text) out[key] = text;
  }
  return out;
}


/**
 * One row of the manual interchange format (JSONL or CSV), as departments write it.
 * `kind` is optional so plain manual files need not mention it.
 */
export const manualEntryInputSchema = z.strictObject({
  id: z.string().trim().min(1).max(MANUAL_LIMITS.id).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'id: letters, digits, . _ - only'),
  kind: z.enum(ENTRY_KINDS).default('manual'),
  category: z.string().trim().min(1).max(MANUAL_LIMITS.category),
  title: z.string().trim().min(1).max(MANUAL_LIMITS.title),
  body: z.string().trim().min(1).max(MANUAL_LIMITS.body),
  keywords: z.array(z.string().trim().min(1).max(MANUAL_LIMITS.keyword)).max(MANUAL_LIMITS.keywords).default([]),
  department: z.string().trim().min(1).max(MANUAL_LIMITS.department).optional(),
  updatedAt: isoDateTime.optional(),
  sections: entrySectionsSchema.optional(),
});
export type ManualEntryInput = z.input<typeof manualEntryInputSchema>;

/** A manual entry as the city server stores and syncs it: always versioned and dated. */
export const manualEntrySchema = z.strictObject({
  id: manualEntryInputSchema.shape.id,
  kind: z.enum(ENTRY_KINDS),
  category: manualEntryInputSchema.shape.category,
  title: manualEntryInputSchema.shape.title,
  body: manualEntryInputSchema.shape.body,
  keywords: z.array(z.string().max(MANUAL_LIMITS.keyword)).max(MANUAL_LIMITS.keywords),
  department: z.string().max(MANUAL_LIMITS.department).nullable(),
  updatedAt: isoDateTime,
  version: z.number().int().positive(),
  /** The fields beyond 업무개요 (`body`); absent when the entry has none. */
  sections: entrySectionsSchema.optional(),
});
export type ManualEntry = z.infer<typeof manualEntrySchema>;
