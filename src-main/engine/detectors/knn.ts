// Deep nearest neighbours (Sun, Ming, Zhu & Li, "Out-of-Distribution Detection with Deep Nearest Neighbors",
// ICML 2022): every feature row is scaled to unit length, and a clip's score is its Euclidean distance to the
// k-th nearest (normalised) training row. No class labels, no parametric density: a clip far from every known
// clip is unknown. The paper uses the penultimate layer; the studio's head has no hidden layer by default, so
// its input (the standardized embedding) is that layer.

import { columnCount } from '../odn/rows';
import type { DetectorFitInput, DetectorInput, UnknownDetector } from './types';

/** x / ‖x‖ (a zero row stays zero). */
export function unitRow(x: ArrayLike<number>): Float64Array {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += x[j] * x[j];
  const n = Math.sqrt(s);
  return Float64Array.from(x, (v) => (n > 0 ? v / n : 0));
}

export class KnnDetector implements UnknownDetector {
  readonly name = 'knn';
  readonly k: number;
  /** Unit-length training rows, row-major. */
  bank_: Float64Array = new Float64Array(0);
  n_ = 0;
  d_ = 0;

  constructor(settings: { k?: number } = {}) {
    this.k = settings.k ?? 10;
    if (!(Number.isInteger(this.k) && this.k >= 1)) throw new Error('k must be an integer ≥ 1');
  }

  fit(input: DetectorFitInput): this {
    const d = columnCount(input.features);
    const n = input.features.length;
    this.bank_ = new Float64Array(n * d);
    input.features.forEach((x, i) => this.bank_.set(unitRow(x), i * d));
    this.n_ = n;
    this.d_ = d;
    return this;
  }

  score(input: DetectorInput): Float64Array {
    if (this.n_ === 0) throw new Error('KnnDetector is not fitted');
    const k = Math.min(this.k, this.n_);
    const { n_: n, d_: d, bank_: bank } = this;
    const dist = new Float64Array(n);
    return Float64Array.from(input.features, (row) => {
      const z = unitRow(row);
      for (let i = 0; i < n; i++) {
        let dot = 0;
        const o = i * d;
        for (let j = 0; j < d; j++) dot += z[j] * bank[o + j];
        // ‖a − b‖² = 2 − 2 a·b for unit rows (clamped against rounding).
        dist[i] = Math.sqrt(Math.max(0, 2 - 2 * dot));
      }
      return kthSmallest(dist, k);
    });
  }
}

/** The k-th smallest value (1-based) of a, by quickselect on a copy. */
export function kthSmallest(a: ArrayLike<number>, k: number): number {
  if (k < 1 || k > a.length) throw new Error(`k = ${k} outside 1..${a.length}`);
  const v = Float64Array.from(a);
  let lo = 0, hi = v.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return v[target];
  }
  return v[target];
}
