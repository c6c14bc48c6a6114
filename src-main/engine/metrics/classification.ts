// Classification metrics. Label arrays hold class indices (any integers); -1 is a fine "unknown" index.

export type LabelArray = ArrayLike<number>;

export interface BinaryPRF {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/**
 * Precision, recall, F1 of a binary task with `true` as the positive class (for open-set detection:
 * unknown = positive, as in the paper's section 4.4.1). An empty denominator gives 0.
 */
export function binaryPRF(truth: ArrayLike<boolean>, pred: ArrayLike<boolean>): BinaryPRF {
  sameLength(truth, pred);
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < truth.length; i++) {
    if (pred[i]) truth[i] ? tp++ : fp++;
    else truth[i] ? fn++ : tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn, tn };
}

/** WA: weighted accuracy, the fraction of samples predicted right. */
export function weightedAccuracy(truth: LabelArray, pred: LabelArray): number {
  sameLength(truth, pred);
  if (truth.length === 0) return 0;
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === pred[i]) ok++;
  return ok / truth.length;
}

/** UA: unweighted accuracy, the mean over classes present in `truth` of each class's recall. */
export function unweightedAccuracy(truth: LabelArray, pred: LabelArray): number {
  sameLength(truth, pred);
  const n = new Map<number, number>();
  const ok = new Map<number, number>();
  for (let i = 0; i < truth.length; i++) {
    n.set(truth[i], (n.get(truth[i]) ?? 0) + 1);
    if (truth[i] === pred[i]) ok.set(truth[i], (ok.get(truth[i]) ?? 0) + 1);
  }
  if (n.size === 0) return 0;
  let s = 0;
  for (const [c, k] of n) s += (ok.get(c) ?? 0) / k;
  return s / n.size;
}

/**
 * Micro-averaged F1 over the classes in `labels` (default: every class seen in truth or pred). Counts pooled:
 * TP = samples with truth = pred ∈ labels, FP = pred ∈ labels and wrong, FN = truth ∈ labels and wrong. With
 * all classes included it equals accuracy for single-label data; leaving a class out (say, unknown = -1)
 * makes it differ.
 */
export function microF1(truth: LabelArray, pred: LabelArray, labels?: readonly number[]): number {
  sameLength(truth, pred);
  const set = new Set(labels ?? [...Array.from(truth), ...Array.from(pred)]);
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i], p = pred[i];
    if (t === p) {
      if (set.has(t)) tp++;
    } else {
      if (set.has(p)) fp++;
      if (set.has(t)) fn++;
    }
  }
  return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
}

/** Macro-averaged F1 over the classes in `labels` (default: classes seen in truth). */
export function macroF1(truth: LabelArray, pred: LabelArray, labels?: readonly number[]): number {
  sameLength(truth, pred);
  const classes = labels ?? [...new Set(Array.from(truth))];
  if (classes.length === 0) return 0;
  let s = 0;
  for (const c of classes) {
    const t = Array.from(truth, (x) => x === c);
    const p = Array.from(pred, (x) => x === c);
    s += binaryPRF(t, p).f1;
  }
  return s / classes.length;
}

/** Confusion matrix: m[t][p] counts samples of class index t predicted as p; indices must be in 0..n-1. */
export function confusionMatrix(truth: LabelArray, pred: LabelArray, nClasses: number): number[][] {
  sameLength(truth, pred);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i], p = pred[i];
    if (!(t >= 0 && t < nClasses && p >= 0 && p < nClasses)) throw new Error(`label pair (${t}, ${p}) outside 0..${nClasses - 1}`);
    m[t][p]++;
  }
  return m;
}

function sameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
}
