// Unknown-clip detectors for one fold, with thresholds chosen on training speakers only: inner folds over the
// training speakers, each known class in turn held out and playing "unknown" on the held-out speakers (the
// simulated unknowns). Score detectors get the threshold that maximises F1 on the pooled simulated scores,
// unless that threshold flags less than 5 % or more than 80 % of the pool (it then flags (nearly) nothing or
// everything): the fallback is the threshold flagging 15 % of the pool's known clips (engine/detectors/
// threshold.ts, `guardedThreshold`), and the fold records that it fell back. The triplet detector keeps the
// paper's decision rule, either with default ε, ρ or with (ε, ρ) tuned on the same simulations. Training-set
// probabilities are over-confident, so thresholds from them (e.g. a quantile of training scores) reject too
// little; the simulations see held-out clips instead. With thresholdSource 'heldout' the triplet statistics
// (η, margins) themselves come from out-of-fold probabilities too. With scoreNorm 'per-speaker' every score
// detector's scores are z-scored within each speaker (that speaker's own clips, no label) before thresholds.
import { ClassGaussianDetector } from '../engine/detectors/class-gaussian';
import { EnergyDetector } from '../engine/detectors/energy';
import { KnnDetector } from '../engine/detectors/knn';
import { MahalanobisDetector } from '../engine/detectors/mahalanobis';
import { MspDetector } from '../engine/detectors/msp';
import { TemperatureMspDetector, fitTemperature } from '../engine/detectors/msp-temperature';
import { OpenMaxDetector } from '../engine/detectors/openmax';
import { DEFAULT_THRESHOLD_GUARD, guardedThreshold, zScoreBySpeaker, type ThresholdGuard } from '../engine/detectors/threshold';
import { detectorInput } from '../engine/detectors/inputs';
import type { DetectorInput, UnknownDetector } from '../engine/detectors/types';
import { VimDetector } from '../engine/detectors/vim';
import { auroc } from '../engine/metrics/ranking';
import { tripletScore } from '../engine/odn/decide';
import type { Head } from '../engine/odn/head';
import { makeRng, shuffleInPlace } from '../engine/odn/rng';
import type { Rows } from '../engine/odn/rows';
import { computeThresholds, withEpsilonRho, type TripletThresholds } from '../engine/odn/thresholds';
import { outOfFoldProbabilities, tuneEpsilonRho, type TuneCase } from '../engine/odn/tune';
import { DEFAULT_DETECTOR_SETTINGS, type DetectorName, type DetectorSettings } from './settings';

/** Detectors with a score of their own (every one but the triplet rules and the rank averages). */
export const SCORE_DETECTORS = ['msp', 'msp-t', 'energy', 'openmax', 'mahalanobis', 'gaussian-pca', 'knn', 'vim'] as const;
export type ScoreName = (typeof SCORE_DETECTORS)[number];
/** The members of the fixed combined detectors. */
const COMBO: ScoreName[] = ['msp', 'mahalanobis'];
const FUSION: ScoreName[] = ['msp', 'openmax', 'mahalanobis'];
/** Detectors whose threshold goes through the flag-rate guard (the triplet rules keep the paper's rule). */
const GUARDED: DetectorName[] = [...SCORE_DETECTORS, 'msp+mahalanobis', 'fusion', 'fusion-auto'];

/** The part of a suite that depends on the score normalisation. */
export interface Calibrated {
  scoreNorm: 'none' | 'per-speaker';
  /** Thresholds of every detector: a clip is flagged when its score > threshold. */
  thresholds: Record<DetectorName, number>;
  /** Detectors whose max-F1 threshold the flag-rate guard refused, so the fallback rule set theirs. */
  fallback: Record<DetectorName, boolean>;
  /** Share of the simulated-unknown pool each detector's threshold flags. */
  poolFlagged: Record<DetectorName, number>;
  /** The members of 'fusion-auto' (best pooled simulated AUROC among single detectors, pairs and triples). */
  fusionMembers: ScoreName[];
  /** Every detector's scores; `speakers` (one per row) is needed with per-speaker score normalisation. */
  score(features: Rows, speakers?: readonly string[]): Record<DetectorName, Float64Array>;
}

