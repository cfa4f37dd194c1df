import i18next from 'i18next';
import { dashboardSchema, type Dashboard } from '../../../../../shared/analytics';
import { en } from '../../../../../renderer/i18n/en';
import { ko } from '../../../../../renderer/i18n/ko';
import type { Lang } from '../../../../../renderer/portal/analytics/labels';
import type { ChartTheme } from '../../../../../renderer/portal/analytics/options';

/** The one i18n layer's words in `language`, as the analysis' pure parts take them. */
export async function lang(language: 'ko' | 'en' = 'ko'): Promise<Lang> {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { ko: { translation: ko }, en: { translation: en } }, lng: language, interpolation: { escapeValue: false } });
  return { t: (key, params) => i18n.t(key, params), language };
}

export const theme: ChartTheme = {
  palette: ['#c1', '#c2', '#c3', '#c4', '#c5', '#c6', '#c7', '#c8'],
  text: '#text',
  subtle: '#subtle',
  border: '#border',
  surface: '#surface',
  scale: ['#low', '#high'],
  font: 'Pretendard GOV',
  fontSize: 13,
};

const m = (consultations: number, answered: number, transferred: number, callbacks: number, complaints: number, repeats: number, answeredFirst: number, handleSeconds: number) => ({
  consultations,
  answered,
  transferred,
  callbacks,
  complaints,
  repeats,
  answeredFirst,
  handleSeconds,
});

/** A small dashboard answer of three weeks, checked against the contract so it stays one. */
export const dashboard: Dashboard = dashboardSchema.parse({
  query: { from: '2026-11-02', to: '2026-11-22', channels: ['call', 'text'], grain: 'week' },
  previous: { from: '2026-10-12', to: '2026-11-01' },
  totals: { ...m(100, 70, 15, 10, 5, 8, 64, 24_000), fcr: 0.64, averageHandleSeconds: 240, repeatShare: 0.08 },
  volume: {
    periods: ['2026-11-02', '2026-11-09', '2026-11-16'],
    series: [
      { category: '상수도', counts: [20, 15, 5], n: 40, share: 0.4 },
      { category: '교통', counts: [10, 10, 10], n: 30, share: 0.3 },
      { category: '여권', counts: [5, 5, 0], n: 10, share: 0.1 },
      { category: '지방세', counts: [3, 3, 2], n: 8, share: 0.08 },
      { category: '복지', counts: [2, 2, 1], n: 5, share: 0.05 },
      { category: '관광', counts: [1, 1, 1], n: 3, share: 0.03 },
      { category: '주민등록', counts: [1, 1, 0], n: 2, share: 0.02 },
      { category: '환경', counts: [1, 0, 0], n: 1, share: 0.01 },
      { category: '도로', counts: [0, 1, 0], n: 1, share: 0.01 },
    ],
  },
  subcategories: Array.from({ length: 18 }, (_, i) => ({ category: i === 0 ? '상수도/요금' : `기타/분류${i}`, n: 18 - i, share: (18 - i) / 100 })),
  heatmap: [
    { weekday: 0, hour: 9, consultations: 12, offered: 15, abandoned: 2 },
    { weekday: 0, hour: 10, consultations: 8, offered: 9, abandoned: 1 },
    { weekday: 4, hour: 17, consultations: 3, offered: 0, abandoned: 0 },
  ],
  queue: { offered: 24, answered: 21, abandoned: 3, abandonShare: 0.125, averageWaitSeconds: 35, averageAbandonSeconds: 50 },
  outcomes: [
    { category: '상수도', ...m(40, 30, 6, 3, 1, 4, 27, 9_600), fcr: 0.675, averageHandleSeconds: 240, unresolvedShare: 0.25 },
    { category: '교통', ...m(30, 20, 5, 3, 2, 2, 19, 7_200), fcr: 19 / 30, averageHandleSeconds: 240, unresolvedShare: 1 / 3 },
  ],
  transfers: [
    { key: 'water-supply', n: 10, share: 2 / 3 },
    { key: '교통행정과', n: 5, share: 1 / 3 },
  ],
  callbacks: {
    requested: 6,
    bySource: [
      { key: 'ivr', n: 4 },
      { key: 'abandoned', n: 2 },
    ],
    byState: [
      { key: 'completed', n: 5 },
      { key: 'failed', n: 1 },
    ],
  },
  repeats: [{ category: '상수도/누수', n: 4, consultations: 20, share: 0.2 }],
  rising: {
    categories: [{ key: '상수도/동파', n: 12, previousN: 2, share: 0.12, previousShare: 0.025, change: 0.095 }],
    keywords: [{ key: '동파', n: 9, previousN: 0, share: 0.09, previousShare: 0, change: 0.09 }],
  },
  districts: { recorded: 60, rows: [{ district: '남구/상대동', n: 40, share: 2 / 3, topCategory: '상수도' }, { district: '북구', n: 20, share: 1 / 3, topCategory: null }] },
  coverage: { gaps: [{ label: '누수 탐지 업체', searches: 7, category: '상수도/누수' }], entries: [{ entryId: 'M-WAT-018', title: '옥내·옥외 누수 판단', n: 12 }] },
});
