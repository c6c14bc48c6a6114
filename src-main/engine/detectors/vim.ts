// ViM, virtual-logit matching (Wang, Li, Feng & Zhang, "ViM: Out-Of-Distribution with Virtual-logit
// Matching", CVPR 2022). With the head's last layer logits = Wᵀa + b on the features a that feed it:
//   origin      o = −(Wᵀ)⁺ b                      (the point whose logits are all zero)
//   subspace    P = the D leading principal axes of the training rows about o (uncentred second moment)
//   residual    r(a) = ‖(I − P Pᵀ)(a − o)‖        (the part of the clip no known class's logit can see)
//   scale       α = mean max-logit / mean r over the training rows
//   score       α·r(a) − log Σ_c exp(logit_c)      (= minus ViM's in-distribution score; higher = unknown)
// The second term is the energy (Liu et al. 2020). The features are the head's `hiddenActivations`: with the
// studio's default head (no hidden layer) the layer feeding the logits is the standardized embedding itself,
// which is exactly the "penultimate features" ViM asks for. D: the paper fixes it per backbone (roughly half
// the feature width); here the training rows span at most n < d dimensions, so D is the smallest number of
// axes holding `varianceFraction` of the second moment (0.9 by default), and always < the rank. The axes come
// from at most `maxRows` training rows (a seeded subsample; 160 by default), which keeps the eigen-problem
// small (its cost grows with the cube of the rows); α is measured on every training row.

import type { Head } from '../odn/head';
import { cholesky, choleskySolve } from '../odn/linalg';
import { makeRng, shuffleInPlace } from '../odn/rng';
import { logSumExp } from './energy';
import { axesForFraction, principalAxes, type PrincipalAxes } from './pca';
import type { DetectorFitInput, DetectorInput, UnknownDetector } from './types';

export interface VimSettings {
  /** Principal axes kept; default: the smallest number holding `varianceFraction` of the second moment. */
  dims?: number;
  varianceFraction: number;
  /** At most this many training rows (seeded subsample) define the principal axes. */
  maxRows: number;
  seed: number;
}

export class VimDetector implements UnknownDetector {
  readonly name = 'vim';
  readonly settings: VimSettings;
  readonly head: Head;
  pca_: PrincipalAxes | null = null;
  dims_ = 0;
  alpha_ = 0;

  constructor(head: Head, settings: Partial<VimSettings> = {}) {
    this.head = head;
    this.settings = { varianceFraction: 0.9, maxRows: 160, seed: 1, ...settings };
    if (!(this.settings.varianceFraction > 0 && this.settings.varianceFraction < 1)) throw new Error('varianceFraction must be in (0, 1)');
  }

  /** o = −(Wᵀ)⁺ b = −W (WᵀW)⁻¹ b, the least-norm point where every logit is 0 (a tiny ridge keeps WᵀW invertible). */
  origin(): Float64Array {
    const h = this.head;
    const C = h.nClasses_;
    const cols = Array.from({ length: C }, (_, c) => h.outputColumn(c));
    const G = new Float64Array(C * C);
    let tr = 0;
    for (let a = 0; a < C; a++)
      for (let b = 0; b < C; b++) {
        let s = 0;
        for (let k = 0; k < h.nIn; k++) s += cols[a].w[k] * cols[b].w[k];
        G[a * C + b] = s;
        if (a === b) tr += s;
      }
    for (let a = 0; a < C; a++) G[a * C + a] += 1e-10 * (tr / C || 1);
    const t = choleskySolve(cholesky(G, C), C, cols.map((c) => c.b));
    const o = new Float64Array(h.nIn);
    for (let c = 0; c < C; c++) for (let k = 0; k < h.nIn; k++) o[k] -= cols[c].w[k] * t[c];
    return o;
  }

  fit(input: DetectorFitInput): this {
    const A = this.head.hiddenActivations(input.features);
    // D < the rank, so the training rows keep a residual for α to match.
    const choose = (moments: Float64Array, total: number) => Math.min(this.settings.dims ?? axesForFraction({ moments, total }, this.settings.varianceFraction), moments.length - 1);
    let rows: Float64Array[] = A;
    if (A.length > this.settings.maxRows) {
      const order = A.map((_, i) => i);
      shuffleInPlace(order, makeRng(this.settings.seed));
      rows = order.slice(0, this.settings.maxRows).map((i) => A[i]);
    }
    const pca = principalAxes(rows, this.origin(), choose);
    if (pca.moments.length < 2) throw new Error('ViM needs training rows spanning at least 2 dimensions');
    const D = pca.axes.length;
    this.pca_ = pca;
    this.dims_ = Math.max(1, D);
    const res = A.map((a) => this.residual(a));
    let maxLogit = 0;
    for (const z of input.logits) maxLogit += Math.max(...Array.from(z)) / input.logits.length;
    const meanRes = res.reduce((s, v) => s + v, 0) / res.length;
    // ViM's α matches the virtual logit's mean to the mean max-logit; |·| keeps the sign right when the head's
    // logits happen to be negative on average (softmax is shift-invariant, the head's bias is not pinned).
    this.alpha_ = meanRes > 0 ? Math.abs(maxLogit) / meanRes : 0;
    return this;
  }

  /** ‖(I − P Pᵀ)(a − o)‖ for an activation vector a. */
  residual(a: ArrayLike<number>): number {
    const p = this.pca_;
    if (!p) throw new Error('VimDetector is not fitted');
    const o = p.centre;
    let total = 0;
    for (let j = 0; j < o.length; j++) total += (a[j] - o[j]) ** 2;
    let inside = 0;
    for (let r = 0; r < this.dims_; r++) {
      const u = p.axes[r];
      let s = 0;
      for (let j = 0; j < o.length; j++) s += u[j] * (a[j] - o[j]);
      inside += s * s;
    }
    return Math.sqrt(Math.max(0, total - inside));
  }

  score(input: DetectorInput): Float64Array {
    if (!this.pca_) throw new Error('VimDetector is not fitted');
    const A = this.head.hiddenActivations(input.features);
    return Float64Array.from(A, (a, i) => this.alpha_ * this.residual(a) - logSumExp(input.logits[i]));
  }
}
