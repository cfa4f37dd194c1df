import type { CallerHistory } from '../../shared/contract';

type PopItem = CallerHistory['items'][number];

/** One earlier, unresolved water-leak consultation of the caller 010-1234-5678, as a screen-pop lists it. */
export function earlierCall(over: Partial<PopItem> = {}): PopItem {
  return {
    id: '00000000-0000-4000-8000-000000000900',
    callerE164: '+821012345678',
    agentId: 'agent7',
    startedAt: '2025-05-30T01:00:00.000Z',
    endedAt: '2025-05-30T01:04:10.000Z',
    category: '상수도/누수',
    outcome: 'callback',
    manualIds: ['water-leak-01'],
    notes: '현장 확인 후 회신 예정',
    department: 'waterworks',
    pending: false,
    ...over,
  };
}
