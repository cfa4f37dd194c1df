/**
 * Versioned schema migrations over SQLite's `user_version`, for any driver with this shape
 * (better-sqlite3 on the server and in the agent core).
 */
export interface MigratableDb {
  pragma(source: string, options: { simple: true }): unknown;
  exec(source: string): unknown;
  transaction(fn: () => void): () => void;
}

/** Each step's SQL, in order; step i brings the schema from version i to i + 1. Never edit a released step. */
export type Migrations = readonly string[];

/** Applies the missing steps, each in its own transaction with its version bump. Returns the new version. */
export function migrate(db: MigratableDb, steps: Migrations): number {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > steps.length) {
    throw new Error(`database schema version ${current} is newer than this program (${steps.length}); update the program`);
  }
  for (let v = current; v < steps.length; v++) {
    db.transaction(() => {
      db.exec(steps[v] as string);
      db.pragma(`user_version = ${v + 1}`, { simple: true });
    })();
  }
  return steps.length;
}
