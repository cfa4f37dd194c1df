import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const stateSchema = z.strictObject({
  highestSerial: z.number().int().nonnegative(),
  /** A random id of this install, for its stable staging bucket. */
  stagingId: z.uuid(),
});

export interface UpdateState {
  highestSerial(): number;
  /** Remembers a verified manifest's serial, so no lower one is accepted again. */
  remember(serial: number): void;
  /** 0–99, the same on every check: a release staged at p% reaches the desks with a bucket below p. */
  stagingBucket(): number;
}

/**
 * What the updater must remember across restarts, in one small JSON file written atomically.
 * An unreadable file starts over from serial 0 but keeps failing closed on signatures, expiry
 * and channel; it is logged.
 */
export function openUpdateState(file: string, log: (msg: string) => void): UpdateState {
  let state: z.infer<typeof stateSchema>;
  try {
    // Stryker disable next-line StringLiteral: JSON.parse reads a Buffer as UTF-8 text too.
    state = stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`update state ${file} unreadable, starting over: ${(e as Error).message}`);
    state = { highestSerial: 0, stagingId: randomUUID() };
    save();
  }
  function save() {
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  }
  return {
    highestSerial: () => state.highestSerial,
    remember(serial) {
      // Stryker disable next-line EqualityOperator: saving the serial it already holds changes nothing.
      if (serial <= state.highestSerial) return;
      state = { ...state, highestSerial: serial };
      save();
    },
    // parseInt stops at the id's first '-': its first 8 hex digits.
    stagingBucket: () => Number.parseInt(state.stagingId, 16) % 100,
  };
}
