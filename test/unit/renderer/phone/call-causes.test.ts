import JsSIP from 'jssip';
import { describe, expect, it } from 'vitest';
import { en } from '../../../../renderer/i18n/en';
import { ko } from '../../../../renderer/i18n/ko';
import { causeKey, type CauseKey } from '../../../../renderer/phone/call-causes';

// Every key once: the compiler fails this list when a key is added to CauseKey or dropped from it.
const EVERY_KEY: Record<CauseKey, true> = {
  connection: true,
  timeout: true,
  sipFailure: true,
  internal: true,
  busy: true,
  rejected: true,
  redirected: true,
  unavailable: true,
  notFound: true,
  addressIncomplete: true,
  media: true,
  auth: true,
  terminated: true,
  canceled: true,
  noAnswer: true,
  noAck: true,
  microphone: true,
  rtpTimeout: true,
  other: true,
};
const keys = Object.keys(EVERY_KEY);
const jssipCauses: string[] = Object.values(JsSIP.C.causes);

describe('causeKey', () => {
  it('names every cause JsSIP gives in the agent’s words, none as an unknown reason', () => {
    expect(jssipCauses.length).toBeGreaterThan(20);
    for (const cause of jssipCauses) expect(causeKey(cause), cause).not.toBe('other');
  });

  it('tells the common causes apart', () => {
    expect(causeKey(JsSIP.C.causes.BUSY)).toBe('busy');
    expect(causeKey(JsSIP.C.causes.REJECTED)).toBe('rejected');
    expect(causeKey(JsSIP.C.causes.NO_ANSWER)).toBe('noAnswer');
    expect(causeKey(JsSIP.C.causes.CANCELED)).toBe('canceled');
    expect(causeKey(JsSIP.C.causes.BYE)).toBe('terminated');
    expect(causeKey(JsSIP.C.causes.AUTHENTICATION_ERROR)).toBe('auth');
    expect(causeKey(JsSIP.C.causes.USER_DENIED_MEDIA_ACCESS)).toBe('microphone');
    expect(causeKey(JsSIP.C.causes.CONNECTION_ERROR)).toBe('connection');
  });

  it('reads a cause it does not know (a newer JsSIP’s, a typo) as an unknown reason', () => {
    for (const unknown of ['', 'Something Else', 'busy', 'BUSY', ' Busy', 'toString', 'constructor', '__proto__']) expect(causeKey(unknown), unknown).toBe('other');
  });

  it('has a message for every key it gives, in Korean and in English', () => {
    const given = new Set([...jssipCauses.map(causeKey), causeKey('unknown')]);
    for (const key of given) expect(keys, key).toContain(key);
    for (const key of keys) {
      expect(ko.phone.causes, `ko ${key}`).toHaveProperty(key, expect.stringMatching(/\S/));
      expect(en.phone.causes, `en ${key}`).toHaveProperty(key, expect.stringMatching(/\S/));
    }
  });
});
