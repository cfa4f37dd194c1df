import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_SCHEMA } from './postgres-schema';
import type { CityStore, Db, SqlParam } from './sql';

// One lock for every writer of every instance: writes run one at a time, as on SQLite. The
// change log's revisions come from a sequence, which hands a value out when a row is inserted,
// not when its transaction commits; with writers in turn, a revision is only ever taken after
// every smaller one committed, so a desk that read up to it has missed none.
const WRITE_LOCK = 0x6d696e77; // "minw"
// Migrations take another, so that instances starting together migrate once.
const MIGRATION_LOCK = 0x6d696e6d;

/** `?` placeholders (outside quotes) as PostgreSQL's `$1`, `$2`, … */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const c of sql) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '?') {
      out += `$${++n}`;
      continue;
    }
    out += c;
  }
  return out;
}

// BIGINT (counts, revisions, times in ms) as numbers: all of them fit in 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * The city store on PostgreSQL, for several server instances on one database: a pool of
 * connections, each statement prepared once per connection, the schema migrated at open.
 */
export async function openPostgresStore(url: string, o: { poolSize?: number } = {}): Promise<CityStore> {
  const pool = new pg.Pool({ connectionString: url, max: o.poolSize ?? 10, types });
  // A connection lost while idle (a restarted database) is replaced, not a crash of the server.
  pool.on('error', () => undefined);
  const names = new Map<string, { name: string; text: string }>();
  const statement = (sql: string) => {
    let s = names.get(sql);
    if (!s) names.set(sql, (s = { name: `s${names.size}`, text: numberedPlaceholders(sql) }));
    return s;
  };
  type Runner = Pick<pg.Pool, 'query'>;
  const over = (runner: Runner): Omit<Db, 'write' | 'read'> => {
    const query = (sql: string, params: readonly SqlParam[] = []) => runner.query({ ...statement(sql), values: params as SqlParam[] });
    return {
      engine: 'postgres',
      all: async <T>(sql: string, params?: readonly SqlParam[]) => (await query(sql, params)).rows as T[],
      get: async <T>(sql: string, params?: readonly SqlParam[]) => (await query(sql, params)).rows[0] as T | undefined,
      run: async (sql: string, params?: readonly SqlParam[]) => (await query(sql, params)).rowCount ?? 0,
    };
  };
  function transaction(begin: string, lock: boolean) {
    return async <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      // A connection lost while checked out (a restarted database) is an error event on the
      // client: without a listener it would end the process. The query in flight fails with it,
      // and the broken client is discarded, not returned to the pool.
      let broken: Error | undefined;
      const lost = (e: Error) => (broken ??= e);
      client.on('error', lost);
      try {
        await client.query(begin);
        if (lock) await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
        const tx: Db = { ...over(client), write: (f) => f(tx), read: (f) => f(tx) };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch((failed: Error) => lost(failed));
        throw e;
      } finally {
        client.off('error', lost);
        client.release(broken);
      }
    };
  }
  const store: CityStore = {
    ...over(pool),
    write: transaction('BEGIN', true),
    // Every statement of a read sees the same committed state.
    read: transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', false),
    close: () => pool.end(),
  };
  try {
    await migratePostgres(pool);
    // The epoch names this database in sync cursors, so a desk notices a replaced or restored server.
    await store.run("INSERT INTO meta(key, value) VALUES ('epoch', ?) ON CONFLICT DO NOTHING", [randomBytes(9).toString('base64url')]);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return store;
}

async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  const lost = () => undefined; // a failing statement reports it; the event must not end the process
  client.on('error', lost);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const current = Number((await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version')).rows[0]?.v ?? 0);
    if (current > POSTGRES_SCHEMA.length) {
      throw new Error(`database schema version ${current} is newer than this program (${POSTGRES_SCHEMA.length}); update the program`);
    }
    for (let v = current; v < POSTGRES_SCHEMA.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(POSTGRES_SCHEMA[v] as string);
        await client.query('INSERT INTO schema_version(version) VALUES ($1)', [v + 1]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.off('error', lost);
    client.release();
  }
}
