import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMinwon } from '../../helpers/processes';
import { serverState } from '../../helpers/state';

const dir = () => mkdtempSync(join(tmpdir(), 'minwon-import-'));
const entry = (id: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({ id, category: '환경/소음', title: `공사장 소음 ${id}`, body: '공사장 소음 민원 접수 안내', ...over });

describe('minwon import', () => {
  it('imports a JSONL file, then reports a re-import as unchanged', async () => {
    const data = dir();
    const file = join(data, 'manual.jsonl');
    writeFileSync(file, [entry('E-1'), entry('E-2', { keywords: ['소음'] })].join('\n'));
    const first = await runMinwon(['import', file, '--data', data]);
    expect(first).toMatchObject({ code: 0, stdout: 'imported 2 row(s): 2 new, 0 updated, 0 unchanged, 0 deleted\n' });
    const again = await runMinwon(['import', file, '--data', data]);
    expect(again.stdout).toMatch(/0 new, 0 updated, 2 unchanged/);
  });

  it('imports nothing from a file with a bad row, and names every bad line', async () => {
    const data = dir();
    const good = join(data, 'good.jsonl');
    writeFileSync(good, entry('E-1'));
    await runMinwon(['import', good, '--data', data]);
    const before = serverState(data);
    const bad = join(data, 'bad.jsonl');
    writeFileSync(bad, [entry('E-1', { title: '바뀐 제목' }), entry('E-2'), '{broken', entry('E-3', { category: '' }), entry('E-2')].join('\n'));
    const r = await runMinwon(['import', bad, '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:3: not JSON`);
    expect(r.stderr).toContain(`${bad}:4: category`);
    expect(r.stderr).toContain(`${bad}:5: id E-2 repeats line 2`);
    expect(r.stderr).toContain('nothing imported: 3 bad row(s)');
    expect(serverState(data)).toEqual(before);
  });

  it('imports CSV and, with --prune, deletes what the file no longer lists', async () => {
    const data = dir();
    const csv = join(data, 'manual.csv');
    writeFileSync(csv, 'id,category,title,body,keywords\nC-1,도로/가로등,가로등 고장,"고장 신고 안내\n내선 2552",가로등;보안등\nC-2,도로/포트홀,포트홀,신고 안내,\n');
    expect((await runMinwon(['import', csv, '--data', data])).stdout).toMatch(/2 new/);
    writeFileSync(csv, 'id,category,title,body\nC-1,도로/가로등,가로등 고장,고장 신고 안내\n');
    const pruned = await runMinwon(['import', csv, '--data', data, '--prune']);
    expect(pruned.stdout).toMatch(/1 updated, 0 unchanged, 1 deleted/);
    expect(serverState(data).entries).toEqual(['C-1@2']);
  });

  it('says what is wrong with the command line', async () => {
    expect(await runMinwon(['import', '--data', dir()])).toMatchObject({ code: 2, stderr: expect.stringMatching(/one FILE/) });
    expect(await runMinwon(['import', 'x.jsonl'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--data is required/) });
    expect(await runMinwon(['import', 'x.xlsx', '--data', dir()])).toMatchObject({ code: 1, stderr: expect.stringMatching(/\.jsonl or \.csv/) });
    expect(await runMinwon(['import', 'missing.jsonl', '--data', dir()])).toMatchObject({ code: 1, stderr: expect.stringMatching(/ENOENT/) });
    expect(await runMinwon(['sync', '--server', 'http://127.0.0.1:9', '--cache', join(dir(), 'c.sqlite')], { MINWON_USER: '', MINWON_PASSWORD: '' })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/credentials needed/),
    });
    const help = await runMinwon(['help']);
    for (const cmd of ['server', 'import', 'user add', 'sync', 'host', 'demo', 'generate']) expect(help.stdout).toContain(cmd);
  });

  it('creates accounts that can log in, and refuses weak passwords', async () => {
    const data = dir();
    expect(await runMinwon(['user', 'add', 'agent9', '--role', 'agent', '--data', data], { MINWON_PASSWORD: 'short' })).toMatchObject({ code: 2 });
    expect(await runMinwon(['user', 'add', 'agent9', '--role', 'boss', '--data', data], { MINWON_PASSWORD: 'long enough' })).toMatchObject({ code: 2 });
    const ok = await runMinwon(['user', 'add', 'agent9', '--role', 'agent', '--data', data, '--display-name', '최상담'], { MINWON_PASSWORD: 'long enough' });
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringMatching(/created agent agent9/) });
    expect(await runMinwon(['user', 'add', 'agent9', '--role', 'agent', '--data', data], { MINWON_PASSWORD: 'long enough' })).toMatchObject({ code: 1 });
    expect(await runMinwon(['user', 'disable', 'agent9', '--data', data])).toMatchObject({ code: 0, stdout: expect.stringMatching(/agent9 disabled/) });
    expect(await runMinwon(['user', 'disable', 'nobody', '--data', data])).toMatchObject({ code: 1 });
    // The SIP server's accounts no longer list it: its phone cannot register.
    const sip = new Database(join(data, 'sip.sqlite'), { readonly: true });
    expect(sip.prepare("SELECT COUNT(*) FROM subscriber WHERE username = 'agent9'").pluck().get()).toBe(0);
    sip.close();
  });
});
