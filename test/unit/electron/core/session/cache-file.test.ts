import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFileFor } from '../../../../../electron/core/session/cache-file';

const base = join('/var', 'minwon', 'desk.sqlite');

describe('one cache file per agent', () => {
  it('gives the pinned user the base file itself', () => {
    expect(cacheFileFor(base, 'agent1', 'agent1')).toBe(base);
  });

  it('puts every other user in a file of their own next to the base', () => {
    expect(cacheFileFor(base, 'agent2', 'agent1')).toBe(join('/var', 'minwon', 'desk.agent2.sqlite'));
    expect(cacheFileFor(base, 'agent2')).toBe(join('/var', 'minwon', 'desk.agent2.sqlite'));
    expect(cacheFileFor(base, 'lead.one')).toBe(join('/var', 'minwon', 'desk.lead.one.sqlite'));
    expect(cacheFileFor(join('/var', 'minwon', 'desk.db'), 'agent2')).toBe(join('/var', 'minwon', 'desk.agent2.db'));
  });

  it('adds .sqlite when the base has no extension', () => {
    expect(cacheFileFor(join('/var', 'minwon', 'desk'), 'agent2')).toBe(join('/var', 'minwon', 'desk.agent2.sqlite'));
  });

  it('refuses a name that is not a username, so no one can reach another folder or file', () => {
    for (const bad of ['../x', 'a/b', 'A b', 'Agent1', '', '.hidden', 'x'.repeat(65)]) {
      expect(() => cacheFileFor(base, bad), bad).toThrow();
    }
  });
});
