import { existsSync, renameSync, rmSync } from 'node:fs';

/**
 * Rotates a log file that reached its size limit: main.log → main.1.log → … → main.<keep>.log,
 * the oldest dropped. electron-log calls this (archiveLogFn) and starts a fresh file.
 */
export function rotateLog(path: string, keep: number): void {
  const numbered = (n: number) => path.replace(/(\.log)?$/, `.${n}$1`);
  rmSync(numbered(keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1));
  renameSync(path, numbered(1));
}

/** Log files: 5 MB each, the current one and 5 old ones (a week of a busy desk, at info level). */
export const LOG_LIMITS = { maxBytes: 5 * 1024 * 1024, keep: 5 } as const;
