import { z } from 'zod';
import { CHANNELS, OUTCOMES, type Outcome } from './record';
import { CALLBACK_SOURCES } from './callback';
import { gapTerms } from './knowledge-gaps';

/**
 * The analysis of the consultation records: what the dashboard asks, what it is answered, and the
 * definitions every figure follows (the dashboard, the exports and `minwon report` alike).
 */

/** A consultation is a repeat when the same number asked about the same category within the 7 days (168 hours) before it. */
export const REPEAT_WINDOW_MS = 7 * 86_400_000;
/** Exports show no cell counting fewer citizens than this. */
export const MIN_CELL_CITIZENS = 5;
/** The longest range one question may span (three years of days). */
export const MAX_RANGE_DAYS = 1096;

export const GRAINS = ['day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];

export const seoulDateSchema = z.iso.date();

const DAY_MS = 86_400_000;
/** Days from `from` to `to`, both included (Seoul calendar days, which have no DST). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
/** The day `n` days after `day`. */
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The period of the same length just before [from, to]: what "rising" compares against. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const n = daysBetween(from, to);
  return { from: addDays(from, -n), to: addDays(from, -1) };
}

/** Monday of the ISO week `day` is in, which names the week on the charts. */
export function weekOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The period a day falls in at a grain: the day, its week's Monday, or YYYY-MM. */
export const periodOf = (day: string, grain: Grain): string => (grain === 'day' ? day : grain === 'week' ? weekOf(day) : day.slice(0, 7));

