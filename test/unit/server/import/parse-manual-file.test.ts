import { describe, expect, it } from 'vitest';
import { formatOf, parseManualFile } from '../../../../server/import/parse-manual-file';

const row = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'M-1', category: '상수도/요금', title: '수도요금 문의', body: '고지서 확인 방법 안내', ...over });

describe('JSONL manual files', () => {
  it('reads valid rows with defaults and skips blank lines', () => {
    const r = parseManualFile(`${row()}\n\n${row({ id: 'F-1', kind: 'faq', keywords: ['수도세'] })}\r\n`, 'jsonl');
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([
      expect.objectContaining({ id: 'M-1', kind: 'manual', keywords: [] }),
      expect.objectContaining({ id: 'F-1', kind: 'faq', keywords: ['수도세'] }),
    ]);
  });

  it('reports every bad row with its line number', () => {
    const text = [
      row(),
      '{"id": "M-2", "category": "교통"',
      row({ id: 'M-3', title: '' }),
      row({ id: 'M-4', updatedAt: 'yesterday' }),
      row({ id: 'M-5', body: 'x'.repeat(20_001) }),
      row({ id: 'M-6', keywords: 'not-a-list' }),
      row({ id: 'M-7', extra: true }),
      row({ id: 'bad id!' }),
      row(),
    ].join('\n');
    const r = parseManualFile(text, 'jsonl');
    expect(r.problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.problems[0]?.message).toMatch(/not JSON/);
    expect(r.problems[1]?.message).toMatch(/title/);
    expect(r.problems[7]?.message).toMatch(/repeats line 1/);
  });
});

describe('CSV manual files', () => {
  it('reads quoted multi-line bodies and ;-separated keywords', () => {
    const csv = 'id,kind,category,title,body,keywords,department,updatedAt\r\n' +
      'M-1,manual,상수도/누수,누수 신고,"1) 계량기 확인\n2) ""급수과"" 연결",누수;물샘,water-supply,2026-10-01T09:00:00+09:00\r\n' +
      'F-1,faq,교통/주차,주차 과태료,"의견진술 안내",,,\r\n';
    const r = parseManualFile(csv, 'csv');
    expect(r.problems).toEqual([]);
    expect(r.entries[0]).toMatchObject({ body: '1) 계량기 확인\n2) "급수과" 연결', keywords: ['누수', '물샘'], department: 'water-supply' });
    expect(r.entries[1]).toMatchObject({ id: 'F-1', kind: 'faq', keywords: [] });
  });

  it('reports bad rows with the line they end on', () => {
    const csv = 'id,category,title,body\nM-1,c,t,"multi\nline"\nM-2,,t,b\n';
    expect(parseManualFile(csv, 'csv').problems).toEqual([{ line: 4, message: expect.stringMatching(/category/) }]);
  });

  it('refuses unknown or missing columns and broken quoting', () => {
    expect(parseManualFile('id,title,body,colour\nM-1,t,b,red\n', 'csv').problems[0]?.message).toMatch(/unknown columns colour; missing columns category/);
    expect(parseManualFile('id,category,title,body\nM-1,c,"t,b\n', 'csv').problems[0]?.message).toMatch(/CSV/);
    expect(parseManualFile('id,category,title,body\nM-1,c,t\n', 'csv').problems[0]?.message).toMatch(/CSV/);
  });

  it('tells the format by extension', () => {
    expect(formatOf('a.JSONL')).toBe('jsonl');
    expect(formatOf('b.csv')).toBe('csv');
    expect(() => formatOf('c.xlsx')).toThrow(/\.jsonl or \.csv/);
  });
});
