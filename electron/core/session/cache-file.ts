import { basename, dirname, extname, join } from 'node:path';
import { usernameSchema } from '../../../shared/auth';

/**
 * One cache file per agent on a shared desk, so their drafts and records not yet uploaded stay
 * theirs: `desk.sqlite` → `desk.agent2.sqlite`. The `pinned` user (the one named on the command
 * line) keeps `base` itself, as before sign-in existed.
 */
export function cacheFileFor(base: string, username: string, pinned: string | null = null): string {
  const user = usernameSchema.parse(username);
  if (user === pinned) return base;
  const ext = extname(base);
  return join(dirname(base), `${basename(base, ext)}.${user}${ext || '.sqlite'}`);
}
