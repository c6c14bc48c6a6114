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
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  // Distinct values ascending, with how many clips (and unknown clips) hold each.
  const u: number[] = [];
  const all: number[] = [];
  const unk: number[] = [];
  for (const i of order) {
    if (u.length === 0 || scores[i] !== u[u.length - 1]) {
      u.push(scores[i]);
      all.push(0);
      unk.push(0);
    }
    all[all.length - 1]++;
    if (isUnknown[i]) unk[unk.length - 1]++;
  }
  const positives = unk.reduce((a, b) => a + b, 0);
  // Candidate r flags the clips holding u[r] or more: below u[0], or midway between u[r − 1] and u[r].
  // F1 as binaryPRF computes it, so ties resolve exactly as flagging and scoring each candidate would.
  let flagged = n, tp = positives;
  let best = { threshold: u[0] - 1, f1: -1 };
  for (let r = 0; r < u.length; r++) {
    const precision = flagged ? tp / flagged : 0;
    const recall = positives ? tp / positives : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { threshold: r === 0 ? u[0] - 1 : (u[r] + u[r - 1]) / 2, f1 };
    flagged -= all[r];
    tp -= unk[r];
  }
  return best;
}

export function flagUnknown(scores: ArrayLike<number>, threshold: number): boolean[] {
  return Array.from(scores, (s) => s > threshold);
}

/** Bounds of the flag-rate guard and its fallback (see `guardedThreshold`). */
export interface ThresholdGuard {
  /** A threshold flagging a smaller share of the tuning pool than this is refused. */
  minFlagged: number;
  /** A threshold flagging a larger share of the tuning pool than this is refused. */
  maxFlagged: number;
  /** The fallback: the threshold at which this share of the pool's known clips is flagged (their false-positive rate). */
  fallbackFpr: number;
}

/**
 * 5 % and 80 %: the tuning pool (each known class in turn held out) is about 1/C unknown, so a threshold
 * outside these bounds flags (nearly) nothing or (nearly) everything; 80 % is also issue 12's ceiling. The
 * fallback's 15 % false-positive rate flags about 0.15·(1 − 1/C) + recall/C of such a pool, inside the bounds.
 */
export const DEFAULT_THRESHOLD_GUARD: ThresholdGuard = { minFlagged: 0.05, maxFlagged: 0.8, fallbackFpr: 0.15 };

export interface GuardedThreshold {
  threshold: number;
  /** Unknown-F1 on the tuning pool at `threshold`. */
  f1: number;
  /** Share of the tuning pool flagged at `threshold`. */
  flagged: number;
  /** True when the max-F1 threshold was refused and the fallback rule chose `threshold`. */
  fallback: boolean;
  /** The refused max-F1 threshold's flagged share, when it was refused. */
  refusedFlagged?: number;
}

/**
 * The max-F1 threshold on a tuning pool (`thresholdMaxF1`), unless it flags less than `minFlagged` or more than
 * `maxFlagged` of the pool; then the (1 − fallbackFpr)-quantile of the pool's known clips' scores instead.
 */
export function guardedThreshold(scores: ArrayLike<number>, isUnknown: ArrayLike<boolean>, guard: ThresholdGuard = DEFAULT_THRESHOLD_GUARD): GuardedThreshold {
  const n = scores.length;
  const share = (t: number) => flagUnknown(scores, t).filter(Boolean).length / n;
  const best = thresholdMaxF1(scores, isUnknown);
  const flagged = share(best.threshold);
  if (flagged >= guard.minFlagged && flagged <= guard.maxFlagged) return { threshold: best.threshold, f1: best.f1, flagged, fallback: false };
  const known = Array.from(scores).filter((_, i) => !isUnknown[i]);
  const threshold = thresholdAtKnownQuantile(known, 1 - guard.fallbackFpr);
  return { threshold, f1: binaryPRF(isUnknown, flagUnknown(scores, threshold)).f1, flagged: share(threshold), fallback: true, refusedFlagged: flagged };
}

/** Mean and (population) standard deviation of some scores. */
export interface ScoreStats {
  n: number;
  mean: number;
  sd: number;
}

/** Running sums of scores; `stats` turns them into their mean and standard deviation. */
export class StatsAccumulator {
  n = 0;
  s = 0;
  ss = 0;
  add(x: number): void {
    this.n++;
    this.s += x;
    this.ss += x * x;
  }
  stats(): ScoreStats {
    const mean = this.s / this.n;
    return { n: this.n, mean, sd: Math.sqrt(Math.max(0, this.ss / this.n - mean * mean)) };
  }
}

/** A z-score against some scores' statistics; 0 when those scores are (nearly) constant. */
export function zOf(x: number, st: ScoreStats): number {
  return st.sd > 1e-12 * (Math.abs(st.mean) + 1) ? (x - st.mean) / st.sd : 0;
}

/**
 * Scores z-scored within each speaker (mean and standard deviation of that speaker's own scores, no label
 * used): removes a speaker-wide shift of a detector's scale, e.g. a voice that is far from every training
 * speaker. A speaker with one clip, or constant scores, gets 0.
 */
export function zScoreBySpeaker(scores: ArrayLike<number>, speakers: readonly string[]): Float64Array {
  if (scores.length !== speakers.length) throw new Error('length mismatch');
  const acc = new Map<string, StatsAccumulator>();
  speakers.forEach((spk, i) => {
    let a = acc.get(spk);
    if (!a) acc.set(spk, (a = new StatsAccumulator()));
    a.add(scores[i]);
  });
  const stats = new Map([...acc].map(([spk, a]) => [spk, a.stats()]));
  return Float64Array.from(speakers, (spk, i) => zOf(scores[i], stats.get(spk)!));
}
