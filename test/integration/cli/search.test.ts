import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MINWON, REPO, runMinwon } from '../../helpers/processes';

let dir: string;
let cache: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minwon-cli-search-'));
  cache = join(dir, 'cache.sqlite');
  const manual = join(dir, 'manual.jsonl');
  const demo = join(REPO, 'resources/demo/manual');
  writeFileSync(manual, readdirSync(demo).map((f) => readFileSync(join(demo, f), 'utf8').trim()).join('\n'));
  const r = await runMinwon(['index', '--cache', cache, '--manual', manual, '--synonyms', join(REPO, 'resources/demo/synonyms.json')]);
  expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/indexed 250 entries and \d+ synonyms/) });
  // A desk cache is encrypted, its key beside it, readable by this account only.
  expect(readFileSync(cache).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
  expect(statSync(`${cache}.key`).mode & 0o777).toBe(0o600);
});

function batch(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [MINWON, 'search', '-', '--cache', cache, '--limit', '3'], { cwd: REPO });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
    p.stdin.end(input);
  });
}

describe('minwon search and index', () => {
  it('prints readable results for one query', async () => {
    const r = await runMinwon(['search', '여권 재발급', '--cache', cache, '--limit', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ 1\. M-PSP-\d+ .*여권/);
    expect(r.stdout).toMatch(/2 result\(s\) in [\d.]+ ms/);
  });

  it('answers one JSON line per stdin line in batch mode, odd input included', async () => {
    const out = (await batch('누수\nㅈㅁㄷㄹ\n\n"NEAR(\ndkswjs\n')).trim().split('\n').map((l) => JSON.parse(l) as { query: string; results: { id: string; title: string; score: number }[]; tookMs: number });
    expect(out.map((o) => o.query)).toEqual(['누수', 'ㅈㅁㄷㄹ', '', '"NEAR(', 'dkswjs']);
    expect(out[0]?.results).toHaveLength(3);
    expect(Object.keys(out[0]?.results[0] ?? {})).toEqual(['id', 'title', 'score']);
    expect(out[2]?.results).toEqual([]);
    expect(out.every((o) => typeof o.tookMs === 'number')).toBe(true);
  });

  it('refuses a broken manual file with line numbers', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":"A","category":"c","title":"t","body":"b"}\n{"id":"B"}\n');
    const r = await runMinwon(['index', '--cache', join(dir, 'other.sqlite'), '--manual', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.jsonl:2: /);
  });
});
