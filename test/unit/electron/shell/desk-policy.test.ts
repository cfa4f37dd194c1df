import { describe, expect, it } from 'vitest';
import { feedUrlOf, PolicyError, policyPath, readDeskPolicy } from '../../../../electron/shell/desk-policy';

const read = (text: string) => () => text;

describe('desk policy', () => {
  it('reads IT’s policy with defaults for what it leaves out', () => {
    const p = readDeskPolicy('/etc/minwon-desk/policy.json', read(JSON.stringify({ cityServer: 'https://minwon.city.go.kr', sipWebSocket: 'wss://sip.city.go.kr:8443' })));
    expect(p).toEqual({
      cityServer: 'https://minwon.city.go.kr',
      sipWebSocket: 'wss://sip.city.go.kr:8443',
      areaCode: '054',
      updates: { mode: 'auto', channel: 'stable', checkEveryMinutes: 240 },
      externalLinks: [],
    });
    expect(feedUrlOf(p)).toBe('https://minwon.city.go.kr/updates/stable/');
    expect(feedUrlOf({ ...p, updates: { ...p.updates, channel: 'pilot', feedUrl: 'https://files.city.go.kr/desk' } })).toBe('https://files.city.go.kr/desk/pilot/');
  });

  it('names the file and the problem when the policy is missing or wrong', () => {
    const missing = () => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    expect(() => readDeskPolicy('/etc/minwon-desk/policy.json', missing)).toThrow(new PolicyError('/etc/minwon-desk/policy.json: not found'));
    expect(() => readDeskPolicy('p.json', read('{ cityServer: '))).toThrow('p.json: not JSON');
    const cases: [unknown, string][] = [
      [{ cityServer: 'https://a', sipWebSocket: 'https://sip' }, 'sipWebSocket: a ws:// or wss:// URL'],
      [{ cityServer: 'not a url', sipWebSocket: 'wss://sip' }, 'cityServer'],
      [{ cityServer: 'https://a', sipWebSocket: 'wss://sip', updates: { mode: 'silent' } }, 'updates.mode'],
      [{ cityServer: 'https://a', sipWebSocket: 'wss://sip', externalLinks: ['https://a.kr/path'] }, 'externalLinks.0: an origin'],
      [{ cityServer: 'https://a', sipWebSocket: 'wss://sip', autoUpdate: true }, 'autoUpdate'],
    ];
    for (const [policy, problem] of cases) expect(() => readDeskPolicy('p.json', read(JSON.stringify(policy)))).toThrow(problem);
  });

  it('lives where IT puts machine-wide configuration', () => {
    expect(policyPath('win32', { ProgramData: 'D:\\ProgramData' })).toMatch(/^D:\\ProgramData.MinwonDesk.policy\.json$/);
    expect(policyPath('linux', {})).toBe('/etc/minwon-desk/policy.json');
  });
});
