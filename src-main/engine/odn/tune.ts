// Choosing ε and ρ on training data only.
// The paper leaves ε, ρ as "adjustable factors". Here they are picked by grid search to maximise unknown-F1
// (unknown = positive) on simulated unknowns: inner cross-validation over the training speakers, where in each
// fold one known class at a time is held out of the head's training and plays "unknown" on the held-out
// speakers. Thresholds in each case come from the inner head's probabilities on its own training clips,
// matching how the final thresholds are computed on the full training set. Needs at least 3 known classes.

import { binaryPRF } from '../metrics/classification';
import { decide, isUnknown, type MuRule } from './decide';
import type { Head } from './head';
import { makeRng, shuffleInPlace } from './rng';
import { classCount, type Labels, type Rows } from './rows';
import { computeThresholds, withEpsilonRho, type ThresholdSettings } from './thresholds';

export interface TuneCase {
  /** Probabilities and labels the thresholds are computed from. */
  thresholdProbs: Rows;
  thresholdLabels: Labels;
  /** Probabilities to decide on, and which of them are (simulated) unknowns. */
  evalProbs: Rows;
  evalUnknown: ArrayLike<boolean>;
}

export interface TuneGrid {
  epsilons: readonly number[];
  rhos: readonly number[];
}

export const DEFAULT_TUNE_GRID: TuneGrid = {
  epsilons: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
  rhos: [0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0],
};

export interface TuneResult {
  epsilon: number;
  rho: number;
  /** Mean unknown-F1 over the cases at the chosen (ε, ρ). */
  f1: number;
  /** Every grid point's mean F1, in grid order (ε outer, ρ inner). */
  table: { epsilon: number; rho: number; f1: number }[];
}

/** Grid search over (ε, ρ) maximising mean unknown-F1 over the cases; ties keep the first grid point. */
export function tuneEpsilonRho(
  cases: readonly TuneCase[],
  grid: TuneGrid = DEFAULT_TUNE_GRID,
  opts: { muRule?: MuRule; fallback?: Partial<ThresholdSettings> } = {},
): TuneResult {
  if (cases.length === 0) throw new Error('no tuning cases');
  const base = cases.map((c) => computeThresholds(c.thresholdProbs, c.thresholdLabels, { ...opts.fallback, epsilon: 1, rho: 1 }));
  const table: TuneResult['table'] = [];
  let best = { epsilon: grid.epsilons[0], rho: grid.rhos[0], f1: -1 };
  for (const epsilon of grid.epsilons)
    for (const rho of grid.rhos) {
      let f1 = 0;
      cases.forEach((c, k) => {
        const th = withEpsilonRho(base[k], epsilon, rho);
        const names = th.classes.map((_, i) => String(i));
        const pred = c.evalProbs.map((p) => isUnknown(decide(p, th, names, { muRule: opts.muRule })));
        f1 += binaryPRF(c.evalUnknown, pred).f1 / cases.length;
      });
      table.push({ epsilon, rho, f1 });
      if (f1 > best.f1) best = { epsilon, rho, f1 };
    }
  return { ...best, table };
}

export interface SimulateOptions {
  /** Inner folds over groups (speakers); capped at the number of groups. */
  folds?: number;
  seed?: number;
  /** Hold out at most this many classes per fold (the first ones after a seeded shuffle); default all. */
  maxHeldOutClasses?: number;
  shouldAbort?: () => boolean;
  /**
   * Where each case's triplet statistics (η, margins) come from: 'train' = the inner head's own training
   * probabilities (the paper's reading, default); 'heldout' = the inner head's probabilities on the held-out
   * fold's known clips (it never saw them), matching thresholds built from `outOfFoldProbabilities`.
   */
  thresholdSource?: 'train' | 'heldout';
}

/**
 * Builds tuning cases by inner cross-validation: folds over `groups` (speakers; with fewer than 2 distinct
 * groups, seeded random folds over samples), and in each fold each known class in turn held out as unknown.
 * `makeHead` returns a fresh, unfitted head (its settings decide the inner training).
 */
