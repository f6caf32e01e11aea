/** Small statistics helpers shared by the benchmarks. */

export interface Summary { n: number; min: number; p50: number; p95: number; max: number; mean: number }

export const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Nearest-rank percentile of sorted values (q in 0..1). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** n, min, p50, p95, max and mean, rounded to 0.1. */
export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { n: s.length, min: round1(s[0] ?? NaN), p50: round1(percentile(s, 0.5)), p95: round1(percentile(s, 0.95)), max: round1(s.at(-1) ?? NaN), mean: round1(mean) };
}

export const median = (values: readonly number[]): number => round1(percentile([...values].sort((a, b) => a - b), 0.5));
