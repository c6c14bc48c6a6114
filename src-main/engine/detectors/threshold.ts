// Turning detector scores into decisions: pick a threshold on training data, flag score > threshold.

import { binaryPRF } from '../metrics/classification';

/**
 * The q-quantile of known clips' scores (linear interpolation): about a fraction q of known clips score at or
 * below it, so about 1 − q of them would be flagged. Training-set scores are optimistic (the head has seen
 * those clips), so prefer held-out known clips when there are some.
 */
export function thresholdAtKnownQuantile(knownScores: ArrayLike<number>, q = 0.95): number {
  if (knownScores.length === 0) throw new Error('no scores');
  if (!(q >= 0 && q <= 1)) throw new Error('q must be in [0, 1]');
  const s = Float64Array.from(knownScores).sort();
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** The threshold (midpoint between adjacent distinct scores) maximising unknown-F1 of score > threshold. */
export function thresholdMaxF1(scores: ArrayLike<number>, isUnknown: ArrayLike<boolean>): { threshold: number; f1: number } {
  if (scores.length !== isUnknown.length) throw new Error('length mismatch');
  const u = [...new Set(Array.from(scores))].sort((a, b) => a - b);
  const candidates = [u[0] - 1, ...u.slice(1).map((v, i) => (v + u[i]) / 2)];
  let best = { threshold: candidates[0], f1: -1 };
  for (const t of candidates) {
    const f1 = binaryPRF(isUnknown, flagUnknown(scores, t)).f1;
    if (f1 > best.f1) best = { threshold: t, f1 };
  }
  return best;
}

export function flagUnknown(scores: ArrayLike<number>, threshold: number): boolean[] {
  return Array.from(scores, (s) => s > threshold);
}
