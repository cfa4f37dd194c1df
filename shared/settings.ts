import { z } from 'zod';
import { callbackPolicySchema, openingHoursSchema } from './callback';
import { reservationSettingsSchema } from './reservation';
import { knowledgePolicySchema } from './knowledge';
import { textPolicySchema } from './text-inquiry';
import { protectionPolicySchema } from './recording';

/** A reason an agent may give for not taking calls; the city's list, in both UI languages. */
export const notReadyReasonSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/),
  ko: z.string().min(1).max(40),
  en: z.string().min(1).max(40),
});
export type NotReadyReason = z.infer<typeof notReadyReasonSchema>;

/** A consultation category of the city's taxonomy with its sub-categories; a record's category is `name/sub`. */
export const taxonomyCategorySchema = z.strictObject({
  name: z.string().min(1).max(40).regex(/^[^/]+$/, 'no "/" in a category name'),
  subcategories: z.array(z.string().min(1).max(58).regex(/^[^/]+$/, 'no "/" in a sub-category')).min(1).max(100),
});
export type TaxonomyCategory = z.infer<typeof taxonomyCategorySchema>;

/** A district (구) of the city and its neighbourhoods (동·읍·면); a record's district is `name` or `name/sub`. */
export const districtSchema = z.strictObject({
  name: z.string().min(1).max(20).regex(/^[^/]+$/, 'no "/" in a district name'),
  subdistricts: z.array(z.string().min(1).max(20).regex(/^[^/]+$/, 'no "/" in a neighbourhood')).max(100),
});
export type District = z.infer<typeof districtSchema>;

/** City-wide desk settings, kept on the city server and synced to every desk. */
export const SETTINGS = {
  notReadyReasons: z.array(notReadyReasonSchema).min(1).max(30),
  /** After-call work before the agent is offered calls again, in seconds (0: none). */
  wrapUpSeconds: z.number().int().min(0).max(1800),
  /** How desks send keypad tones: in the media (RFC 4733) where the far end offers it, or always as SIP INFO for a PBX that wants that. */
  dtmfMethod: z.enum(['auto', 'info']),
  /** The consultation taxonomy records are filed under (the city's policy analysis reads it). */
  taxonomy: z.array(taxonomyCategorySchema).min(1).max(50),
  /** Whether an agent sees that a team lead is listening (whisper and barge are always shown): the city's policy. */
  listenIndicator: z.boolean(),
  /** How long a blind transfer may ring the other party before the agent is told it failed and keeps the caller, in seconds. */
  transferTimeoutSeconds: z.number().int().min(5).max(120),
  /** The desk locks after this many minutes without the agent's input, never during a call (0: never). */
  idleLockMinutes: z.number().int().min(0).max(240),
  /** How long consultation records, callers' history and texts are kept, in days; older ones are purged on the city server and every desk. */
  retentionDays: z.number().int().min(30).max(3650),
  /** When the city sends texts to citizens, Korea time (HH:MM, from inclusive, to exclusive); queued outside it. */
  smsHours: z.strictObject({ from: z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/), to: z.string().regex(/^(?:[01]\d|2[0-4]):[0-5]\d$/) }),
  /** When the center answers (Korea time) and the days it is closed: callbacks asked outside wait for opening. */
  openingHours: openingHoursSchema,
  /** Attempts, retry delay, offer timer, and whether unanswered calls become callback requests. */
  callbacks: callbackPolicySchema,
  /** The reservation slots citizens and agents book, and how long before one the citizen is reminded. */
  reservations: reservationSettingsSchema,
  /** The text line: sender number, first-response time, reopening, agents' load, templates. */
  texts: textPolicySchema,
  /** How long a manual entry stays verified, in days: the city's default and by category (the portal lists the overdue). */
  knowledge: knowledgePolicySchema,
  /** The districts an agent may record in the wrap-up (optional there); empty: the wrap-up does not ask. */
  districts: z.array(districtSchema).max(50),
  /** The abusive-caller protocol (warnings before the agent may end a call, the protected break) and how long recordings are kept. */
  protection: protectionPolicySchema,
} as const;
export type SettingKey = keyof typeof SETTINGS;
export type CitySettings = { [K in SettingKey]: z.infer<(typeof SETTINGS)[K]> };

