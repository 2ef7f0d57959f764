// Percentiles and number formatting shared by every benchmark.

/** Nearest-rank percentile (p in 0..100) of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export interface Summary { n: number; p50: number; p99: number; max: number }

/** Sorts xs in place and summarizes it. */
export function summarize(xs: number[]): Summary {
  xs.sort((a, b) => a - b);
  return { n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99), max: xs.length ? xs[xs.length - 1] : NaN };
}

/** The element of `items` whose key is the median (the lower middle for an even count). */
export function medianBy<T>(items: readonly T[], key: (t: T) => number): T {
  const s = [...items].sort((a, b) => key(a) - key(b));
  return s[Math.floor((s.length - 1) / 2)];
}

/** 12345.6 → "12,346"; small numbers keep `digits` significant decimals. */
export function num(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds with precision that suits the size. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  return a >= 100 ? num(x, 0) : a >= 10 ? num(x, 1) : a >= 1 ? num(x, 2) : num(x, 3);
}

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${num(n / 1024 / 1024, 1)} MiB`;
  if (n >= 1024) return `${num(n / 1024, 1)} KiB`;
  return `${Number.isFinite(n) ? Math.round(n) : n} B`;
}

export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${num(a / b, a / b >= 10 ? 0 : 1)}×` : '–';
}
