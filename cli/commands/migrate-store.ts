import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cityDbFile } from '../../server/main';
import { openCityDb } from '../../server/store/db';
import { copyStore } from '../../server/store/migrate-store';
import { openPostgresStore } from '../../server/store/postgres-store';
import { required, str } from '../args';
import type { Args } from '../main';
import { UsageError } from '../usage';

/** Copies the SQLite store of a data folder into an empty PostgreSQL database, verified table by table. */
export async function runMigrateStore(args: Args): Promise<number> {
  const dataDir = required(args, 'from');
  const url = str(args, 'to') ?? process.env.MINWON_DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new UsageError('--to takes a postgres:// URL (or MINWON_DATABASE_URL)');
  if (!existsSync(cityDbFile(dataDir))) throw new UsageError(`no city store in ${dataDir} (${cityDbFile(dataDir)})`);
  const from = openCityDb(cityDbFile(dataDir));
  const to = await openPostgresStore(url);
  try {
    const copies = await copyStore(from, to);
    for (const c of copies) process.stdout.write(`${c.table.padEnd(24)} ${String(c.rows).padStart(9)} rows  sha256 ${c.checksum.slice(0, 16)}  equal\n`);
    // The monitoring grants' key goes along, so grants keep verifying on desks.
    const keyFile = join(dataDir, 'monitoring-key.pem');
    if (existsSync(keyFile)) await to.run("INSERT INTO meta(key, value) VALUES ('monitoringKey', ?) ON CONFLICT DO NOTHING", [readFileSync(keyFile, 'utf8')]);
    process.stdout.write(`copied ${copies.length} tables; every one equal in rows and checksum. Start the servers with --database.\n`);
    return 0;
  } finally {
    await from.close();
    await to.close();
  }
}
