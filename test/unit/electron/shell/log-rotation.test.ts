import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotateLog } from '../../../../electron/shell/log-rotation';

describe('log rotation', () => {
  it('keeps the newest old logs, numbered, and drops the oldest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-log-'));
    const main = join(dir, 'main.log');
    for (let day = 1; day <= 5; day++) {
      writeFileSync(main, `day ${day}`);
      rotateLog(main, 3);
    }
    expect(existsSync(main)).toBe(false);
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).toBe('day 5');
    expect(readFileSync(join(dir, 'main.2.log'), 'utf8')).toBe('day 4');
    expect(readFileSync(join(dir, 'main.3.log'), 'utf8')).toBe('day 3');
    expect(existsSync(join(dir, 'main.4.log'))).toBe(false);
  });
});
