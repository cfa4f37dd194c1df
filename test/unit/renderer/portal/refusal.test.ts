import { describe, expect, it } from 'vitest';
import { en } from '../../../../renderer/i18n/en';
import { ko } from '../../../../renderer/i18n/ko';
import { PortalApiError } from '../../../../renderer/portal/api';
import { KNOWN_CODES, refusalOf, sheetProblemsOf } from '../../../../renderer/portal/refusal';

describe('refusals in the user’s words', () => {
  it('maps the server’s codes to the portal’s own words, and keeps the server’s only where it has none', () => {
    expect(refusalOf(new PortalApiError(409, 'draft-open', 'this entry already has a draft under way'))).toEqual({ code: 'draft-open', key: 'portal.errors.draft-open', params: {}, detail: null });
    expect(refusalOf(new PortalApiError(403, 'own-draft', 'a reviewer never approves their own draft')).key).toBe('portal.errors.own-draft');
    expect(refusalOf(new PortalApiError(409, 'slot-full', 'the slot is full'))).toEqual({ code: 'slot-full', key: 'portal.errors.status', params: { status: 409 }, detail: 'the slot is full' });
    expect(refusalOf(new PortalApiError(503, 'busy', 'too many syncs'))).toMatchObject({ key: 'portal.errors.server', params: { status: 503 } });
    expect(refusalOf(new PortalApiError(413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'Request body is too large')).key).toBe('portal.errors.too-large');
    expect(refusalOf(new Error('boom'))).toMatchObject({ key: 'portal.errors.failed', detail: 'boom' });
  });

  it('has Korean and English for every code it knows', () => {
    for (const code of [...KNOWN_CODES, 'too-large', 'server', 'status', 'failed']) {
      expect(ko.portal.errors).toHaveProperty([code]);
      expect(en.portal.errors).toHaveProperty([code]);
    }
  });

  it('lists the rows a refused import named, and nothing for other refusals', () => {
    const refused = new PortalApiError(400, 'invalid-sheet', 'the sheet has 2 problem(s)', [
      { line: 3, column: '제목', message: 'Too small' },
      { line: 7, message: 'a formula: type the text the cell should hold' },
      { nonsense: true },
    ]);
    expect(sheetProblemsOf(refused)).toEqual([
      { line: 3, column: '제목', message: 'Too small' },
      { line: 7, message: 'a formula: type the text the cell should hold' },
    ]);
    expect(sheetProblemsOf(new PortalApiError(403, 'forbidden', 'no'))).toEqual([]);
  });
});
