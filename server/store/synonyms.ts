import { synonymSchema, type Synonym } from '../../shared/sync';
import { publishChange } from './change-log';
import type { Db } from './db';

/** Publishes a synonym row when it is new or changed; returns whether it was. */
export function putSynonym(db: Db, s: Synonym): boolean {
  const row = synonymSchema.parse(s);
  const data = JSON.stringify(row.expansions);
  const old = db.prepare('SELECT expansions FROM synonyms WHERE term = ?').pluck().get(row.term) as string | undefined;
  if (old === data) return false;
  db.prepare('INSERT INTO synonyms(term, expansions) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET expansions = excluded.expansions').run(row.term, data);
  publishChange(db, 'synonym', row.term, row);
  return true;
}

export function deleteSynonym(db: Db, term: string): boolean {
  if (db.prepare('DELETE FROM synonyms WHERE term = ?').run(term).changes === 0) return false;
  publishChange(db, 'synonym', term, null);
  return true;
}

export function listSynonyms(db: Db): Synonym[] {
  return (db.prepare('SELECT term, expansions FROM synonyms ORDER BY term').all() as { term: string; expansions: string }[]).map((r) => ({
    term: r.term,
    expansions: JSON.parse(r.expansions) as string[],
  }));
}
