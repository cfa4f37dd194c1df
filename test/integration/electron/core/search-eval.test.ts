import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_FILE, buildEvalCache, desk, evaluate, loadEvalSet, type EvalResult, type Metrics } from '../../../helpers/search-eval';

// The labelled evaluation as a regression test: the figures in test/fixtures/search-eval-baseline.json
// (written by `npm run eval:search`) may not drop, and the targets must hold.

let result: EvalResult;
let close: () => void;

beforeAll(() => {
  const engine = desk(buildEvalCache());
  close = engine.close;
  result = evaluate(engine.engine, loadEvalSet());
});
afterAll(() => close());

describe('search quality on the labelled agent queries', () => {
  it('covers every query kind the desk must understand, with at least 150 queries', () => {
    const set = loadEvalSet();
    expect(set.length).toBeGreaterThanOrEqual(150);
    const kinds = new Set(set.map((q) => q.kind));
    for (const k of ['two-syllable', 'particle', 'spacing', 'chosung', 'typo', 'english-mode', 'synonym', 'latin-digit', 'natural']) expect(kinds).toContain(k);
  });

  it('meets the targets: success@5 ≥ 0.95 and MRR@10 ≥ 0.90 overall, no kind below 0.80 success@5', () => {
    expect(result.overall.s5).toBeGreaterThanOrEqual(0.95);
    expect(result.overall.mrr10).toBeGreaterThanOrEqual(0.9);
    for (const [kind, m] of Object.entries(result.byKind)) expect(m.s5, kind).toBeGreaterThanOrEqual(0.8);
  });

  it('does not fall below the recorded figures', () => {
    const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as Metrics;
    // Rounding slack only: one query dropping one rank moves MRR by more than this.
    const slack = 0.001;
    expect(result.overall.s1).toBeGreaterThanOrEqual(baseline.s1 - slack);
    expect(result.overall.s5).toBeGreaterThanOrEqual(baseline.s5 - slack);
    expect(result.overall.mrr10).toBeGreaterThanOrEqual(baseline.mrr10 - slack);
    expect(result.overall.ndcg10).toBeGreaterThanOrEqual(baseline.ndcg10 - slack);
  });
});
