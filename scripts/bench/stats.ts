// Pure: percentiles and small numeric helpers for benchmark samples.

/** Nearest-rank percentile (p in 0..100) of the finite samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = samples.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
