// OpenMax (Bendale & Boult, CVPR 2016) on the head's logits (activation vectors, AV):
// fit: per class, the mean AV of correctly classified training clips, and a Weibull fitted to the `tailSize`
// largest distances of those clips to their mean; score: for the top-α classes by logit (rank r = 0..α-1),
// w = (α − r)/α · WeibullCDF(distance to that class's mean), the class logit is shrunk to v·(1 − w) and the
// removed mass goes to an "unknown" logit; the score is the unknown's softmax probability.
// A class with fewer than 2 correct clips gets no Weibull model and is not recalibrated.

import { argmax, softmax } from '../odn/rows';
import { fitWeibull, weibullCdf, type Weibull } from './weibull';
import type { DetectorFitInput, DetectorInput, UnknownDetector } from './types';

export interface OpenMaxSettings {
  tailSize: number;
  /** Number of top classes recalibrated (capped at the class count). */
  alpha: number;
  /** 'euclidean', or 'eucos' (euclidean/200 + cosine distance, as in the original code). */
  distance: 'euclidean' | 'eucos';
}

export class OpenMaxDetector implements UnknownDetector {
  readonly name = 'openmax';
  readonly settings: OpenMaxSettings;
  means_: (Float64Array | null)[] = [];
  weibulls_: (Weibull | null)[] = [];

  constructor(settings: Partial<OpenMaxSettings> = {}) {
    this.settings = { tailSize: 20, alpha: 2, distance: 'euclidean', ...settings };
  }

  fit(input: DetectorFitInput): this {
    const { logits, labels } = input;
    if (logits.length === 0) throw new Error('no training activations');
    const C = logits[0].length;
    const byClass: number[][] = Array.from({ length: C }, () => []);
    logits.forEach((v, i) => {
      if (argmax(v) === labels[i]) byClass[labels[i]].push(i);
    });
    this.means_ = [];
    this.weibulls_ = [];
    for (let c = 0; c < C; c++) {
      const idx = byClass[c];
      if (idx.length < 2) {
        this.means_.push(null);
        this.weibulls_.push(null);
        continue;
      }
      const mean = new Float64Array(C);
      for (const i of idx) for (let j = 0; j < C; j++) mean[j] += logits[i][j] / idx.length;
      const dists = idx.map((i) => this.dist(logits[i], mean)).sort((a, b) => b - a);
      const tail = dists.slice(0, Math.max(2, Math.min(this.settings.tailSize, dists.length)));
      let w: Weibull | null = null;
      try {
        w = fitWeibull(tail);
      } catch {
        w = null; // degenerate tail (all equal or zero): leave the class uncalibrated
      }
      this.means_.push(mean);
      this.weibulls_.push(w);
    }
    return this;
  }

  /** OpenMax's recalibrated probabilities: C known classes followed by unknown. */
  openmaxProbs(v: ArrayLike<number>): Float64Array {
    const C = v.length;
    if (this.means_.length !== C) throw new Error('OpenMaxDetector is not fitted for this class count');
    const alpha = Math.min(this.settings.alpha, C);
    const ranked = Array.from({ length: C }, (_, j) => j).sort((a, b) => v[b] - v[a]);
    const out = new Float64Array(C + 1);
    let unknown = 0;
    for (let j = 0; j < C; j++) out[j] = v[j];
    for (let r = 0; r < alpha; r++) {
      const c = ranked[r];
      const mean = this.means_[c];
      const wb = this.weibulls_[c];
      if (!mean || !wb) continue;
      const w = ((alpha - r) / alpha) * weibullCdf(this.dist(v, mean), wb);
      out[c] = v[c] * (1 - w);
      unknown += v[c] - out[c];
    }
    out[C] = unknown;
    return softmax(out);
  }

  score(input: DetectorInput): Float64Array {
    return Float64Array.from(input.logits, (v) => {
      const p = this.openmaxProbs(v);
      return p[p.length - 1];
    });
  }

  private dist(a: ArrayLike<number>, b: ArrayLike<number>): number {
    let s = 0, dot = 0, na = 0, nb = 0;
    for (let j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) ** 2;
      dot += a[j] * b[j];
      na += a[j] * a[j];
      nb += b[j] * b[j];
    }
    const eu = Math.sqrt(s);
    if (this.settings.distance === 'euclidean') return eu;
    const cos = na > 0 && nb > 0 ? 1 - dot / Math.sqrt(na * nb) : 1;
    return eu / 200 + cos;
  }
}
