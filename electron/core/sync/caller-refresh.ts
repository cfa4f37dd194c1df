import type { CacheDb } from '../cache/cache-db';
import type { CityApi } from './city-api';

/**
 * Fetches one caller's history from the city server while their call rings, and adds what this
 * desk's cache lacks (consultations not synced yet). Rows the cache has are left alone: a desk's
 * own pending record must not be overwritten by an older copy.
 */
export function createCallerRefresh(db: CacheDb, api: Pick<CityApi, 'callerHistory'>) {
  const insert = db.prepare(`
    INSERT INTO history(id, caller_e164, agent_id, started_at, ended_at, category, outcome, manual_ids, notes, department, channel, pending)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
    ON CONFLICT(id) DO NOTHING`);
  return {
    /** Resolves to the number of consultations added; rejects when the city server cannot be reached. */
    async refresh(number: string): Promise<number> {
      const { items } = await api.callerHistory(number);
      return db.transaction(() =>
        items.reduce(
          (added, h) =>
            added + insert.run(h.id, h.callerE164, h.agentId, h.startedAt, h.endedAt, h.category, h.outcome, JSON.stringify(h.manualIds), h.notes, h.department, h.channel ?? 'call').changes,
          0,
        ),
      )();
    },
  };
}
