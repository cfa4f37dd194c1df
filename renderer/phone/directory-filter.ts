import type { Department, Staff } from '../../shared/directory';
import { choseong, isChoseongQuery } from '../../shared/hangul';

export interface DirectoryMatch {
  department: Department;
  staff: Staff;
}

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, '');

/**
 * Staff whose department, duties, name, title or extension contain every word of the query, as
 * agents search while the caller waits ("수도 요금", "김민수", "3511", or 초성 "ㄱㅁㅅ").
 */
export function filterDirectory(departments: readonly Department[], query: string, limit = 30): DirectoryMatch[] {
  const words = query.trim().split(/\s+/).filter(Boolean).map(fold);
  const out: DirectoryMatch[] = [];
  for (const department of departments) {
    for (const staff of department.staff) {
      const fields = [department.name, ...department.duties, staff.name, staff.title, staff.duty, staff.extension].map(fold);
      const text = fields.join(' ');
      // 초성 per field, so a query cannot match across the edge of two fields.
      const initials = fields.map(choseong).join(' ');
      if (words.every((w) => text.includes(w) || (isChoseongQuery(w) && initials.includes(w)))) out.push({ department, staff });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
