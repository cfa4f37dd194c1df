import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../../../renderer/i18n/en';
import { ko } from '../../../../renderer/i18n/ko';
import { smsCount, smsCountLine } from '../../../../renderer/portal/sms-count';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { ko: { translation: ko }, en: { translation: en } }, lng: 'ko', interpolation: { escapeValue: false } });
});

describe('the 문자 안내 as the carriers count it', () => {
  it('counts Hangul as two bytes and ASCII as one, against the SMS or the LMS limit', () => {
    expect(smsCountLine(i18n.t, smsCount('누수 신고: 120'))).toBe('SMS 14 / 90바이트');
    expect(smsCountLine(i18n.t, smsCount('가'.repeat(60)))).toBe('LMS 120 / 2,000바이트');
    expect(smsCountLine(i18n.t, smsCount('가'.repeat(1001)))).toBe('2,002바이트: 장문 문자(LMS) 2,000바이트를 넘어 보낼 수 없습니다.');
    expect(smsCountLine(i18n.getFixedT('en'), smsCount('가'.repeat(60)))).toBe('LMS 120 / 2,000 bytes');
  });

  it('lists each character a phone cannot show once', () => {
    expect(smsCount('물 😀 끊김 😀 ✓')).toMatchObject({ kind: 'sms', unsendable: ['😀', '✓'] });
    expect(smsCount('').unsendable).toEqual([]);
  });
});
