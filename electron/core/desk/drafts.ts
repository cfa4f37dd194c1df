import { maskPersonalData } from '../../../shared/masking';
import { draftSchema, MAX_DRAFTS, type Draft } from '../../../shared/draft';
import type { PhoneContext } from '../../../shared/phone';
import { RECORD_LIMITS } from '../../../shared/record';
import type { CacheDb } from '../cache/cache-db';
import { clip } from '../../../shared/plain-text';

/**
 * Consultations not yet filed, in the cache file: they outlive the page (a reload, a crashed
 * window) and the core process. Personal data in notes is masked before it is written.
 */
export function createDraftStore(db: CacheDb, deps: { phone: PhoneContext; clock: () => Date }) {
  const put = db.prepare(
    'INSERT INTO drafts(id, status, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, data = excluded.data, updated_at = excluded.updated_at',
  );
  const remove = db.prepare('DELETE FROM drafts WHERE id = ?');
  const all = db.prepare('SELECT data FROM drafts ORDER BY updated_at DESC, id').pluck();
  // One consultation is on screen at a time: a new active one sets the others aside.
  const setAside = db.prepare("UPDATE drafts SET status = 'kept', data = json_set(data, '$.status', 'kept') WHERE status = 'active' AND id <> ?");
  const filed = db.prepare('SELECT 1 FROM history WHERE id = ?').pluck();
  const trim = db.prepare(`DELETE FROM drafts WHERE id IN (SELECT id FROM drafts ORDER BY updated_at DESC, id LIMIT -1 OFFSET ${MAX_DRAFTS})`);
  const keep = db.transaction((draft: Draft) => {
    // An edit that was on its way while the record was filed: the record is what counts.
    if (filed.get(draft.id)) return;
    const masked: Draft = { ...draft, notes: clip(maskPersonalData(draft.notes, deps.phone).text, RECORD_LIMITS.notes) };
    if (masked.status === 'active') setAside.run(masked.id);
    put.run(masked.id, masked.status, JSON.stringify(masked), deps.clock().toISOString());
    trim.run();
  });
  return {
    /** Stores (or replaces) a draft; an active one sets the others aside. */
    keep: (draft: Draft): void => keep(draft),
    drop: (id: string): boolean => remove.run(id).changes > 0,
    /** Newest first; a row that no longer reads as a draft is skipped rather than fail the list. */
    list: (): Draft[] =>
      (all.all() as string[]).flatMap((text) => {
        try {
          const r = draftSchema.safeParse(JSON.parse(text));
          return r.success ? [r.data] : [];
        } catch {
          return [];
        }
      }),
  };
}

export type DraftStore = ReturnType<typeof createDraftStore>;
