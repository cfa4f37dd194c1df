import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCacheDb, type CacheDb } from '../../electron/core/cache/cache-db';
import { openCityDb, type Db } from '../../server/store/db';

const tempFile = (prefix: string, name: string) => join(mkdtempSync(join(tmpdir(), `minwon-${prefix}-`)), name);

/** A desk cache in a folder of its own. */
export const tempCacheDb = (prefix: string): CacheDb => openCacheDb(tempFile(prefix, 'cache.sqlite'));

/** A city store in a folder of its own. */
export const tempCityDb = (prefix: string): Db => openCityDb(tempFile(prefix, 'city.sqlite'));
