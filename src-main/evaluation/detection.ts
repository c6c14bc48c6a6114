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
// The default detector, 'fusion', is the studio's own: its inner folds, simulated cases, members, ranks,
// calibration and scoring come from engine/detectors/fusion.ts, which pipeline/fused-detector.ts fits at training.
import { ClassGaussianDetector } from '../engine/detectors/class-gaussian';
import { EnergyDetector } from '../engine/detectors/energy';
import { KnnDetector } from '../engine/detectors/knn';
import {
  calibrateFusion,
  caseLabel,
  fitFusionMembers,
  FusedDetector,
  innerSpeakerFolds,
  knownReference,
  rankFusion,
  simulatedCases,
  type FusionCalibration,
  type FusionMember,
  type FusionMemberDetectors,
} from '../engine/detectors/fusion';
import { TemperatureMspDetector, fitTemperature } from '../engine/detectors/msp-temperature';
import { DEFAULT_THRESHOLD_GUARD, guardedThreshold, zScoreBySpeaker, type ThresholdGuard } from '../engine/detectors/threshold';
import { detectorInput } from '../engine/detectors/inputs';
import type { DetectorInput, UnknownDetector } from '../engine/detectors/types';
import { VimDetector } from '../engine/detectors/vim';
import { auroc } from '../engine/metrics/ranking';
import { tripletScore } from '../engine/odn/decide';
import type { Head } from '../engine/odn/head';
import { makeRng } from '../engine/odn/rng';
import type { Rows } from '../engine/odn/rows';
import { computeThresholds, withEpsilonRho, type TripletThresholds } from '../engine/odn/thresholds';
import { outOfFoldProbabilities, tuneEpsilonRho, type TuneCase } from '../engine/odn/tune';
import { DEFAULT_DETECTOR_SETTINGS, type DetectorName, type DetectorSettings } from './settings';

/** Detectors with a score of their own (every one but the triplet rules and the rank averages). */
export const SCORE_DETECTORS = ['msp', 'msp-t', 'energy', 'openmax', 'mahalanobis', 'gaussian-pca', 'knn', 'vim'] as const;
export type ScoreName = (typeof SCORE_DETECTORS)[number];
/** The members of the fixed combined detectors. */
const COMBO: ScoreName[] = ['msp', 'mahalanobis'];
/**
 * Detectors whose threshold goes through the flag-rate guard here (the triplet rules keep the paper's rule);
 * 'fusion', the default, is calibrated by engine/detectors/fusion.ts (`calibrateFusion`), the studio's code.
 */
const GUARDED: DetectorName[] = [...SCORE_DETECTORS, 'msp+mahalanobis', 'fusion-auto'];

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
  detectors: FusionMemberDetectors & Record<Exclude<ScoreName, 'msp-t' | FusionMember>, UnknownDetector>;
  tripletTh: TripletThresholds;
  trainInput: DetectorInput;
}

function fitAll(makeHead: () => Head, X: Rows, y: Int32Array, nClasses: number, ds: DetectorSettings): Fitted {
  const head = makeHead();
  head.fit(X, y, { nClasses });
  const trainInput = detectorInput(head, X);
  const fit = { ...trainInput, labels: y };
  // The default detector's members, fitted as the studio fits them.
  const members = fitFusionMembers(fit);
  return {
    head,
    detectors: {
      ...members,
      energy: new EnergyDetector().fit(),
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

/** The ranks' scale (engine/detectors/fusion.ts, shared with the studio). */
export { ecdf } from '../engine/detectors/fusion';

function comboScore(raw: Record<ScoreName, Float64Array>, refs: Record<ScoreName, Float64Array>, members: readonly ScoreName[]): Float64Array {
  return rankFusion(raw, refs, members);
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
  // Inner folds over speakers; with a single training speaker, over a seeded random split of its clips. The
  // folds depend on the set of speakers only (not on which classes are known): runs over several unknown
  // splits can then share inner fits (innerCache). The same folds and cases as the studio's fit.
  const folds = innerSpeakerFolds(speakers, opts.innerFolds, makeRng(opts.seed));
  speakers = folds.groups;
  const foldOf = folds.foldOf;
  const simCases = simulatedCases(folds, y, nClasses);
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
  for (const sim of simCases) {
    const { train: tr, evaluate: ev, heldOut: u } = sim;
    const map = (c: number) => caseLabel(c, u);
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
    for (const d of SCORE_DETECTORS) refs[d] = knownReference(pooled[d], truth);
    // The default detector: the studio's calibration (rank references of its members, guarded threshold).
    const fusion = calibrateFusion(pooled, truth, opts.guard ?? DEFAULT_THRESHOLD_GUARD);
    const fused = fusedDetector(final, fusion.calibration, tuneCases.length, folds.k);
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
      fusion: fusion.fused,
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
    thresholds.fusion = fusion.calibration.threshold;
    fallback.fusion = fusion.calibration.fallback;
    poolFlagged.fusion = fusion.calibration.poolFlagged;
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
          fusion: fused.fuse(raw),
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

/** The default detector as the studio stores it: the final fit's members under the calibration of the simulations. */
function fusedDetector(final: Fitted, calibration: FusionCalibration, simulatedCases: number, innerFolds: number): FusedDetector {
  const { msp, openmax, mahalanobis } = final.detectors;
  return new FusedDetector({ msp, openmax, mahalanobis }, calibration, { minSpeakerClips: 1, simulatedCases, innerFolds, folds: 'speakers' });
}
