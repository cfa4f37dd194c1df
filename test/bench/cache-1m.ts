import { generateHistory } from '../../server/demo/generate';
import { openCacheDb } from '../../electron/core/cache/cache-db';

/**
 * A desk cache holding `count` caller-history records (generated, deterministic), written with
 * plain inserts. Returns a sample of caller numbers that have history, in national format.
 */
export function buildLargeCache(file: string, count: number, key: Buffer | null = null): string[] {
  const db = openCacheDb(file, key);
  const insert = db.prepare(
    'INSERT INTO history(id, caller_e164, agent_id, started_at, ended_at, category, outcome, manual_ids, notes, department) VALUES (@id, @callerE164, @agentId, @startedAt, @endedAt, @category, @outcome, @manualIds, @notes, @department)',
  );
  const items = generateHistory(count, 11, {
    callers: Math.floor(count / 5),
    agents: ['agent-a', 'agent-b', 'agent-c'],
    categories: ['상수도/누수', '상수도/요금', '교통/주차', '주민등록/전입', '여권/발급', '지방세/재산세'],
    manualIds: ['M-WAT-001', 'M-TRF-010', 'M-RES-003'],
    until: new Date('2026-11-28T00:00:00Z'),
    days: 730,
  });
  const numbers = new Set<string>();
  const write = db.transaction((rows: ReturnType<typeof items.next>['value'][]) => {
    for (const r of rows) insert.run({ ...r, manualIds: JSON.stringify(r.manualIds) });
  });
  let batch = [];
  let i = 0;
  for (const item of items) {
    batch.push(item);
    if (numbers.size < 2000 && i++ % 400 === 0) numbers.add(item.callerE164 as string);
    if (batch.length === 50_000) {
      write(batch);
      batch = [];
    }
  }
  if (batch.length) write(batch);
  db.close();
  return [...numbers].map((e164) => `0${e164.slice(3)}`);
}
