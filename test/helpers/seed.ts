import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { generateEntries, generateHistory } from '../../server/demo/generate';
import { loadDemoManual, seedDemo } from '../../server/demo/seed';
import { DEFAULT_PHONE, cityDbFile } from '../../server/main';
import { openCityDb } from '../../server/store/db';
import { upsertEntries } from '../../server/store/manual';
import { intakeBatch } from '../../server/store/records';
import { findUser } from '../../server/store/users';
import { draftOf } from '../../shared/record';

/**
 * Prepares a city server data folder: the demo data set plus `entries` generated manual entries
 * and `history` generated consultations, written straight into the store before the server starts.
 */
export async function seedCityData(dataDir: string, o: { entries?: number; history?: number; seed?: number } = {}): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const db = openCityDb(cityDbFile(dataDir));
  try {
    const now = new Date('2026-11-28T00:00:00Z');
    await seedDemo(db, DEFAULT_PHONE, now);
    const manual = loadDemoManual();
    if (o.entries) await upsertEntries(db, generateEntries(manual, o.entries, o.seed ?? 1), 'test', now);
    if (o.history) {
      const agentId = ((await findUser(db, 'agent2')) as { id: string }).id;
      const items = generateHistory(o.history, o.seed ?? 1, {
        callers: Math.max(10, Math.floor(o.history / 5)),
        agents: [agentId],
        categories: [...new Set(manual.map((e) => e.category))],
        manualIds: manual.map((e) => e.id),
        until: now,
        days: 365,
      });
      await db.write(async (tx) => {
        let batch: ReturnType<typeof draftOf>[] = [];
        for (const item of items) {
          batch.push(draftOf(item));
          if (batch.length === 1000) {
            await intakeBatch(tx, { batchKey: randomUUID(), records: batch }, agentId, DEFAULT_PHONE, now);
            batch = [];
          }
        }
        if (batch.length) await intakeBatch(tx, { batchKey: randomUUID(), records: batch }, agentId, DEFAULT_PHONE, now);
      });
    }
  } finally {
    await db.close();
  }
}
