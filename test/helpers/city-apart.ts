import { mkdirSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { sipDbFile } from '../../server/store/sip-store';

/**
 * A data folder for `minwon sip` beside the city server's, sharing its SIP accounts file (a
 * symlink to DATA/sip.sqlite) but not its recording spool: for tests and benchmarks that read the
 * gateway's spool themselves and must not race the city server's filing loop, which takes from
 * DATA/recording-spool.
 */
export function sipDataApart(cityDataDir: string): string {
  const dir = `${resolve(cityDataDir)}-sip`;
  mkdirSync(dir, { recursive: true });
  symlinkSync(resolve(sipDbFile(cityDataDir)), sipDbFile(dir));
  return dir;
}
