import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { departmentSchema, type Department } from '../../../../shared/directory';
import { filterDirectory } from '../../../../renderer/phone/directory-filter';

// The demo city's transfer directory, as agents see it.
const departments: Department[] = departmentSchema
  .array()
  .parse((JSON.parse(readFileSync(new URL('../../../../resources/demo/departments.json', import.meta.url), 'utf8')) as { departments: unknown }).departments);

const staffCount = departments.reduce((n, d) => n + d.staff.length, 0);
const found = (query: string, limit?: number) => filterDirectory(departments, query, limit).map((m) => `${m.department.id}/${m.staff.name}`);

describe('filterDirectory over the demo directory', () => {
  it('finds a department’s staff by words of its name or duties', () => {
    expect(found('요금관리과')).toEqual(['water-billing/김민수', 'water-billing/이서연', 'water-billing/박지훈']);
    // Spaces inside a word do not matter.
    expect(found('요금 관리과')).toEqual(found('요금관리과'));
    expect(found('교통')).toEqual(['traffic-admin/윤하늘', 'traffic-admin/강동원', 'traffic-admin/오지현']);
    expect(found('누수')).toEqual(['water-supply/정우성', 'water-supply/최은지', 'water-supply/한상철']);
  });

  it('finds a person by name, and by extension', () => {
    expect(found('김민수')).toEqual(['water-billing/김민수']);
    expect(found(' 3511 ')).toEqual(['water-billing/김민수']);
    expect(found('2410')).toEqual(['tax/황보라']);
    // Part of an extension: everyone whose extension starts so (and nobody else has "35" in their text).
    expect(found('35')).toEqual([
      'water-billing/김민수',
      'water-billing/이서연',
      'water-billing/박지훈',
      'water-supply/정우성',
      'water-supply/최은지',
      'water-supply/한상철',
    ]);
  });

  it('matches a person’s own duty, not only the department’s', () => {
    expect(found('포트홀')).toEqual(['roads/탁민규', 'roads/마유진', 'roads/방재원']);
    expect(found('보안등 주무관')).toEqual(['roads/탁민규', 'roads/마유진']);
    expect(found('여권 교부')).toEqual(['civil-service/유나래']);
  });

  it('finds a person by 초성', () => {
    expect(found('ㄱㅁㅅ')).toEqual(['water-billing/김민수']);
    expect(found('ㅎㅂㄹ')).toEqual(['tax/황보라']);
    // Vowels make it an ordinary word, which no one has.
    expect(found('ㅈㅜ')).toEqual([]);
  });

  it('needs every word of the query, in any order', () => {
    expect(found('상수도 팀장')).toEqual(['water-billing/박지훈', 'water-supply/한상철']);
    expect(found('팀장 상수도')).toEqual(found('상수도 팀장'));
    expect(found('민수 3511')).toEqual(['water-billing/김민수']);
    expect(found('김민수 3512')).toEqual([]);
    expect(found('ㄱㅁㅅ 요금')).toEqual(['water-billing/김민수']);
  });

  it('finds nothing for words no one has', () => {
    expect(found('없는부서')).toEqual([]);
    expect(found('kim')).toEqual([]);
    expect(found('9999')).toEqual([]);
  });

  it('lists everyone for an empty query, up to the limit, in directory order', () => {
    expect(staffCount).toBeGreaterThan(30);
    expect(found('')).toHaveLength(30);
    expect(found('   ')).toEqual(found(''));
    expect(found('', 100)).toHaveLength(staffCount);
    expect(found('주무관', 5)).toEqual(['water-billing/김민수', 'water-billing/이서연', 'water-supply/정우성', 'water-supply/최은지', 'traffic-admin/윤하늘']);
  });

  it('hands back the department with the staff member, for the transfer', () => {
    const [m] = filterDirectory(departments, '3511');
    expect(m?.department).toMatchObject({ id: 'water-billing', name: '상수도사업본부 요금관리과', phone: '054-270-3510' });
    expect(m?.staff).toMatchObject({ id: 's-wb-1', extension: '3511', title: '주무관' });
  });
});
