// Expected calibration error (Guo et al., ICML 2017): confidences split into equal-width bins; the
// clip-weighted mean gap between each bin's mean confidence and its accuracy. 0 for a perfectly calibrated
// model; a model that says 0.9 and is right half the time scores 0.4.
// Beside it, the calibration map the studio's estimate of labels right uses (pipeline/labels-estimate.ts):
// isotonic regression of "top-1 was right" on the top-1 probability, fitted on held-out predictions
// (pipeline/cross-validate.ts), with its own held-out ECE.

export interface CalibrationReport {
  ece: number;
  clips: number;
  bins: { from: number; to: number; clips: number; confidence: number; accuracy: number }[];
}

export function expectedCalibrationError(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, nBins = 10): CalibrationReport {
  if (confidence.length !== correct.length) throw new Error(`${confidence.length} confidences for ${correct.length} outcomes`);
  const sums = Array.from({ length: nBins }, () => ({ n: 0, conf: 0, right: 0 }));
  for (let i = 0; i < confidence.length; i++) {
    const c = Math.min(1, Math.max(0, confidence[i]));
    const b = sums[Math.min(nBins - 1, Math.floor(c * nBins))];
    b.n++;
    b.conf += c;
    b.right += correct[i] ? 1 : 0;
  }
  const n = confidence.length;
  let ece = 0;
  const bins = sums.map((b, k) => {
    if (b.n) ece += (b.n / n) * Math.abs(b.conf / b.n - b.right / b.n);
    return { from: k / nBins, to: (k + 1) / nBins, clips: b.n, confidence: b.n ? b.conf / b.n : 0, accuracy: b.n ? b.right / b.n : 0 };
  });
  return { ece: n ? ece : 0, clips: n, bins };
}

/**
 * A monotone map from a top-1 probability (p1) to the chance that the top-1 class is right: knots of a
 * piecewise-linear curve, p1 ascending, pRight non-decreasing. Between knots it is interpolated linearly;
 * below the first and above the last it stays flat.
 */
export interface CalibrationMap {
  p1: number[];
  pRight: number[];
}

/** Fewer held-out clips than this give no map (a reliability curve from a handful of clips is noise). */
export const MIN_CALIBRATION_CLIPS = 20;

/**
 * Pool-adjacent-violators: the non-decreasing least-squares fit of `value` (in order) with weights `weight`.
 * Returns the blocks: each one's weighted mean value, total weight, and the first index it covers. Adjacent
 * blocks of equal value are pooled too (the same fit, fewer and larger blocks: a run of right answers is one
 * block, not one per clip).
 */
function poolAdjacentViolators(value: readonly number[], weight: readonly number[]): { value: number; weight: number; from: number }[] {
  const blocks: { value: number; weight: number; from: number }[] = [];
  for (let i = 0; i < value.length; i++) {
    blocks.push({ value: value[i], weight: weight[i], from: i });
    while (blocks.length > 1 && blocks[blocks.length - 2].value >= blocks[blocks.length - 1].value) {
      const b = blocks.pop()!;
      const a = blocks[blocks.length - 1];
      const w = a.weight + b.weight;
      a.value = (a.value * a.weight + b.value * b.weight) / w;
      a.weight = w;
    }
  }
  return blocks;
}

/**
 * Isotonic regression of "top-1 was right" on p1 (Zadrozny & Elkan, KDD 2002), for held-out predictions.
 * Clips are pooled into blocks whose rate of right answers rises with p1 (pool-adjacent-violators); each
 * block's rate is then shrunk towards its mean p1 by `prior` pseudo-clips ((right + prior · p̄) / (n + prior),
 * so a block of one clip does not claim 0 or 1), and the shrunk rates are made monotone again. One knot per
 * block, at the block's mean p1. Null with fewer than MIN_CALIBRATION_CLIPS clips.
 */
