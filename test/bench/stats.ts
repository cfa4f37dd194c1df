/** Percentile by nearest rank over a copy of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

export function summarise(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

export const fmt = (n: number, digits = 2) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(digits));

/** Times `fn` once, in milliseconds. */
export async function time(fn: () => unknown): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

interface Measured {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
}

/** A figure held to a target: PASS when it met it, FAIL otherwise. */
interface TargetFigure extends Measured {
  target: string;
  pass: boolean;
}

/**
 * A figure reported without a target: INFO, never counted as passed. `complete` says every sample
 * it is computed from was taken; an incomplete one is a broken measurement, and FAILs.
 */
interface InfoFigure extends Measured {
  target: null;
  complete: boolean;
}

export type Figure = TargetFigure | InfoFigure;

export type Verdict = 'PASS' | 'FAIL' | 'INFO';

export function verdict(f: Figure): Verdict {
  if (f.target === null) return f.complete ? 'INFO' : 'FAIL';
  return f.pass ? 'PASS' : 'FAIL';
}

export function printFigures(figures: readonly Figure[]): void {
  for (const f of figures) {
    process.stdout.write(
      `\n${verdict(f)}  ${f.name}\n      measured  ${f.value}\n      baseline  ${f.baseline}\n      ratio     ${f.ratio}\n      target    ${f.target ?? 'none (reported only)'}\n`,
    );
  }
}