export interface DetectorSuite extends Calibrated {
  head: Head;
  /** (ε, ρ) picked for 'triplet-tuned', and the mean simulated F1 it reached. */
  tuned: { epsilon: number; rho: number; f1: number };
  /** The temperature of 'msp-t' (held-out NLL of the simulations' known clips). */
  temperature: number;
  /** Simulated-unknown cases used (inner folds × held-out classes). */
  simulatedCases: number;
  /** With compareNorms: the same fitted detectors under the other score normalisation. */
  alternate?: Calibrated;
}

/** Inner fits by their training rows' ids, with each held-out row's scores once computed. */
export type InnerCache = Map<string, { fitted: Fitted; rows: Map<number, { raw: Record<ScoreName, number>; probs: ArrayLike<number>; logits: ArrayLike<number> }> }>;

interface Fitted {
  head: Head;
  detectors: Record<Exclude<ScoreName, 'msp-t'>, UnknownDetector>;
  tripletTh: TripletThresholds;
  trainInput: DetectorInput;
}

function fitAll(makeHead: () => Head, X: Rows, y: Int32Array, nClasses: number, ds: DetectorSettings): Fitted {
  const head = makeHead();
  head.fit(X, y, { nClasses });
  const trainInput = detectorInput(head, X);
  const fit = { ...trainInput, labels: y };
  return {
    head,
    detectors: {
      msp: new MspDetector().fit(),
      energy: new EnergyDetector().fit(),
      openmax: new OpenMaxDetector().fit(fit),
      mahalanobis: new MahalanobisDetector().fit(fit),
      'gaussian-pca': new ClassGaussianDetector({ dims: ds.gaussianDims, shrinkage: ds.gaussianShrinkage }).fit(fit),
      knn: new KnnDetector({ k: ds.knnK }).fit(fit),
      vim: new VimDetector(head, { varianceFraction: ds.vimVarianceFraction }).fit(fit),
    },
    tripletTh: computeThresholds(trainInput.probs, y),
    trainInput,
  };
}

