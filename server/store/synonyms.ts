import { synonymSchema, type Synonym } from '../../shared/sync';
import { publishChange, putIfChanged } from './change-log';
import type { Db } from './sql';

/** Publishes a synonym row when it is new or changed; returns whether it was. */
export async function putSynonym(db: Db, s: Synonym): Promise<boolean> {
  const row = synonymSchema.parse(s);
  return putIfChanged(db, { table: 'synonyms', key: 'term', value: 'expansions', kind: 'synonym' }, row.term, JSON.stringify(row.expansions), row);
}

export async function deleteSynonym(db: Db, term: string): Promise<boolean> {
  return db.write(async (tx) => {
    if ((await tx.run('DELETE FROM synonyms WHERE term = ?', [term])) === 0) return false;
    await publishChange(tx, 'synonym', term, null);
    return true;
  });
}

export async function listSynonyms(db: Db): Promise<Synonym[]> {
  return (await db.all<{ term: string; expansions: string }>('SELECT term, expansions FROM synonyms ORDER BY term')).map((r) => ({
    term: r.term,
    expansions: JSON.parse(r.expansions) as string[],
  }));
}