export const DEFAULT_SETTINGS: CitySettings = {
  notReadyReasons: [
    { id: 'meal', ko: '식사', en: 'Meal' },
    { id: 'coaching', ko: '코칭', en: 'Coaching' },
    { id: 'training', ko: '교육', en: 'Training' },
    { id: 'meeting', ko: '회의', en: 'Meeting' },
    { id: 'admin', ko: '행정 업무', en: 'Admin work' },
    // The protected break after an abusive call (protection.protectedBreakReason): not held against the agent.
    { id: 'recovery', ko: '보호 휴식', en: 'Protected break' },
  ],
  wrapUpSeconds: 30,
  dtmfMethod: 'auto',
  listenIndicator: true,
  transferTimeoutSeconds: 30,
  idleLockMinutes: 15,
  smsHours: { from: '08:00', to: '21:00' },
  retentionDays: 1095,
  // Weekdays 09:00-18:00; Korean public holidays of 2026 and 2027 with their substitute days (and the 2026 local
  // elections), kept by the city as a setting.
  openingHours: {
    weekly: [0, 1, 2, 3, 4].map(() => [{ from: '09:00', to: '18:00' }]).concat([[], []]),
    holidays: [
      '2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-03-01', '2026-03-02', '2026-05-05', '2026-05-24', '2026-05-25',
      '2026-06-03', '2026-06-06', '2026-08-15', '2026-08-17', '2026-09-24', '2026-09-25', '2026-09-26', '2026-09-28', '2026-10-03',
      '2026-10-05', '2026-10-09', '2026-12-25', '2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-03-01',
      '2027-05-05', '2027-05-13', '2027-06-06', '2027-08-15', '2027-08-16', '2027-09-14', '2027-09-15', '2027-09-16', '2027-10-03',
      '2027-10-04', '2027-10-09', '2027-10-11', '2027-12-25', '2027-12-27',
    ],
  },
  callbacks: { fromAbandoned: true, maxAttempts: 3, retryMinutes: 30, offerSeconds: 20, ownerMinutes: 120 },
  reservations: { reminderMinutes: 60, slots: [] },
  texts: {
    senderNumber: '054-270-8282',
    firstResponseMinutes: 30,
    reopenHours: 24,
    maxThreadsPerAgent: 3,
    templates: [
      { id: 'greeting', title: '인사', text: '안녕하세요, 포항시 빨리콜입니다. 문의하신 내용 안내드립니다.' },
      { id: 'checking', title: '확인 중', text: '문의하신 내용을 담당 부서에 확인하고 있습니다. 확인되는 대로 다시 안내드리겠습니다.' },
      { id: 'call-us', title: '전화 안내', text: '자세한 상담은 빨리콜(054-270-8282, 평일 09:00~18:00)로 전화 주시면 안내드리겠습니다.' },
      { id: 'closing', title: '마무리', text: '이용해 주셔서 감사합니다. 포항시 빨리콜이었습니다.' },
    ],
  },
  knowledge: { verifyDays: 180, verifyDaysByCategory: {} },
  // Pohang's two districts and their 29 읍·면·동.
  districts: [
    { name: '남구', subdistricts: ['구룡포읍', '연일읍', '오천읍', '대송면', '동해면', '장기면', '호미곶면', '상대동', '해도동', '송도동', '청림동', '제철동', '효곡동', '대이동'] },
    { name: '북구', subdistricts: ['흥해읍', '신광면', '청하면', '송라면', '기계면', '죽장면', '기북면', '중앙동', '양학동', '죽도동', '용흥동', '우창동', '두호동', '장량동', '환여동'] },
  ],
  protection: { warningsBeforeEnd: 3, protectedBreakReason: 'recovery', recordingRetentionDays: 60 },
  taxonomy: ['상수도', '교통', '주민등록', '여권', '지방세', '복지', '일자리', '관광', '환경', '도로', '기타'].map((name) => ({ name, subcategories: ['일반 문의'] })),
};

/** The taxonomy a manual's categories (`name/sub`) imply: every category in use, each with its sub-categories. */
export function taxonomyOf(categories: Iterable<string>): TaxonomyCategory[] {
  const byName = new Map<string, Set<string>>();
  for (const c of categories) {
    const [name, sub] = c.split('/', 2);
    if (!name || !sub) continue;
    (byName.get(name) ?? byName.set(name, new Set()).get(name))?.add(sub);
  }
  return [...byName].map(([name, subs]) => ({ name, subcategories: [...subs].sort() }));
}

export const settingSchema = z
  .strictObject({ key: z.enum(Object.keys(SETTINGS) as [SettingKey, ...SettingKey[]]), value: z.unknown() })
  .superRefine((s, ctx) => {
    const r = SETTINGS[s.key].safeParse(s.value);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: ['value', ...i.path] });
  });
export type Setting = { [K in SettingKey]: { key: K; value: CitySettings[K] } }[SettingKey];
