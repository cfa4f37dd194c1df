import type { Callback } from '../../shared/callback';

/** A callback offered to agent-1 (a citizen whose call nobody answered), as the city server lists it. */
export const offeredCallback: Callback = {
  id: 'cb-1',
  number: '+821044440001',
  sources: ['abandoned'],
  callId: null,
  topic: 'water',
  note: null,
  askedAt: '2026-12-07T01:00:00.000Z',
  dueAt: '2026-12-07T01:00:00.000Z',
  attempts: 0,
  maxAttempts: 3,
  state: 'offered',
  owner: null,
  ownerUntil: null,
  offeredTo: 'agent-1',
  offerUntil: '2026-12-07T01:00:20.000Z',
  openAttempt: null,
  lastOutcome: null,
  recordId: null,
};
