// A PAD regressor that can leave the known classes' convex hull (eq. 4 cannot): ridge regression from
// (standardized) features to PAD, trained on known clips with their class's standard vector as target, or on
// real P, A, D labels when a dataset has them. Solved in closed form: primal (XᵀX + λI) when n ≥ d, dual
// (XXᵀ + λI) when n < d (same solution, smaller system). Features and targets are centred, so the intercept
// is not penalised.

import type { Pad } from '../../../shared/domain';
import { cholesky, choleskySolve } from '../odn/linalg';
import { columnCount, type Rows } from '../odn/rows';

export interface PadRidgeJSON {
  format: 'eodn-pad-ridge/1';
  lambda: number;
  xMean: number[];
  /** Row-major d × 3. */
  W: number[];
  b: [number, number, number];
}

export class PadRidge {
  readonly lambda: number;
  xMean_: Float64Array = new Float64Array(0);
  W_: Float64Array = new Float64Array(0);
  b_: [number, number, number] = [0, 0, 0];

  constructor(settings: { lambda?: number } = {}) {
    this.lambda = settings.lambda ?? 10;
    if (!(this.lambda > 0)) throw new Error('lambda must be > 0');
  }

  /** Targets: one PAD point per row (a class's standard vector or the clip's own dimensional label). */
  fit(X: Rows, targets: readonly Pad[]): this {
    const n = X.length;
    if (targets.length !== n) throw new Error(`${n} rows but ${targets.length} targets`);
    const d = columnCount(X);
    const xm = new Float64Array(d);
    for (const x of X) for (let j = 0; j < d; j++) xm[j] += x[j] / n;
    const ym: [number, number, number] = [0, 0, 0];
    for (const t of targets) for (let k = 0; k < 3; k++) ym[k] += t[k] / n;
    const Xc = X.map((x) => Float64Array.from({ length: d }, (_, j) => x[j] - xm[j]));
    const Yc = targets.map((t) => [t[0] - ym[0], t[1] - ym[1], t[2] - ym[2]]);
    const W = new Float64Array(d * 3);
    if (n >= d) {
      const G = new Float64Array(d * d);
      for (const x of Xc)
        for (let a = 0; a < d; a++) {
          const xa = x[a];
          if (xa === 0) continue;
          for (let b = 0; b <= a; b++) G[a * d + b] += xa * x[b];
        }
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < a; b++) G[b * d + a] = G[a * d + b];
        G[a * d + a] += this.lambda;
      }
      const L = cholesky(G, d);
      for (let k = 0; k < 3; k++) {
        const rhs = new Float64Array(d);
        Xc.forEach((x, i) => {
          for (let j = 0; j < d; j++) rhs[j] += x[j] * Yc[i][k];
        });
        const w = choleskySolve(L, d, rhs);
        for (let j = 0; j < d; j++) W[j * 3 + k] = w[j];
      }
    } else {
      const K = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += Xc[i][t] * Xc[j][t];
          K[i * n + j] = s;
          K[j * n + i] = s;
        }
      for (let i = 0; i < n; i++) K[i * n + i] += this.lambda;
      const L = cholesky(K, n);
      for (let k = 0; k < 3; k++) {
        const alpha = choleskySolve(L, n, Yc.map((y) => y[k]));
        Xc.forEach((x, i) => {
          for (let j = 0; j < d; j++) W[j * 3 + k] += alpha[i] * x[j];
        });
      }
    }
    this.xMean_ = xm;
    this.W_ = W;
    // Intercept: b = ȳ − x̄ᵀW, so predictions work on uncentred inputs.
    this.b_ = [0, 1, 2].map((k) => {
      let s = ym[k];
      for (let j = 0; j < d; j++) s -= xm[j] * W[j * 3 + k];
      return s;
    }) as [number, number, number];
    return this;
  }

  predict(X: Rows): Pad[] {
    const d = this.xMean_.length;
    if (d === 0) throw new Error('PadRidge is not fitted');
    return X.map((x) => {
      if (x.length !== d) throw new Error(`row has ${x.length} features, regressor expects ${d}`);
      const out: [number, number, number] = [...this.b_];
      for (let j = 0; j < d; j++) {
        const xj = x[j];
        out[0] += xj * this.W_[j * 3];
        out[1] += xj * this.W_[j * 3 + 1];
        out[2] += xj * this.W_[j * 3 + 2];
      }
      return out as Pad;
    });
  }

  toJSON(): PadRidgeJSON {
    return { format: 'eodn-pad-ridge/1', lambda: this.lambda, xMean: Array.from(this.xMean_), W: Array.from(this.W_), b: [...this.b_] };
  }

  static fromJSON(j: PadRidgeJSON): PadRidge {
    if (j.format !== 'eodn-pad-ridge/1') throw new Error(`unknown PAD regressor format ${String(j.format)}`);
    const r = new PadRidge({ lambda: j.lambda });
    r.xMean_ = Float64Array.from(j.xMean);
    r.W_ = Float64Array.from(j.W);
    r.b_ = [...j.b];
    return r;
  }
}
