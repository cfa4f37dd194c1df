import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreSupervisor } from '../../../../electron/shell/core-supervisor';
import { startCityServerProcess, type CityServerProcess } from '../../../helpers/processes';
import { superviseCoreChildren } from '../../../helpers/supervised-core';
import { waitFor } from '../../../helpers/wait';
import { draft } from '../../../helpers/records';

const supervise = (serverUrl: string, cacheFile: string) => superviseCoreChildren({ serverUrl, cacheFile });


describe('the core in its own supervised process', () => {
  let running: CoreSupervisor | null = null;
  let server: CityServerProcess | null = null;
  afterEach(async () => {
    running?.stop();
    await server?.stop();
  });

  it('comes back after SIGKILL with its cache and unsent records, and sends them exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-supervisor-'));
    server = await startCityServerProcess(join(dir, 'city'), { demo: true });
    const { supervisor, children, events, log } = supervise(server.url, join(dir, 'cache.sqlite'));
    running = supervisor;
    const h = supervisor.handlers;

    await waitFor(() => h.syncStatus({}) as Promise<{ state: string; lastSyncedAt: string | null }>, (s) => s.state === 'online' && s.lastSyncedAt !== null, 30_000);
    const before = (await h.search({ query: '수도 요금', limit: 5 })) as { hits: { id: string }[] };
    expect(before.hits.length).toBeGreaterThan(0);
    expect(events.some((e) => e.name === 'syncStatus')).toBe(true);

    // The city server goes away; the agent saves a record, which waits in the outbox.
    await server.kill();
    const record = draft();
    expect(await h.saveRecord(record)).toEqual({ id: record.id, duplicate: false });
    expect(await h.outboxStatus({})).toMatchObject({ pending: 1 });

    // The core dies hard; the next call waits for the restarted process, which has it all.
    const first = children[0] as ChildProcess;
    first.kill('SIGKILL');
    await once(first, 'exit');
    expect(await h.outboxStatus({})).toMatchObject({ pending: 1 });
    expect(supervisor.restarts()).toBe(1);
    expect(children).toHaveLength(2);
    expect(children[1]?.pid).not.toBe(first.pid);
    expect(log.some((l) => l.includes('core process exited'))).toBe(true);
    expect(await h.search({ query: '수도 요금', limit: 5 })).toEqual(before);
    // Saving the same record again (the page retrying) is recognised, not doubled.
    expect(await h.saveRecord(record)).toEqual({ id: record.id, duplicate: true });

    server = await startCityServerProcess(join(dir, 'city'), { port: Number(new URL(server.url).port) });
    expect(await h.syncNow({})).toMatchObject({ uploaded: 1 });
    expect(await h.outboxStatus({})).toMatchObject({ pending: 0 });
    const login = (await (await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lead1', password: 'lead1' }) })).json()) as { token: string };
    const records = (await (await fetch(`${server.url}/api/records?from=${encodeURIComponent(record.startedAt)}&to=${encodeURIComponent(record.endedAt)}&limit=1000`, { headers: { authorization: `Bearer ${login.token}` } })).json()) as { records: { id: string }[] };
    expect(records.records.filter((r) => r.id === record.id)).toHaveLength(1);
  });

  it('fails calls in flight with "closed", then answers from the restarted core', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minwon-supervisor-'));
    const { supervisor, children } = supervise('http://127.0.0.1:9', join(dir, 'cache.sqlite'));
    running = supervisor;
    await supervisor.handlers.syncStatus({});
    // A call that the dying process never answers: syncNow against a port that drops the connection takes a moment.
    const inflight = supervisor.handlers.syncNow({});
    children[0]?.kill('SIGKILL');
    await expect(inflight).rejects.toMatchObject({ code: 'closed' });
    expect(await supervisor.handlers.outboxStatus({})).toEqual({ pending: 0, rejected: [] });
  });
});
