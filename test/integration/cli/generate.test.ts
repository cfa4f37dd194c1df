import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordDraftSchema } from '../../../shared/record';
import { runMinwon } from '../../helpers/processes';

describe('minwon generate', () => {
  it('scales the manual to 10,000 importable entries, the same for the same seed', async () => {
    const a = await runMinwon(['generate', 'manual', '--count', '10000', '--seed', '3']);
    const b = await runMinwon(['generate', 'manual', '--count', '10000', '--seed', '3']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const lines = a.stdout.trim().split('\n');
    expect(lines).toHaveLength(10_000);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(10_000);
    const data = mkdtempSync(join(tmpdir(), 'minwon-gen-'));
    const file = join(data, 'big.jsonl');
    writeFileSync(file, a.stdout);
    expect(await runMinwon(['import', file, '--data', data])).toMatchObject({ code: 0, stdout: expect.stringMatching(/10000 new/) });
  });

  it('makes valid consultation records whose callers repeat', async () => {
    const r = await runMinwon(['generate', 'history', '--count', '2000']);
    const records = r.stdout.trim().split('\n').map((l) => recordDraftSchema.parse(JSON.parse(l)));
    expect(records).toHaveLength(2000);
    const perCaller = new Map<string, number>();
    for (const x of records) perCaller.set(x.callerNumber, (perCaller.get(x.callerNumber) ?? 0) + 1);
    expect(Math.max(...perCaller.values())).toBeGreaterThan(10);
    expect(perCaller.size).toBeGreaterThan(100);
    expect((await runMinwon(['generate', 'nonsense'])).code).toBe(2);
  });
});
