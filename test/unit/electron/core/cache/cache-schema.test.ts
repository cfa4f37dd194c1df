import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCacheDb } from '../../../../../electron/core/cache/cache-db';
import { CACHE_SCHEMA, HISTORY_BULK_INDEXES } from '../../../../../electron/core/cache/schema';
import { migrate } from '../../../../../shared/migrations';

describe('a desk cache from before desks were told less of other agents’ consultations', () => {
  it('keeps its own consultations whole and drops the agent, end and department of everyone else’s', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'minwon-cache-schema-')), 'cache.sqlite');
    const old = new Database(file);
    // The schema as it was before the step that rebuilt the history table.
    migrate(old, CACHE_SCHEMA.slice(0, CACHE_SCHEMA.findIndex((step) => step.includes('CREATE TABLE history_new'))));
    old.prepare("INSERT INTO meta(key, value) VALUES ('agentId', 'agent-1')").run();
    const insert = old.prepare(`INSERT INTO history(id, caller_e164, agent_id, started_at, ended_at, category, outcome, manual_ids, notes, department, pending)
      VALUES (?, '+821023456789', ?, '2026-12-07T09:00:00+09:00', '2026-12-07T09:04:00+09:00', '상수도/요금', 'transferred', '["M-1"]', '감면 문의', '요금관리과', ?)`);
    insert.run('own-synced', 'agent-1', 0);
    insert.run('own-pending', 'agent-1', 1);
    insert.run('other', 'agent-2', 0);
    old.close();

    const db = openCacheDb(file);
    const rows = db.prepare('SELECT id, agent_id, ended_at, department, category, manual_ids, notes, pending FROM history ORDER BY id').all();
    const whole = { ended_at: '2026-12-07T09:04:00+09:00', department: '요금관리과', category: '상수도/요금', manual_ids: '["M-1"]', notes: '감면 문의' };
    expect(rows).toEqual([
      { id: 'other', ...whole, agent_id: null, ended_at: null, department: null, pending: 0 },
      { id: 'own-pending', ...whole, agent_id: 'agent-1', pending: 1 },
      { id: 'own-synced', ...whole, agent_id: 'agent-1', pending: 0 },
    ]);
    // The screen-pop's indexes are back on the new table.
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(indexes).toEqual(HISTORY_BULK_INDEXES.map((i) => i.name).sort());
    db.close();
  });
});
