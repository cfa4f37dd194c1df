import { describe, expect, it } from 'vitest';
import { callerKey, normalisePhone } from '../../../shared/phone';

const city = { areaCode: '054' };

describe('normalisePhone', () => {
  it.each([
    ['010-1234-5678', '+821012345678'],
    ['01012345678', '+821012345678'],
    ['+82 10 1234 5678', '+821012345678'],
    ['054-270-8282', '+82542708282'],
    ['(054) 270-8282', '+82542708282'],
    ['02-2133-1234', '+82221331234'],
    ['1588-1234', '+8215881234'],
    ['sip:01012345678@pbx.city.local', '+821012345678'],
    ['tel:+82-54-270-8282', '+82542708282'],
  ])('%s → %s', (raw, e164) => {
    expect(normalisePhone(raw, city)).toMatchObject({ kind: 'e164', e164 });
  });

  it('reads a number without area code as the city’s, not Seoul’s', () => {
    expect(normalisePhone('270-8282', city)).toMatchObject({ kind: 'e164', e164: '+82542708282', national: '054-270-8282' });
    expect(normalisePhone('270-8282', { areaCode: '02' })).toMatchObject({ e164: '+8222708282' });
  });

  it.each(['112', '119', '120', '114'])('keeps the short code %s as a short code', (code) => {
    expect(normalisePhone(code, city)).toEqual({ kind: 'short', code });
  });

  it.each(['', 'anonymous', 'Anonymous', 'unavailable', 'P', 'O', 'sip:anonymous@anonymous.invalid', 'restricted'])(
    'treats %j as withheld',
    (raw) => {
      expect(normalisePhone(raw, city)).toEqual({ kind: 'withheld' });
    },
  );

  it.each(['abc', '010-12', '0542708', '++8210', '<script>'])('refuses %j as invalid', (raw) => {
    expect(normalisePhone(raw, city)).toEqual({ kind: 'invalid', raw });
  });

  it('gives a storage key only for real numbers', () => {
    expect(callerKey('010 1234 5678', city)).toBe('+821012345678');
    expect(callerKey('anonymous', city)).toBeNull();
    expect(callerKey('119', city)).toBeNull();
  });
});
