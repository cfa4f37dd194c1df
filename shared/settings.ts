import { z } from 'zod';

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
  ],
  wrapUpSeconds: 30,
  dtmfMethod: 'auto',
  listenIndicator: true,
  transferTimeoutSeconds: 30,
  idleLockMinutes: 15,
  smsHours: { from: '08:00', to: '21:00' },
  retentionDays: 1095,
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
