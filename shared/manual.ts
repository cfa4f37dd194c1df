import { z } from 'zod';

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
});
export type ManualEntry = z.infer<typeof manualEntrySchema>;
