import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCacheDb, type CacheDb } from '../../electron/core/cache/cache-db';
import { openCityDb } from '../../server/store/db';
import type { SqliteStore } from '../../server/store/sqlite-store';

const tempFile = (prefix: string, name: string) => join(mkdtempSync(join(tmpdir(), `minwon-${prefix}-`)), name);

/** A path for a desk cache in a folder of its own (for an agent core to open). */
export const tempCacheFile = (prefix: string): string => tempFile(prefix, 'cache.sqlite');

/** A desk cache in a folder of its own. */
export const tempCacheDb = (prefix: string): CacheDb => openCacheDb(tempCacheFile(prefix));

/** A city store in a folder of its own. */
export const tempCityDb = (prefix: string): SqliteStore => openCityDb(tempFile(prefix, 'city.sqlite'));
