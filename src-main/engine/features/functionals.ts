// Statistics that summarise a frame-level contour into fixed numbers (openSMILE calls them functionals).
// Every function returns finite numbers, also for an empty contour (all zeros then).

export const FUNCTIONAL_NAMES = ['mean', 'std', 'p20', 'p50', 'p80', 'range', 'slope'] as const;

/** Appends the functionals of `values` (sampled every `stepSec`) to `out` at `offset`; returns the next offset. */
export function writeFunctionals(values: ArrayLike<number>, stepSec: number, out: Float32Array, offset: number): number {
  const n = values.length;
  if (n === 0) {
    for (let i = 0; i < FUNCTIONAL_NAMES.length; i++) out[offset + i] = 0;
    return offset + FUNCTIONAL_NAMES.length;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  let sxy = 0;
  let sxx = 0;
  const tMean = (n - 1) / 2;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    ss += d * d;
    sxy += (i - tMean) * d;
    sxx += (i - tMean) * (i - tMean);
  }
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const q = (p: number) => {
    const x = p * (n - 1);
    const lo = Math.floor(x);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
  };
  out[offset] = mean;
  out[offset + 1] = Math.sqrt(ss / n);
  out[offset + 2] = q(0.2);
  out[offset + 3] = q(0.5);
  out[offset + 4] = q(0.8);
  out[offset + 5] = sorted[n - 1] - sorted[0];
  // Slope per second of the least-squares line through the contour.
  out[offset + 6] = sxx > 0 ? sxy / sxx / stepSec : 0;
  return offset + FUNCTIONAL_NAMES.length;
}

/** Regression deltas over ±2 frames (HTK style), edges clamped. */
export function deltas(values: Float32Array, n: number, stride: number, offset: number): Float32Array {
  const out = new Float32Array(n);
  const at = (t: number) => values[Math.min(n - 1, Math.max(0, t)) * stride + offset];
  for (let t = 0; t < n; t++) out[t] = (at(t + 1) - at(t - 1) + 2 * (at(t + 2) - at(t - 2))) / 10;
  return out;
}
