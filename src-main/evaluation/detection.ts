// Unknown-clip detectors for one fold, with thresholds chosen on training speakers only: inner folds over the
// training speakers, each known class in turn held out and playing "unknown" on the held-out speakers (the
// simulated unknowns). Score detectors get the threshold that maximises F1 on the pooled simulated scores;
// the triplet detector keeps the paper's decision rule, either with default ε, ρ or with (ε, ρ) tuned on the
// same simulations. Training-set probabilities are over-confident, so thresholds from them (e.g. a quantile
// of training scores) reject too little; the simulations see held-out clips instead. With thresholdSource
// 'heldout' the triplet statistics (η, margins) themselves come from out-of-fold probabilities too.
import { MahalanobisDetector } from '../engine/detectors/mahalanobis';
import { MspDetector } from '../engine/detectors/msp';
import { OpenMaxDetector } from '../engine/detectors/openmax';
import { thresholdMaxF1 } from '../engine/detectors/threshold';
import { detectorInput } from '../engine/detectors/inputs';
import type { DetectorInput } from '../engine/detectors/types';
import { tripletScore } from '../engine/odn/decide';
import type { Head } from '../engine/odn/head';
import { makeRng, shuffleInPlace } from '../engine/odn/rng';
import type { Rows } from '../engine/odn/rows';
import { computeThresholds, withEpsilonRho, type TripletThresholds } from '../engine/odn/thresholds';
import { outOfFoldProbabilities, tuneEpsilonRho, type TuneCase } from '../engine/odn/tune';
import type { DetectorName } from './settings';

type ScoreName = 'msp' | 'openmax' | 'mahalanobis';
const SCORE_DETECTORS: ScoreName[] = ['msp', 'openmax', 'mahalanobis'];
/** The members of the combined detectors. */
const COMBO: ScoreName[] = ['msp', 'mahalanobis'];
const FUSION: ScoreName[] = ['msp', 'openmax', 'mahalanobis'];

export interface DetectorSuite {
  head: Head;
  /** Thresholds of every detector: a clip is flagged when its score > threshold. */
  thresholds: Record<DetectorName, number>;
  /** (ε, ρ) picked for 'triplet-tuned', and the mean simulated F1 it reached. */
  tuned: { epsilon: number; rho: number; f1: number };
  /** Simulated-unknown cases used (inner folds × held-out classes). */
  simulatedCases: number;
  score(features: Rows): Record<DetectorName, Float64Array>;
}

interface Fitted {
  head: Head;
  msp: MspDetector;
  openmax: OpenMaxDetector;
  mahalanobis: MahalanobisDetector;
  tripletTh: TripletThresholds;
  trainInput: DetectorInput;
}

function fitAll(makeHead: () => Head, X: Rows, y: Int32Array, nClasses: number): Fitted {
  const head = makeHead();
  head.fit(X, y, { nClasses });
  const trainInput = detectorInput(head, X);
  const fit = { ...trainInput, labels: y };
  return {
    head,
    msp: new MspDetector().fit(),
    openmax: new OpenMaxDetector().fit(fit),
    mahalanobis: new MahalanobisDetector().fit(fit),
    tripletTh: computeThresholds(trainInput.probs, y),
    trainInput,
  };
}

function rawScores(f: Fitted, input: DetectorInput): Record<ScoreName, Float64Array> {
  return { msp: f.msp.score(input), openmax: f.openmax.score(input), mahalanobis: f.mahalanobis.score(input) };
}

/** Empirical CDF against a sorted reference (ties count one half): puts different scores on one scale. */
export function ecdf(sortedRef: Float64Array, s: number): number {
  let lo = 0, hi = sortedRef.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (sortedRef[m] < s) lo = m + 1;
    else hi = m;
  }
  let eq = lo;
  while (eq < sortedRef.length && sortedRef[eq] === s) eq++;
  return sortedRef.length ? (lo + (eq - lo) / 2) / sortedRef.length : 0.5;
}

function comboScore(raw: Record<ScoreName, Float64Array>, refs: Record<ScoreName, Float64Array>, members: readonly ScoreName[] = COMBO): Float64Array {
  const n = raw.msp.length;
  return Float64Array.from({ length: n }, (_, i) => members.reduce((a, d) => a + ecdf(refs[d], raw[d][i]), 0) / members.length);
}

/**
 * Fits the head on the known training clips and every detector on top; picks thresholds on simulated unknowns
 * (inner folds over `speakers`). Needs at least 3 known classes; with one training speaker the inner folds split its clips at random.
 */
