import { describe, expect, it } from 'vitest';
import { diffContent } from '../../../../renderer/portal/field-diff';

const v1 = { kind: 'manual' as const, category: '상수도/누수', title: '누수 판단', body: '계량기 별표를 확인합니다.', keywords: ['누수'], sections: { target: '시민' } };

const text = (pieces: { text: string; kind: string }[], kind: string) =>
  pieces
    .filter((p) => p.kind === kind)
    .map((p) => p.text)
    .join('|');

describe('two versions side by side', () => {
  it('marks what went on the left and what came on the right, field by field', () => {
    const v2 = { ...v1, body: '계량기 별표를 확인하고 두꺼비집도 봅니다.', sections: { target: '시민', sms: '누수 확인' } };
    const diffs = diffContent(v1, v2);
    expect(diffs.map((d) => [d.field, d.changed])).toEqual([
      ['kind', false],
      ['category', false],
      ['title', false],
      ['keywords', false],
      ['body', true],
      ['target', false],
      ['sms', true],
    ]);
    const body = diffs.find((d) => d.field === 'body');
    expect(text(body?.before ?? [], 'added')).toBe('');
    // By words, not syllables: the word that changed goes whole.
    expect(text(body?.before ?? [], 'removed')).toBe('확인합니다');
    expect(text(body?.after ?? [], 'added')).toBe('확인하고 두꺼비집도 봅니다');
    expect((body?.after ?? []).map((p) => p.text).join('')).toBe(v2.body);
    expect((body?.before ?? []).map((p) => p.text).join('')).toBe(v1.body);
    expect(diffs.find((d) => d.field === 'sms')?.after).toEqual([{ text: '누수 확인', kind: 'added' }]);
  });

  it('changes a short field by characters, the kind as a whole', () => {
    const diffs = diffContent(v1, { ...v1, kind: 'faq', title: '누수 판단법' });
    expect(diffs.find((d) => d.field === 'title')?.after).toEqual([
      { text: '누수 판단', kind: 'same' },
      { text: '법', kind: 'added' },
    ]);
    expect(diffs.find((d) => d.field === 'kind')).toMatchObject({ before: [{ text: 'manual', kind: 'removed' }], after: [{ text: 'faq', kind: 'added' }] });
  });

  it('shows a new entry all added, an archived one all removed', () => {
    expect(diffContent(null, v1).every((d) => d.changed && d.before.length === 0 && d.after.every((p) => p.kind === 'added'))).toBe(true);
    expect(diffContent(v1, null).every((d) => d.after.length === 0 && d.before.every((p) => p.kind === 'removed'))).toBe(true);
  });
});
