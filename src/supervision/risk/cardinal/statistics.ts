/**
 * The order statistics Cardinal takes from the Rust crate statrs, reproduced to the last bit where it
 * decides a flag: `Data::quantile` is the R-8 estimator (median-unbiased, Hyndman & Fan 1996),
 * `lower_quartile`/`upper_quartile` are its 0.25 and 0.75 quantiles and `percentile(p)` its p/100 quantile.
 */

/** Sorts a copy of the values ascending (NaN last), ready for `quantile`. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * statrs' quantile of ascending `sorted` data: h = (n + 1/3)·τ + 1/3, hf = ⌊h⌋; the minimum when hf ≤ 0,
 * the maximum when hf ≥ n, else a[hf−1] + (h − hf)·(a[hf] − a[hf−1]). NaN for no data or τ outside [0, 1].
 */
export function quantile(sorted: Float64Array, tau: number): number {
  const n = sorted.length;
  if (!(tau >= 0 && tau <= 1) || n === 0) return Number.NaN;
  const h = (n + 1 / 3) * tau + 1 / 3;
  const hf = Math.trunc(h);
  if (hf <= 0 || tau === 0) return sorted[0]!;
  if (hf >= n || tau === 1) return sorted[n - 1]!;
  const a = sorted[hf - 1]!;
  const b = sorted[hf]!;
  return a + (h - hf) * (b - a);
}

/** statrs' `percentile(p)`: the p/100 quantile (p an integer, NaN above 100). */
export function percentile(sorted: Float64Array, p: number): number {
  return quantile(sorted, p / 100);
}

function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/**
 * Tukey's fence `q + k·iqr` for k = ±1.5, rounded once as Rust's `iqr.mul_add(k, q)` (a fused multiply-add)
 * rounds it, so a value lying exactly on Cardinal's fence is flagged here too. 1.5·iqr = iqr + iqr/2
 * (exact halves), and the three terms are summed with error-free transformations.
 */
export function tukeyFence(q: number, iqr: number, k: 1.5 | -1.5): number {
  if (!Number.isFinite(q) || !Number.isFinite(iqr)) return q + k * iqr;
  const d = k > 0 ? iqr : -iqr;
  const [s1, e1] = twoSum(q, d);
  const [s2, e2] = twoSum(s1, d / 2);
  return s2 + (e1 + e2);
}

/** Rust's `(v * 10_000.0).round() / 10_000.0`: four decimals, halves away from zero (Meta values). */
export function round4(value: number): number {
  const scaled = value * 10_000;
  const rounded = scaled < 0 ? -Math.round(-scaled) : Math.round(scaled);
  return rounded / 10_000;
}