/** Every period of [from, to] at a grain, in order (a range's first week or month may be partial). */
export function periodsOf(from: string, to: string, grain: Grain): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const p = periodOf(d, grain);
    if (out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

/** Monday 0 … Sunday 6, of a Seoul calendar day. */
export const weekdayOf = (day: string): number => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

/** The top category of a record's `name/sub`. */
export const topCategoryOf = (category: string): string => category.split('/', 1)[0] ?? category;

const channelList = z.preprocess(
  (v) => (typeof v === 'string' ? (v === '' ? [] : v.split(',')) : v),
  z.array(z.enum(CHANNELS)).min(1, 'at least one channel').max(CHANNELS.length),
);

const queryShape = {
  from: seoulDateSchema,
  to: seoulDateSchema,
  channels: channelList.default([...CHANNELS]),
  grain: z.enum(GRAINS).default('day'),
};

/** The range's checks, on any question that has one. */
const checkedRange = <T extends z.ZodType<{ from: string; to: string }>>(schema: T) =>
  schema
    .refine((q) => q.from <= q.to, { message: 'from is after to', path: ['from'] })
    .refine((q) => q.from > q.to || daysBetween(q.from, q.to) <= MAX_RANGE_DAYS, { message: `a range of at most ${MAX_RANGE_DAYS} days`, path: ['to'] });

/** A question to the dashboard: Seoul days, both ends included, and the channels it counts. */
export const analyticsQuerySchema = checkedRange(z.strictObject(queryShape));
const hourOrDay = (max: number) => z.coerce.number().int().min(0).max(max);
/** The records behind a cell of the dashboard (drill-down): any of its category, district, weekday (Monday 0) and hour. */
export const drillQuerySchema = checkedRange(
  z.strictObject({
    ...queryShape,
    category: z.string().trim().min(1).max(100).optional(),
    district: z.string().trim().min(1).max(41).optional(),
    weekday: hourOrDay(6).optional(),
    hour: hourOrDay(23).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
);
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

const count = z.number().int().min(0);
const share = z.number().min(0).max(1).nullable();
const seconds = z.number().min(0).nullable();

/** Consultations and how they ended: one row of the tables below. */
export const measuresSchema = z.strictObject({
  consultations: count,
  answered: count,
  transferred: count,
  callbacks: count,
  complaints: count,
  repeats: count,
  /** Answered on the first contact: answered and not a repeat. */
  answeredFirst: count,
  handleSeconds: count,
});
export type Measures = z.infer<typeof measuresSchema>;

export const emptyMeasures = (): Measures => ({ consultations: 0, answered: 0, transferred: 0, callbacks: 0, complaints: 0, repeats: 0, answeredFirst: 0, handleSeconds: 0 });

export function addMeasures(into: Measures, m: Measures): Measures {
  for (const k of Object.keys(into) as (keyof Measures)[]) into[k] += m[k];
  return into;
}

/** The measures one record contributes (its outcome, whether it is a repeat, its handling time). */
export function measuresOf(r: { outcome: Outcome; repeat: boolean; handleSeconds: number }): Measures {
  return {
    consultations: 1,
    answered: r.outcome === 'answered' ? 1 : 0,
    transferred: r.outcome === 'transferred' ? 1 : 0,
    callbacks: r.outcome === 'callback' ? 1 : 0,
    complaints: r.outcome === 'complaint' ? 1 : 0,
    repeats: r.repeat ? 1 : 0,
    answeredFirst: r.outcome === 'answered' && !r.repeat ? 1 : 0,
    handleSeconds: r.handleSeconds,
  };
}

/** Words of every consultation's notes, on what was done rather than what it was about: no topic rises by them. */
export const NOTE_STOP_WORDS: ReadonlySet<string> = new Set(['확인', '요청', '접수', '안내', '문의', '현장', '처리', '통화', '민원', '상담', '내용', '관련', '방법', '여부', '가능', '예정', '완료', '전달', '연결', '다시', '재문의', '설명', '답변']);

/** A note's topic words, each once: the search's Korean terms (particles stripped, stop words dropped) less the notes' own. */
export const noteTerms = (notes: string): string[] => [...new Set(gapTerms(notes))].filter((t) => !NOTE_STOP_WORDS.has(t));

/** A record's handling time in whole seconds, as every figure counts it. */
export const handleSecondsOf = (startedAt: string, endedAt: string): number => Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));

const shareRow = z.strictObject({ key: z.string(), n: count, share });

export const dashboardSchema = z.strictObject({
  query: z.strictObject({ from: seoulDateSchema, to: seoulDateSchema, channels: z.array(z.enum(CHANNELS)), grain: z.enum(GRAINS) }),
  previous: z.strictObject({ from: seoulDateSchema, to: seoulDateSchema }),
  totals: measuresSchema.extend({
    /** First-contact resolution: answeredFirst / consultations. */
    fcr: share,
    averageHandleSeconds: seconds,
    repeatShare: share,
  }),
  /** Consultations per period and top category (the series), the periods in order. */
  volume: z.strictObject({ periods: z.array(z.string()), series: z.array(z.strictObject({ category: z.string(), counts: z.array(count), n: count, share })) }),
  /** Every category (`name/sub`) with its share of the range. */
  subcategories: z.array(z.strictObject({ category: z.string(), n: count, share })),
  /** Weekday (Monday 0) × hour (Seoul): consultations of the channels asked, and the calls offered to the queue. */
  heatmap: z.array(z.strictObject({ weekday: z.number().int().min(0).max(6), hour: z.number().int().min(0).max(23), consultations: count, offered: count, abandoned: count })),
  /** Calls to the representative number (the SIP server's queue log). */
  queue: z.strictObject({ offered: count, answered: count, abandoned: count, abandonShare: share, averageWaitSeconds: seconds, averageAbandonSeconds: seconds }),
  /** Outcomes, first-contact resolution and handling time by top category. */
  outcomes: z.array(measuresSchema.extend({ category: z.string(), fcr: share, averageHandleSeconds: seconds, unresolvedShare: share })),
  /** Transfers by the department they went to: what the desk still cannot answer. */
  transfers: z.array(shareRow),
  callbacks: z.strictObject({
    requested: count,
    bySource: z.array(z.strictObject({ key: z.enum(CALLBACK_SOURCES), n: count })),
    byState: z.array(z.strictObject({ key: z.string(), n: count })),
  }),
  /** Repeats by category (`name/sub`), most first. */
  repeats: z.array(z.strictObject({ category: z.string(), n: count, consultations: count, share })),
  rising: z.strictObject({
    categories: z.array(z.strictObject({ key: z.string(), n: count, previousN: count, share, previousShare: share, change: z.number() })),
    keywords: z.array(z.strictObject({ key: z.string(), n: count, previousN: count, share, previousShare: share, change: z.number() })),
  }),
  districts: z.strictObject({ recorded: count, rows: z.array(z.strictObject({ district: z.string(), n: count, share, topCategory: z.string().nullable() })) }),
  coverage: z.strictObject({
    gaps: z.array(z.strictObject({ label: z.string(), searches: count, category: z.string().nullable() })),
    entries: z.array(z.strictObject({ entryId: z.string(), title: z.string().nullable(), n: count })),
  }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

/** A record behind a cell of the dashboard: no number, and the masked notes for a team lead only. */
export const drillRecordSchema = z.strictObject({
  startedAt: z.iso.datetime({ offset: true }),
  category: z.string(),
  channel: z.enum(CHANNELS),
  outcome: z.enum(OUTCOMES),
  district: z.string().nullable(),
  department: z.string().nullable(),
  handleSeconds: count,
  repeat: z.boolean(),
  notes: z.string().optional(),
});
export type DrillRecord = z.infer<typeof drillRecordSchema>;
export const drillAnswerSchema = z.strictObject({ total: count, records: z.array(drillRecordSchema) });
export type DrillAnswer = z.infer<typeof drillAnswerSchema>;

export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The share `n / of`, or null when there is nothing to share. */
export const shareOf = (n: number, of: number): number | null => (of > 0 ? n / of : null);