export function fitDetectorSuite(
  X: Rows,
  y: Int32Array,
  speakers: readonly string[],
  nClasses: number,
  makeHead: () => Head,
  opts: { innerFolds: number; seed: number; thresholdSource?: 'train' | 'heldout' },
): DetectorSuite {
  const heldout = opts.thresholdSource === 'heldout';
  const rng = makeRng(opts.seed);
  // Inner folds over speakers; with a single training speaker, over a seeded random split of its clips.
  if (new Set(speakers).size < 2) {
    const order = speakers.map((_, i) => i);
    shuffleInPlace(order, rng);
    const pseudo = new Array<string>(speakers.length);
    order.forEach((i, r) => (pseudo[i] = `split-${r % opts.innerFolds}`));
    speakers = pseudo;
  }
  const distinct = [...new Set(speakers)];
  shuffleInPlace(distinct, rng);
  const k = Math.min(opts.innerFolds, distinct.length);
  if (k < 2) throw new Error('threshold simulations need at least 2 inner folds');
  if (nClasses < 3) throw new Error('threshold simulations need at least 3 known classes');
  const foldOf = new Map(distinct.map((s, i) => [s, i % k]));
  const pooled: Record<ScoreName, number[]> = { msp: [], openmax: [], mahalanobis: [] };
  const pooledKnown: Record<ScoreName, number[]> = { msp: [], openmax: [], mahalanobis: [] };
  const truth: boolean[] = [];
  const tuneCases: TuneCase[] = [];
  // Out-of-fold probabilities of every known training clip (for 'heldout' triplet statistics).
  const oofProbs = heldout ? outOfFoldProbabilities(X, y, Int32Array.from(speakers, (s) => foldOf.get(s)!), nClasses, makeHead) : null;
  for (let f = 0; f < k; f++) {
    for (let u = 0; u < nClasses; u++) {
      const tr: number[] = [];
      const ev: number[] = [];
      speakers.forEach((s, i) => {
        if (foldOf.get(s) === f) ev.push(i);
        else if (y[i] !== u) tr.push(i);
      });
      if (!ev.some((i) => y[i] === u) || tr.length === 0) continue;
      const map = (c: number) => (c < u ? c : c - 1);
      const trX = tr.map((i) => X[i]);
      const trY = Int32Array.from(tr, (i) => map(y[i]));
      const inner = fitAll(makeHead, trX, trY, nClasses - 1);
      const evInput = detectorInput(inner.head, ev.map((i) => X[i]));
      const raw = rawScores(inner, evInput);
      const isU = ev.map((i) => y[i] === u);
      for (const d of SCORE_DETECTORS)
        raw[d].forEach((v, j) => {
          pooled[d].push(v);
          if (!isU[j]) pooledKnown[d].push(v);
        });
      truth.push(...isU);
      // 'heldout': the statistics come from the held-out known clips themselves (the inner head never saw them).
      const evKnown = ev.map((_, j) => j).filter((j) => !isU[j]);
      tuneCases.push(
        heldout
          ? { thresholdProbs: evKnown.map((j) => evInput.probs[j]), thresholdLabels: Int32Array.from(evKnown, (j) => map(y[ev[j]])), evalProbs: evInput.probs, evalUnknown: isU }
          : { thresholdProbs: inner.trainInput.probs, thresholdLabels: trY, evalProbs: evInput.probs, evalUnknown: isU },
      );
    }
  }
  if (tuneCases.length === 0) throw new Error('no simulated-unknown case could be built');
  const refs = Object.fromEntries(FUSION.map((d) => [d, Float64Array.from(pooledKnown[d]).sort()])) as Record<ScoreName, Float64Array>;
  const pooledRaw = Object.fromEntries(SCORE_DETECTORS.map((d) => [d, Float64Array.from(pooled[d])])) as Record<ScoreName, Float64Array>;
  const tuned = tuneEpsilonRho(tuneCases);
  const thresholds: Record<DetectorName, number> = {
    triplet: 0,
    'triplet-tuned': 0,
    msp: thresholdMaxF1(pooledRaw.msp, truth).threshold,
    openmax: thresholdMaxF1(pooledRaw.openmax, truth).threshold,
    mahalanobis: thresholdMaxF1(pooledRaw.mahalanobis, truth).threshold,
    'msp+mahalanobis': thresholdMaxF1(comboScore(pooledRaw, refs), truth).threshold,
    fusion: thresholdMaxF1(comboScore(pooledRaw, refs, FUSION), truth).threshold,
  };
  const final = fitAll(makeHead, X, y, nClasses);
  const baseTh = oofProbs && oofProbs.every((p) => p !== undefined) ? computeThresholds(oofProbs, y) : final.tripletTh;
  const tunedTh = withEpsilonRho(baseTh, tuned.epsilon, tuned.rho);
  return {
    head: final.head,
    thresholds,
    tuned: { epsilon: tuned.epsilon, rho: tuned.rho, f1: tuned.f1 },
    simulatedCases: tuneCases.length,
    score(features) {
      const input = detectorInput(final.head, features);
      const raw = rawScores(final, input);
      return {
        triplet: Float64Array.from(input.probs, (p) => tripletScore(p, baseTh)),
        'triplet-tuned': Float64Array.from(input.probs, (p) => tripletScore(p, tunedTh)),
        ...raw,
        'msp+mahalanobis': comboScore(raw, refs),
        fusion: comboScore(raw, refs, FUSION),
      };
    },
  };
}