export function fitCalibrationMap(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, opts: { prior?: number; minClips?: number } = {}): CalibrationMap | null {
  if (confidence.length !== correct.length) throw new Error(`${confidence.length} confidences for ${correct.length} outcomes`);
  const prior = opts.prior ?? 2;
  if (confidence.length < (opts.minClips ?? MIN_CALIBRATION_CLIPS) || confidence.length === 0) return null;
  const order = Array.from({ length: confidence.length }, (_, i) => i).sort((a, b) => confidence[a] - confidence[b]);
  // Equal p1 values form one point: the fit cannot tell them apart.
  const xs: number[] = [], ys: number[] = [], ws: number[] = [];
  for (const i of order) {
    const c = Math.min(1, Math.max(0, confidence[i]));
    const r = correct[i] ? 1 : 0;
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === c) {
      ys[last] = (ys[last] * ws[last] + r) / (ws[last] + 1);
      ws[last]++;
    } else {
      xs.push(c);
      ys.push(r);
      ws.push(1);
    }
  }
  const blocksOf = (bs: { from: number }[], n: number) => bs.map((b, k) => [b.from, k + 1 < bs.length ? bs[k + 1].from : n] as const);
  const first = poolAdjacentViolators(ys, ws);
  const spans = blocksOf(first, xs.length);
  const n = spans.map(([a, b]) => ws.slice(a, b).reduce((s, w) => s + w, 0));
  const meanX = spans.map(([a, b], k) => xs.slice(a, b).reduce((s, x, j) => s + x * ws[a + j], 0) / n[k]);
  const shrunk = first.map((b, k) => (b.value * n[k] + prior * meanX[k]) / (n[k] + prior));
  const second = poolAdjacentViolators(shrunk, n.map((w) => w + prior));
  const p1: number[] = [], pRight: number[] = [];
  for (const [a, b] of blocksOf(second, first.length)) {
    let w = 0, x = 0;
    for (let k = a; k < b; k++) {
      w += n[k];
      x += meanX[k] * n[k];
    }
    p1.push(x / w);
    pRight.push(second[p1.length - 1].value);
  }
  return { p1, pRight };
}

/** The calibrated chance that top-1 is right, for a top-1 probability `p` (p itself when there is no map). */
export function applyCalibration(map: CalibrationMap | null | undefined, p: number): number {
  if (!map || map.p1.length === 0) return p;
  const { p1: x, pRight: y } = map;
  if (p <= x[0]) return y[0];
  const last = x.length - 1;
  if (p >= x[last]) return y[last];
  let lo = 0, hi = last; // x[lo] < p < x[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= p) lo = mid;
    else hi = mid;
  }
  const span = x[hi] - x[lo];
  return span > 0 ? y[lo] + ((y[hi] - y[lo]) * (p - x[lo])) / span : y[hi];
}

export interface HeldOutCalibration {
  /** Fitted on every clip. */
  map: CalibrationMap;
  clips: number;
  /** ECE of the raw p1 on these clips. */
  eceRaw: number;
  /**
   * ECE of the calibrated chances, cross-fitted: each fold's clips mapped by a map fitted on the other folds'
   * clips only (null when fewer than 2 folds hold clips, or no other-fold map could be fitted).
   */
  ece: number | null;
}

/**
 * A calibration map from held-out predictions (each clip's p1 and whether top-1 was right, with the fold that
 * held it out), and how well it calibrates clips it was not fitted on. Null when too few clips.
 */
export function heldOutCalibration(confidence: readonly number[], correct: readonly boolean[], fold: readonly number[], nBins = 10): HeldOutCalibration | null {
  const map = fitCalibrationMap(confidence, correct);
  if (!map) return null;
  const eceRaw = expectedCalibrationError(confidence, correct, nBins).ece;
  const folds = [...new Set(fold)];
  let ece: number | null = null;
  if (folds.length >= 2) {
    const mapped = new Array<number>(confidence.length);
    let ok = true;
    for (const f of folds) {
      const train = fold.flatMap((g, i) => (g === f ? [] : [i]));
      const m = fitCalibrationMap(
        train.map((i) => confidence[i]),
        train.map((i) => correct[i]),
        { minClips: Math.min(MIN_CALIBRATION_CLIPS, Math.max(1, train.length)) },
      );
      if (!m) {
        ok = false;
        break;
      }
      fold.forEach((g, i) => {
        if (g === f) mapped[i] = applyCalibration(m, confidence[i]);
      });
    }
    if (ok) ece = expectedCalibrationError(mapped, correct, nBins).ece;
  }
  return { map, clips: confidence.length, eceRaw, ece };
}