function rawScores(f: Fitted, input: DetectorInput, temperature: number): Record<ScoreName, Float64Array> {
  const out = {} as Record<ScoreName, Float64Array>;
  for (const d of SCORE_DETECTORS) out[d] = d === 'msp-t' ? new TemperatureMspDetector({ temperature }).score(input) : f.detectors[d].score(input);
  return out;
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

function comboScore(raw: Record<ScoreName, Float64Array>, refs: Record<ScoreName, Float64Array>, members: readonly ScoreName[]): Float64Array {
  const n = raw.msp.length;
  return Float64Array.from({ length: n }, (_, i) => members.reduce((a, d) => a + ecdf(refs[d], raw[d][i]), 0) / members.length);
}

/** Every single detector, pair and triple of SCORE_DETECTORS: the candidates of 'fusion-auto'. */
export function fusionCandidates(): ScoreName[][] {
  const D = SCORE_DETECTORS;
  const out: ScoreName[][] = D.map((d) => [d]);
  for (let a = 0; a < D.length; a++)
    for (let b = a + 1; b < D.length; b++) {
      out.push([D[a], D[b]]);
      for (let c = b + 1; c < D.length; c++) out.push([D[a], D[b], D[c]]);
    }
  return out;
}

/** z-scores each detector's scores within each speaker (or returns them as they are). */
function normalise(raw: Record<ScoreName, Float64Array>, speakers: readonly string[] | null): Record<ScoreName, Float64Array> {
  if (!speakers) return raw;
  const out = {} as Record<ScoreName, Float64Array>;
  for (const d of SCORE_DETECTORS) out[d] = zScoreBySpeaker(raw[d], speakers);
  return out;
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
  opts: {
    innerFolds: number;
    seed: number;
    thresholdSource?: 'train' | 'heldout';
    scoreNorm?: 'none' | 'per-speaker';
    /** Also calibrate the other normalisation on the same fits (`alternate`): measures normalisation at no extra fit. */
    compareNorms?: boolean;
    detectors?: Partial<DetectorSettings>;
    guard?: ThresholdGuard;
    /** Inner fits shared between calls on the same rows (unknown-splits.ts); needs rowIds. Same settings only. */
    innerCache?: InnerCache;
    /** A stable id per row of X (e.g. its index in the dataset), keying innerCache. */
    rowIds?: readonly number[];
  },
): DetectorSuite {
  const heldout = opts.thresholdSource === 'heldout';
  const perSpeaker = opts.scoreNorm === 'per-speaker';
  const ds: DetectorSettings = { ...DEFAULT_DETECTOR_SETTINGS, ...opts.detectors };
  const rng = makeRng(opts.seed);
  // Inner folds over speakers; with a single training speaker, over a seeded random split of its clips.
  if (new Set(speakers).size < 2) {
    const order = speakers.map((_, i) => i);
    shuffleInPlace(order, rng);
    const pseudo = new Array<string>(speakers.length);
    order.forEach((i, r) => (pseudo[i] = `split-${r % opts.innerFolds}`));
    speakers = pseudo;
  }
  // Sorted before the seeded shuffle, so the inner folds depend on the set of speakers only (not on which
  // classes are known): runs over several unknown splits can then share inner fits (innerCache).
  const distinct = [...new Set(speakers)].sort();
  shuffleInPlace(distinct, rng);
  const k = Math.min(opts.innerFolds, distinct.length);
  if (k < 2) throw new Error('threshold simulations need at least 2 inner folds');
  if (nClasses < 3) throw new Error('threshold simulations need at least 3 known classes');
  const foldOf = new Map(distinct.map((s, i) => [s, i % k]));
  const truth: boolean[] = [];
  const tuneCases: TuneCase[] = [];
  // Per simulated case: the held-out clips' raw scores (msp-t's filled in once its temperature is known), logits, speakers.
  const cases: { raw: Record<ScoreName, Float64Array>; input: DetectorInput; speakers: string[] }[] = [];
  const heldLogits: ArrayLike<number>[] = [];
  const heldLabels: number[] = [];
  // Out-of-fold probabilities of every known training clip (for 'heldout' triplet statistics).
  const oofProbs = heldout ? outOfFoldProbabilities(X, y, Int32Array.from(speakers, (s) => foldOf.get(s)!), nClasses, makeHead) : null;
  // One simulated case's inner fit and held-out scores; with innerCache and rowIds, a fit on the same training
  // rows (same ids, hence the same classes and labels) is reused, and only rows not scored before are scored.
  const innerCase = (tr: number[], ev: number[], trX: Rows, trY: Int32Array): { inner: Fitted; evInput: DetectorInput; raw: Record<ScoreName, Float64Array> } => {
    const cache = opts.innerCache && opts.rowIds ? opts.innerCache : null;
    const key = cache ? tr.map((i) => opts.rowIds![i]).join(',') : '';
    let entry = cache?.get(key);
    if (!entry) {
      entry = { fitted: fitAll(makeHead, trX, trY, nClasses - 1, ds), rows: new Map() };
      cache?.set(key, entry);
    }
    const e = entry;
    const inner = e.fitted;
    if (!cache) {
      const evInput = detectorInput(inner.head, ev.map((i) => X[i]));
      return { inner, evInput, raw: rawScores(inner, evInput, 1) };
    }
    const missing = ev.filter((i) => !e.rows.has(opts.rowIds![i]));
    if (missing.length) {
      const input = detectorInput(inner.head, missing.map((i) => X[i]));
      const raw = rawScores(inner, input, 1);
      missing.forEach((i, j) => {
        const r = {} as Record<ScoreName, number>;
        for (const d of SCORE_DETECTORS) r[d] = raw[d][j];
        e.rows.set(opts.rowIds![i], { raw: r, probs: input.probs[j], logits: input.logits[j] });
      });
    }
    const got = ev.map((i) => e.rows.get(opts.rowIds![i])!);
    const raw = {} as Record<ScoreName, Float64Array>;
    for (const d of SCORE_DETECTORS) raw[d] = Float64Array.from(got, (r) => r.raw[d]);
    return { inner, evInput: { features: ev.map((i) => X[i]), probs: got.map((r) => r.probs), logits: got.map((r) => r.logits) }, raw };
  };
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
      const { inner, evInput, raw } = innerCase(tr, ev, trX, trY);
      const isU = ev.map((i) => y[i] === u);
      cases.push({ raw, input: evInput, speakers: ev.map((i) => speakers[i]) });
      truth.push(...isU);
      // The held-out known clips (the inner head never saw them) fit msp-t's temperature.
      isU.forEach((unk, j) => {
        if (unk) return;
        heldLogits.push(evInput.logits[j]);
        heldLabels.push(map(y[ev[j]]));
      });
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
  const temperature = fitTemperature(heldLogits, heldLabels);
  for (const c of cases) c.raw['msp-t'] = new TemperatureMspDetector({ temperature }).score(c.input);
  const tuned = tuneEpsilonRho(tuneCases);
  const final = fitAll(makeHead, X, y, nClasses, ds);
  const baseTh = oofProbs && oofProbs.every((p) => p !== undefined) ? computeThresholds(oofProbs, y) : final.tripletTh;
  const tunedTh = withEpsilonRho(baseTh, tuned.epsilon, tuned.rho);

  // Everything that depends on the score normalisation: the pooled scores, the rank references, fusion-auto's
  // members, the thresholds. Built for the requested normalisation, and for the other one with compareNorms.
  const calibrate = (bySpeaker: boolean): Calibrated => {
    const pooled = {} as Record<ScoreName, Float64Array>;
    for (const d of SCORE_DETECTORS) pooled[d] = new Float64Array(truth.length);
    let at = 0;
    for (const c of cases) {
      const norm = normalise(c.raw, bySpeaker ? c.speakers : null);
      for (const d of SCORE_DETECTORS) pooled[d].set(norm[d], at);
      at += c.speakers.length;
    }
    const refs = {} as Record<ScoreName, Float64Array>;
    for (const d of SCORE_DETECTORS) refs[d] = Float64Array.from(pooled[d].filter((_, i) => !truth[i])).sort();
    // 'fusion-auto': the candidate with the best pooled simulated AUROC (fewer members on a tie).
    let fusionMembers: ScoreName[] = [...COMBO];
    let bestAuc = -Infinity;
    for (const members of fusionCandidates()) {
      const a = auroc(comboScore(pooled, refs, members), truth);
      if (a > bestAuc + 1e-12) {
        bestAuc = a;
        fusionMembers = members;
      }
    }
    const pooledScores: Partial<Record<DetectorName, Float64Array>> = {
      ...pooled,
      'msp+mahalanobis': comboScore(pooled, refs, COMBO),
      fusion: comboScore(pooled, refs, FUSION),
      'fusion-auto': comboScore(pooled, refs, fusionMembers),
    };
    const thresholds = { triplet: 0, 'triplet-tuned': 0 } as Record<DetectorName, number>;
    const fallback = { triplet: false, 'triplet-tuned': false } as Record<DetectorName, boolean>;
    // The triplet rules are not thresholded on the pool (their rule is the paper's), so no pooled share.
    const poolFlagged = { triplet: NaN, 'triplet-tuned': NaN } as Record<DetectorName, number>;
    for (const d of GUARDED) {
      const g = guardedThreshold(pooledScores[d]!, truth, opts.guard ?? DEFAULT_THRESHOLD_GUARD);
      thresholds[d] = g.threshold;
      fallback[d] = g.fallback;
      poolFlagged[d] = g.flagged;
    }
    return {
      scoreNorm: bySpeaker ? 'per-speaker' : 'none',
      thresholds,
      fallback,
      poolFlagged,
      fusionMembers,
      score(features, testSpeakers) {
        if (bySpeaker && (!testSpeakers || testSpeakers.length !== features.length)) throw new Error('per-speaker score normalisation needs one speaker per row');
        const input = detectorInput(final.head, features);
        const raw = normalise(rawScores(final, input, temperature), bySpeaker ? testSpeakers! : null);
        return {
          triplet: Float64Array.from(input.probs, (p) => tripletScore(p, baseTh)),
          'triplet-tuned': Float64Array.from(input.probs, (p) => tripletScore(p, tunedTh)),
          ...raw,
          'msp+mahalanobis': comboScore(raw, refs, COMBO),
          fusion: comboScore(raw, refs, FUSION),
          'fusion-auto': comboScore(raw, refs, fusionMembers),
        };
      },
    };
  };
  return {
    head: final.head,
    tuned: { epsilon: tuned.epsilon, rho: tuned.rho, f1: tuned.f1 },
    temperature,
    simulatedCases: tuneCases.length,
    ...calibrate(perSpeaker),
    alternate: opts.compareNorms ? calibrate(!perSpeaker) : undefined,
  };
}
