import type { CacheKey } from '../electron/core/cache/cache-db';
import { cityDbFile } from '../server/main';
import { openCityDb } from '../server/store/db';
import { openPostgresStore } from '../server/store/postgres-store';
import type { CityStore } from '../server/store/sql';
import { defaultKeyFile, keyFromFile } from '../electron/core/cache/cache-key';
import type { Args } from './main';
import { UsageError } from './usage';

export function str(args: Args, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function required(args: Args, name: string): string {
  const v = str(args, name);
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

export function int(args: Args, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = str(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export function flag(args: Args, name: string): boolean {
  return args.values[name] === true;
}

/** Credentials from flags, else MINWON_USER / MINWON_PASSWORD. */
export function credentials(args: Args): { username: string; password: string } {
  const username = str(args, 'user') ?? process.env.MINWON_USER;
  const password = str(args, 'password') ?? process.env.MINWON_PASSWORD;
  if (!username || !password) throw new UsageError('credentials needed: --user and --password, or MINWON_USER and MINWON_PASSWORD');
  return { username, password };
}

/** Credentials if the flags or the environment give them (both parts), else null: the desk's sign-in screen asks. */
export function optionalCredentials(args: Args): { username: string; password: string } | null {
  const given = str(args, 'user') ?? process.env.MINWON_USER ?? str(args, 'password') ?? process.env.MINWON_PASSWORD;
  return given === undefined ? null : credentials(args);
}

export function areaCode(args: Args): { areaCode: string; region: 'KR' } {
  const code = str(args, 'area-code') ?? '054';
  if (!/^0\d{1,2}$/.test(code)) throw new UsageError('--area-code looks like 054');
  return { areaCode: code, region: 'KR' };
}

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

/** A desk cache's encryption key: from --cache-key-file, by default `<cache>.key` beside it (made with mode 600 when missing). */
export function cacheKey(args: Args, cacheFile: string): CacheKey {
  return keyFromFile(str(args, 'cache-key-file') ?? defaultKeyFile(cacheFile));
}

/** The PostgreSQL store's URL, from --database or MINWON_DATABASE_URL (which keeps the password out of the process list); none means SQLite. */
export function databaseUrl(args: Args): string | undefined {
  const url = str(args, 'database') ?? process.env.MINWON_DATABASE_URL;
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) throw new UsageError('--database takes a postgres:// URL (MINWON_DATABASE_URL too); --data DIR means the SQLite store');
  return url;
}

/** The city store a command works on: PostgreSQL when a database URL is given, else the SQLite file in --data DIR. */
export async function openCityStore(args: Args): Promise<CityStore> {
  const url = databaseUrl(args);
  return url ? openPostgresStore(url) : openCityDb(cityDbFile(required(args, 'data')));
}
