import { describe, expect, it } from 'vitest';
import { bigrams, choseong, fromQwerty, isChoseongQuery, jamo, stems, words } from '../../../shared/hangul';

describe('words', () => {
  it('splits by script and drops punctuation and query syntax', () => {
    expect(words('2번 버스, KTX역 "NEAR(" ㅈㅁ*').map((w) => [w.text, w.kind])).toEqual([
      ['2', 'alnum'],
      ['번', 'hangul'],
      ['버스', 'hangul'],
      ['ktx', 'alnum'],
      ['역', 'hangul'],
      ['near', 'alnum'],
      ['ㅈㅁ', 'choseong'],
    ]);
  });
  it('normalises decomposed Hangul (NFD) first', () => {
    expect(words('주차'.normalize('NFD')).map((w) => w.text)).toEqual(['주차']);
  });
});

describe('Hangul helpers', () => {
  it('makes syllable bigrams, a single syllable standing for itself', () => {
    expect(bigrams('주민등록')).toEqual(['주민', '민등', '등록']);
    expect(bigrams('물')).toEqual(['물']);
  });
  it('gives 초성 and basic jamo', () => {
    expect(choseong('주민등록')).toBe('ㅈㅁㄷㄹ');
    expect(isChoseongQuery('ㅅㅇ')).toBe(true);
    expect(isChoseongQuery('소음')).toBe(false);
    expect(jamo('값')).toBe('ㄱㅏㅂㅅ');
  });
  it('reads English-mode keystrokes in the 2-set layout, and only when they make syllables', () => {
    expect(fromQwerty('dkswjs')).toBe('안전');
    expect(fromQwerty('wnckwkd')).toBe('주차장');
    expect(fromQwerty('ktx')).toBeNull();
    expect(fromQwerty('rk1')).toBeNull();
  });
  it('strips particles and endings, never below two syllables', () => {
    expect(stems('주차요금을')).toContain('주차요금');
    expect(stems('이사했는데')).toContain('이사');
    expect(stems('민원은')).toContain('민원');
    expect(stems('도로')).toEqual([]);
    expect(stems('여권')).toEqual([]);
  });
});
