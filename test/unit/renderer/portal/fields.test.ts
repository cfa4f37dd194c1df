import { describe, expect, it } from 'vitest';
import { checkForm, contentOf, detailProblems, fieldText, formOf, splitKeywords } from '../../../../renderer/portal/fields';

const entry = { kind: 'manual' as const, category: '상수도/누수', title: '누수 신고', body: '업무개요입니다.', keywords: ['누수', '물샘'], sections: { target: '시민', sms: '누수 신고: 120' } };

describe('the draft editor’s fields', () => {
  it('turns content into form fields and back, empty sections left out', () => {
    const form = formOf(entry);
    expect(form.keywords).toBe('누수, 물샘');
    expect(form.texts).toMatchObject({ body: '업무개요입니다.', target: '시민', sms: '누수 신고: 120', law: '' });
    expect(contentOf(form)).toEqual({ ...entry, sections: { target: '시민', sms: '누수 신고: 120' } });
    expect(contentOf({ ...form, texts: { ...form.texts, target: '   ' } }).sections).toEqual({ sms: '누수 신고: 120' });
  });

  it('starts a new draft from what a knowledge gap gives it', () => {
    expect(formOf(null, { title: '누수 탐지 업체', keywords: ['누수', '탐지'], category: '상수도/누수' })).toMatchObject({ title: '누수 탐지 업체', keywords: '누수, 탐지', category: '상수도/누수', kind: 'manual' });
  });

  it('splits keywords at commas and line breaks, once each', () => {
    expect(splitKeywords(' 누수, 물샘 ,\n누수,, 계량기 별표 ')).toEqual(['누수', '물샘', '계량기 별표']);
  });

  it('reads a field of an entry as written', () => {
    expect(fieldText(entry, 'keywords')).toBe('누수, 물샘');
    expect(fieldText(entry, 'office')).toBe('');
    expect(fieldText(entry, 'kind')).toBe('manual');
  });

  it('names what is wrong by field before anything is sent', () => {
    const form = formOf(entry);
    expect(checkForm(form).problems).toEqual([]);
    const bad = checkForm({
      ...form,
      title: ' ',
      keywords: Array.from({ length: 31 }, (_, i) => `키워드${i}`).join(','),
      texts: { ...form.texts, spoken: '가'.repeat(601), sms: '누수 😀' },
    });
    expect(bad.content).toBeNull();
    expect(bad.problems.map((p) => [p.field, p.kind, p.limit])).toEqual([
      ['title', 'required', undefined],
      ['keywords', 'too-many', 30],
      ['spoken', 'too-long', 600],
      ['sms', 'sms', undefined],
    ]);
    expect(checkForm({ ...form, keywords: `누수, ${'가'.repeat(51)}` }).problems.map((p) => [p.field, p.kind, p.limit])).toEqual([['keywords', 'too-long', 50]]);
  });

  it('reads the server’s 400 details as field problems', () => {
    expect(detailProblems([{ path: 'content.sections.sms', message: 'the SMS form must fit' }, { path: 'content.title', message: 'Too big' }, { path: 'department', message: 'x' }, 'junk'])).toEqual([
      { field: 'sms', kind: 'invalid', detail: 'the SMS form must fit' },
      { field: 'title', kind: 'invalid', detail: 'Too big' },
      { field: null, kind: 'invalid', detail: 'x' },
    ]);
    expect(detailProblems(undefined)).toEqual([]);
  });
});