export function simulateUnknownCases(
  X: Rows,
  y: Labels,
  groups: readonly (string | null)[] | null,
  makeHead: () => Head,
  opts: SimulateOptions = {},
): TuneCase[] {
  const n = X.length;
  if (y.length !== n) throw new Error(`${n} rows but ${y.length} labels`);
  const C = classCount(y);
  if (C < 3) throw new Error('simulating unknowns needs at least 3 known classes');
  const rng = makeRng(opts.seed ?? 7);
  const foldOf = assignFolds(n, groups, opts.folds ?? 3, rng);
  const nFolds = Math.max(...foldOf) + 1;
  const classes = Array.from({ length: C }, (_, c) => c);
  shuffleInPlace(classes, rng);
  const heldOut = classes.slice(0, opts.maxHeldOutClasses ?? C);
  const cases: TuneCase[] = [];
  for (let f = 0; f < nFolds; f++) {
    for (const u of heldOut) {
      if (opts.shouldAbort?.()) return cases;
      const trIdx: number[] = [];
      const evIdx: number[] = [];
      for (let i = 0; i < n; i++) {
        if (foldOf[i] === f) evIdx.push(i);
        else if (y[i] !== u) trIdx.push(i);
      }
      // Relabel the remaining known classes to 0..C-2.
      const map = (c: number) => (c < u ? c : c - 1);
      const trY = Int32Array.from(trIdx, (i) => map(y[i]));
      if (new Set(trY).size < 2 || evIdx.length === 0 || !evIdx.some((i) => y[i] === u)) continue;
      const head = makeHead();
      const trX = trIdx.map((i) => X[i]);
      head.fit(trX, trY, { nClasses: C - 1 });
      const evalProbs = head.predictProba(evIdx.map((i) => X[i]));
      const evalUnknown = evIdx.map((i) => y[i] === u);
      if (opts.thresholdSource === 'heldout') {
        const evKnown = evIdx.map((_, j) => j).filter((j) => !evalUnknown[j]);
        cases.push({ thresholdProbs: evKnown.map((j) => evalProbs[j]), thresholdLabels: Int32Array.from(evKnown, (j) => map(y[evIdx[j]])), evalProbs, evalUnknown });
      } else {
        cases.push({ thresholdProbs: head.predictProba(trX), thresholdLabels: trY, evalProbs, evalUnknown });
      }
    }
  }
  if (cases.length === 0) throw new Error('no usable tuning case (too few groups or samples)');
  return cases;
}

/** simulateUnknownCases + tuneEpsilonRho. */
export function chooseEpsilonRho(
  X: Rows,
  y: Labels,
  groups: readonly (string | null)[] | null,
  makeHead: () => Head,
  opts: SimulateOptions & { grid?: TuneGrid; muRule?: MuRule } = {},
): TuneResult {
  return tuneEpsilonRho(simulateUnknownCases(X, y, groups, makeHead, opts), opts.grid, { muRule: opts.muRule });
}

/**
 * Out-of-fold probabilities of every row: for each fold, a fresh head fitted on the other folds predicts it.
 * The triplet statistics (eqs. 1-3) computed from these are those of clips the head has not seen, less
 * over-confident than its own training probabilities. `foldOf[i]` is row i's fold (0..k-1).
 */
export function outOfFoldProbabilities(X: Rows, y: Labels, foldOf: ArrayLike<number>, nClasses: number, makeHead: () => Head, opts: { shouldAbort?: () => boolean } = {}): Float64Array[] {
  const n = X.length;
  const out = new Array<Float64Array>(n);
  const k = Math.max(...Array.from(foldOf)) + 1;
  for (let f = 0; f < k; f++) {
    if (opts.shouldAbort?.()) throw new Error('cancelled');
    const tr: number[] = [];
    const ev: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? ev : tr).push(i);
    if (ev.length === 0) continue;
    if (tr.length === 0) throw new Error('out-of-fold probabilities need at least 2 non-empty folds');
    const h = makeHead();
    h.fit(tr.map((i) => X[i]), Int32Array.from(tr, (i) => y[i]), { nClasses });
    h.predictProba(ev.map((i) => X[i])).forEach((p, j) => (out[ev[j]] = p));
  }
  return out;
}

/** The inner folds `simulateUnknownCases` uses for the same groups, folds and seed (so both see one split). */
export function innerFolds(n: number, groups: readonly (string | null)[] | null, opts: { folds?: number; seed?: number } = {}): Int32Array {
  return assignFolds(n, groups, opts.folds ?? 3, makeRng(opts.seed ?? 7));
}

function assignFolds(n: number, groups: readonly (string | null)[] | null, k: number, rng: () => number): Int32Array {
  const fold = new Int32Array(n);
  const distinct = groups ? [...new Set(groups.filter((g): g is string => g !== null))] : [];
  if (groups && distinct.length >= 2) {
    shuffleInPlace(distinct, rng);
    const kk = Math.min(k, distinct.length);
    const of = new Map(distinct.map((g, i) => [g, i % kk]));
    // Clips without a group are spread over the folds at random.
    for (let i = 0; i < n; i++) fold[i] = groups[i] === null ? Math.floor(rng() * kk) : of.get(groups[i] as string)!;
    return fold;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, rng);
  order.forEach((i, r) => (fold[i] = r % k));
  return fold;
}
