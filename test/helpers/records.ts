import { randomUUID } from 'node:crypto';
import type { RecordDraft } from '../../shared/record';

/** A realistic consultation record draft; fields can be overridden. */
export function draft(over: Partial<RecordDraft> = {}): RecordDraft {
  // A call of yesterday: the city refuses records of calls that are too old or still to come.
  const started = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 86_400_000);
  return {
    id: randomUUID(),
    callerNumber: '010-2345-6789',
    startedAt: started.toISOString(),
    endedAt: new Date(started.getTime() + 240_000).toISOString(),
    category: '상수도/누수',
    outcome: 'answered',
    manualIds: ['M-WAT-010'],
    notes: '옥내 누수 여부 확인 방법 안내',
    department: null,
    smsEntryIds: [],
    ...over,
  };
}
