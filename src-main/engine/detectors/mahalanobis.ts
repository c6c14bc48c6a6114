// Feature-space detector (Lee et al. 2018, without input perturbation): class means of the (standardized)
// features, one covariance shared by all classes, shrunk towards a scaled identity
//   Σ' = (1 − s)·Σ + s·(tr Σ / d)·I
// because with a few hundred clips and hundreds of dimensions Σ itself is singular. Score: the smallest
// squared Mahalanobis distance to a class mean. It ignores the head entirely.

import { cholesky, forwardSolve } from '../odn/linalg';
import { columnCount } from '../odn/rows';
import type { DetectorFitInput, DetectorInput, UnknownDetector } from './types';

export class MahalanobisDetector implements UnknownDetector {
  readonly name = 'mahalanobis';
  readonly shrinkage: number;
  L_: Float64Array = new Float64Array(0);
  /** L⁻¹ μ_c per class, so each score needs one triangular solve. */
  whitenedMeans_: Float64Array[] = [];
  d_ = 0;

  constructor(settings: { shrinkage?: number } = {}) {
    this.shrinkage = settings.shrinkage ?? 0.2;
    if (!(this.shrinkage > 0 && this.shrinkage <= 1)) throw new Error('shrinkage must be in (0, 1]');
  }

  fit(input: DetectorFitInput): this {
    const X = input.features;
    const y = input.labels;
    const d = columnCount(X);
    const n = X.length;
    const C = Math.max(...Array.from(y)) + 1;
    const means = Array.from({ length: C }, () => new Float64Array(d));
    const counts = new Float64Array(C);
    X.forEach((x, i) => {
      counts[y[i]]++;
      for (let j = 0; j < d; j++) means[y[i]][j] += x[j];
    });
    means.forEach((m, c) => counts[c] && m.forEach((_, j) => (m[j] /= counts[c])));
    const S = new Float64Array(d * d);
    const r = new Float64Array(d);
    X.forEach((x, i) => {
      const m = means[y[i]];
      for (let j = 0; j < d; j++) r[j] = x[j] - m[j];
      for (let a = 0; a < d; a++) {
        const ra = r[a];
        if (ra === 0) continue;
        const row = a * d;
        for (let b = 0; b <= a; b++) S[row + b] += ra * r[b];
      }
    });
    let trace = 0;
    for (let a = 0; a < d; a++) trace += S[a * d + a] / n;
    const s = this.shrinkage;
    const ridge = s * (trace / d > 0 ? trace / d : 1);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        const v = (1 - s) * (S[a * d + b] / n);
        S[a * d + b] = v;
        S[b * d + a] = v;
      }
      S[a * d + a] += ridge;
    }
    this.L_ = cholesky(S, d);
    this.d_ = d;
    this.whitenedMeans_ = means.filter((_, c) => counts[c] > 0).map((m) => forwardSolve(this.L_, d, m));
    return this;
  }

  score(input: DetectorInput): Float64Array {
    if (this.d_ === 0) throw new Error('MahalanobisDetector is not fitted');
    return Float64Array.from(input.features, (x) => {
      const z = forwardSolve(this.L_, this.d_, x);
      let best = Infinity;
      for (const m of this.whitenedMeans_) {
        let s = 0;
        for (let j = 0; j < this.d_; j++) s += (z[j] - m[j]) ** 2;
        if (s < best) best = s;
      }
      return best;
    });
  }
}
