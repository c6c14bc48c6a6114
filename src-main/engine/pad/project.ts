// Unknown-category labelling, E-ODN paper eqs. 4-5.
//   f = Σ_j p_j · F_j over the n known classes (eq. 4): a probability-weighted mix of their standard vectors;
//   d_j = |f − F_j| over the table's m terms (eq. 5), Euclidean; the nearest term is the suggested label.
// Because f is a convex combination of the known vectors it cannot leave their convex hull; see ridge.ts for
// a variant that can.

import type { Pad, PadTerm } from '../../../shared/domain';

/** Eq. 4: the PAD point of one probability vector over the known classes' standard vectors. */
export function padFromProbs(p: ArrayLike<number>, classPads: readonly Pad[]): Pad {
  if (p.length !== classPads.length) throw new Error(`${p.length} probabilities for ${classPads.length} class vectors`);
  let P = 0, A = 0, D = 0;
  for (let j = 0; j < p.length; j++) {
    P += p[j] * classPads[j][0];
    A += p[j] * classPads[j][1];
    D += p[j] * classPads[j][2];
  }
  return [P, A, D];
}

export function padDistance(a: Pad, b: Pad): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

export interface NearestTerm {
  term: PadTerm;
  distance: number;
}

export interface NearestOptions {
  /** How many terms to return (default 3). */
  k?: number;
  /** Term names to leave out of the candidates (case-insensitive), e.g. the known classes' own words. */
  exclude?: readonly string[];
}

/** Eq. 5: the k table terms nearest to f, with their Euclidean distances, nearest first (ties keep table order). */
export function nearestTerms(f: Pad, table: readonly PadTerm[], opts: NearestOptions = {}): NearestTerm[] {
  const k = opts.k ?? 3;
  const ex = new Set((opts.exclude ?? []).map((s) => s.trim().toLowerCase()));
  return table
    .filter((t) => !ex.has(t.name.toLowerCase()))
    .map((term) => ({ term, distance: padDistance(f, term.pad) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, k);
}

/**
 * Eq. 5 with preferred words: the k nearest among `preferred` (e.g. the project's own classes and a short list
 * of common emotion words), and only if fewer than k remain, the nearest of `table` to fill up. A curator reads
 * "Fearful" or a class of their own more readily than the 151-term table's "Repentant"; the distance says how
 * far the point is from each.
 */
export function suggestTerms(f: Pad, preferred: readonly PadTerm[], table: readonly PadTerm[], opts: NearestOptions = {}): NearestTerm[] {
  const k = opts.k ?? 3;
  const near = nearestTerms(f, preferred, { k, exclude: opts.exclude });
  if (near.length < k) {
    const taken = [...(opts.exclude ?? []), ...preferred.map((t) => t.name)];
    near.push(...nearestTerms(f, table, { k: k - near.length, exclude: taken }));
  }
  return near;
}

/** The mean of PAD points (e.g. of a cluster's clips). */
export function meanPad(points: readonly Pad[]): Pad {
  if (points.length === 0) throw new Error('no PAD points');
  let P = 0, A = 0, D = 0;
  for (const q of points) {
    P += q[0];
    A += q[1];
    D += q[2];
  }
  return [P / points.length, A / points.length, D / points.length];
}

export interface GroupLabel {
  /** The group's mean PAD point. */
  pad: Pad;
  nearest: NearestTerm[];
}

/** Cluster-level labelling: a group of clips is labelled by its mean PAD point's nearest terms. */
export function labelGroup(points: readonly Pad[], table: readonly PadTerm[], opts: NearestOptions = {}): GroupLabel {
  const pad = meanPad(points);
  return { pad, nearest: nearestTerms(pad, table, opts) };
}
