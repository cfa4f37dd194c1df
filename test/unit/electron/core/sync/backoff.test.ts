import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../../electron/core/sync/backoff';

const policy = { baseMs: 1000, capMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles up to the cap, jittered within the upper half', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(500);
    expect(backoffDelay(0, policy, () => 1)).toBe(1000);
    expect(backoffDelay(3, policy, () => 1)).toBe(8000);
    expect(backoffDelay(10, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(10, policy, () => 0)).toBe(30_000);
  });
  it('stays finite for any attempt count', () => {
    expect(backoffDelay(10_000, policy, () => 0.5)).toBe(45_000);
  });
});
