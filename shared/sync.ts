import { z } from 'zod';
import { departmentSchema } from './directory';
import { manualEntrySchema } from './manual';
import { deskHistoryItemSchema } from './record';
import { settingSchema } from './settings';

/** Page bounds: the server never sends more rows or bytes than these, whatever is asked. */
export const SYNC_PAGE = {
  defaultRows: 1000,
  maxRows: 5000,
  defaultBytes: 1 << 20,
  maxBytes: 4 << 20,
} as const;

/**
 * A cursor names the server database it came from ("epoch") and the last change
 * revision applied. A cursor from another epoch (a restored or replaced server)
 * makes the server answer with `reset: true` and start from the beginning.
 */
export interface SyncCursor {
  epoch: string;
  rev: number;
}

const CURSOR = /^([A-Za-z0-9_-]{8,64}):(\d{1,15})$/;

export function formatCursor(c: SyncCursor): string {
  return `${c.epoch}:${c.rev}`;
}

/** Parses a cursor string; null when it is not one. */
export function parseCursor(s: string): SyncCursor | null {
  const m = CURSOR.exec(s);
  if (!m) return null;
  const rev = Number(m[2]);
  return Number.isSafeInteger(rev) ? { epoch: m[1] as string, rev } : null;
}

const rev = z.number().int().positive();

/** One row of the city's synonym table: what people type, and the manual's words for it. */
export const synonymSchema = z.strictObject({
  term: z.string().trim().min(1).max(40),
  expansions: z.array(z.string().trim().min(1).max(60)).min(1).max(10),
});
export type Synonym = z.infer<typeof synonymSchema>;

/** How many times agents city-wide opened an entry (a ranking prior). */
export const usageSchema = z.strictObject({ id: z.string().min(1).max(64), count: z.number().int().nonnegative() });
export type Usage = z.infer<typeof usageSchema>;

/** A desk's entry uses since its last upload; `batchKey` makes a retried upload a no-op. */
export const usageBatchSchema = z.strictObject({
  batchKey: z.uuid(),
  counts: z.array(z.strictObject({ id: z.string().min(1).max(64), count: z.number().int().positive().max(100_000) })).min(1).max(5000),
});
export type UsageBatch = z.infer<typeof usageBatchSchema>;

/** One change in a page: an upsert carries the new state, a tombstone carries null. */
export const syncChangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ rev, kind: z.literal('entry'), key: z.string().min(1).max(64), data: manualEntrySchema.nullable() }),
  z.strictObject({ rev, kind: z.literal('department'), key: z.string().min(1).max(64), data: departmentSchema.nullable() }),
  z.strictObject({ rev, kind: z.literal('history'), key: z.uuid(), data: deskHistoryItemSchema.nullable() }),
  z.strictObject({ rev, kind: z.literal('synonym'), key: z.string().min(1).max(40), data: synonymSchema.nullable() }),
  z.strictObject({ rev, kind: z.literal('usage'), key: z.string().min(1).max(64), data: usageSchema.nullable() }),
  z.strictObject({ rev, kind: z.literal('setting'), key: z.string().min(1).max(64), data: settingSchema.nullable() }),
]);
export type SyncChange = z.infer<typeof syncChangeSchema>;
export type SyncKind = SyncChange['kind'];
export const SYNC_KINDS: readonly SyncKind[] = ['entry', 'department', 'history', 'synonym', 'usage', 'setting'];

/** The key a change's data is filed under: its id, a synonym's term, or a setting's key. */
export function keyOfData(c: SyncChange): string | null {
  if (c.data === null) return null;
  if ('term' in c.data) return c.data.term;
  if ('key' in c.data) return c.data.key;
  return c.data.id;
}

export const syncPageSchema = z
  .strictObject({
    cursor: z.string().regex(CURSOR, 'malformed cursor'),
    hasMore: z.boolean(),
    reset: z.boolean(),
    changes: z.array(syncChangeSchema).max(SYNC_PAGE.maxRows),
  })
  .superRefine((page, ctx) => {
    // Revisions must rise and the cursor must cover them: a page that breaks this would
    // make a resumed sync skip or repeat changes.
    let last = 0;
    for (const [i, c] of page.changes.entries()) {
      if (c.rev <= last) ctx.addIssue({ code: 'custom', message: 'revisions not increasing', path: ['changes', i, 'rev'] });
      if (c.data && keyOfData(c) !== c.key) ctx.addIssue({ code: 'custom', message: 'key does not match data.id', path: ['changes', i, 'key'] });
      last = c.rev;
    }
    const cursor = parseCursor(page.cursor);
    if (cursor && cursor.rev < last) ctx.addIssue({ code: 'custom', message: 'cursor behind the last change', path: ['cursor'] });
  });
export type SyncPage = z.infer<typeof syncPageSchema>;
