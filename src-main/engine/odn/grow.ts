// Incremental training's initialisation, E-ODN paper eq. 6:
//   w_{n+1} = (1/n) Σ_j d'_j · w_j,  j = 1..n known classes,
// with d_j = |f − F_j| (Euclidean, f the new class's PAD point, F_j the known classes' standard vectors) and
// d' "d after mean normalisation". The paper does not define mean normalisation further; it could mean
// d_j / mean(d) or (d_j − mean d) / (max d − min d). We use d'_j = d_j / mean(d): then Σ d'_j = n and eq. 6 is a
// weighted average of the known columns whose weights sum to one (the other reading's weights sum to zero,
// which would give a near-zero column). The bias is initialised the same way from the known biases.
// Note the direction: the paper's formula gives *farther* classes more weight. 'inverse' (weights ∝ 1/d_j,
// also normalised to mean 1) is offered as a documented alternative; 'paper' is the default.
// For an MLP only the output layer grows; the hidden layer is copied.

import type { Pad } from '../../../shared/domain';
import { padDistance } from '../pad/project';
import type { Head } from './head';

export type GrowWeighting = 'paper' | 'inverse';

export interface GrowWeights {
  /** d_j = |f − F_j|. */
  distances: number[];
  /** d'_j as used in eq. 6 (mean 1). */
  weights: number[];
}

export function growWeights(f: Pad, knownPads: readonly Pad[], weighting: GrowWeighting = 'paper'): GrowWeights {
  const n = knownPads.length;
  if (n === 0) throw new Error('eq. 6 needs at least one known class');
  const distances = knownPads.map((F) => padDistance(f, F));
  // A new point exactly on a known vector makes 1/d infinite; a tiny floor keeps 'inverse' finite.
  const raw = weighting === 'paper' ? distances : distances.map((d) => 1 / Math.max(d, 1e-6));
  const mean = raw.reduce((a, b) => a + b, 0) / n;
  // All distances zero (f on every F_j, only possible when they coincide): fall back to equal weights.
  const weights = mean > 0 ? raw.map((d) => d / mean) : raw.map(() => 1);
  return { distances, weights };
}

/** The output column and bias eq. 6 gives for a new class at PAD point f. */
export function newClassColumn(head: Head, f: Pad, knownPads: readonly Pad[], weighting: GrowWeighting = 'paper'): { w: Float64Array; b: number; weights: GrowWeights } {
  const n = knownPads.length;
  if (n !== head.nClasses_) throw new Error(`${n} known class vectors for a head with ${head.nClasses_} classes`);
  const gw = growWeights(f, knownPads, weighting);
  const w = new Float64Array(head.nIn);
  let b = 0;
  for (let j = 0; j < n; j++) {
    const col = head.outputColumn(j);
    const s = gw.weights[j] / n;
    for (let k = 0; k < w.length; k++) w[k] += s * col.w[k];
    b += s * col.b;
  }
  return { w, b, weights: gw };
}

/** A copy of the head with one more output column, initialised by eq. 6. */
export function growHead(head: Head, f: Pad, knownPads: readonly Pad[], weighting: GrowWeighting = 'paper'): { head: Head; weights: GrowWeights } {
  const col = newClassColumn(head, f, knownPads, weighting);
  return { head: head.withExtraColumns([{ w: col.w, b: col.b }]), weights: col.weights };
}
