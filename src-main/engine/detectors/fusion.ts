// The default unknown detector (issue 12, docs/eval/README.md "Detectors over every pair of unknowns"): the mean
// of the calibrated ranks of three scores — MSP, OpenMax and Mahalanobis —, each z-scored within its speaker,
// thresholded on simulated unknowns. This file is the one implementation both `eodn evaluate`
// (evaluation/detection.ts) and the studio's training (pipeline/fused-detector.ts) use:
//   - the inner folds over training speakers and the simulated cases (each known class held out in turn);
//   - fitting the three members on a head's training rows;
//   - per-speaker z-scores (with the studio's rule for a speaker with few clips);
//   - the ranks (`ecdf` against the simulated known clips' scores) and their mean;
//   - the calibration: rank references and the guarded threshold (threshold.ts, `guardedThreshold`);
//   - the fitted state as JSON (`FusedDetector.toJSON` / `fromJSON`): scores are identical after a round trip.
// `fitFusedDetector` runs the whole fit for the three members only (the studio); the evaluation fits every
// detector in the same simulations and calibrates 'fusion' with the same functions.
import { auroc } from '../metrics/ranking';
import type { Head } from '../odn/head';
import { makeRng, shuffleInPlace } from '../odn/rng';
import type { Rows } from '../odn/rows';
import { detectorInput } from './inputs';
import { MahalanobisDetector } from './mahalanobis';
import { MspDetector } from './msp';
import { OpenMaxDetector, type OpenMaxSettings } from './openmax';
import { DEFAULT_THRESHOLD_GUARD, guardedThreshold, StatsAccumulator, zOf, type ThresholdGuard } from './threshold';
import type { DetectorFitInput, DetectorInput } from './types';
import type { Weibull } from './weibull';

/** The members of the default detector, in the order their ranks are summed. */
export const FUSION_MEMBERS = ['msp', 'openmax', 'mahalanobis'] as const;
export type FusionMember = (typeof FUSION_MEMBERS)[number];
/** Its name in reports, the Models view, Review and Discover. */
export const FUSION_DISPLAY_NAME = 'Fusion (MSP + OpenMax + Mahalanobis)';
/**
 * The studio's rule for a speaker with few clips: fewer than this many clips of a speaker in the project (or
 * clips without a speaker) are z-scored with the statistics of all the project's clips instead of their own —
 * a mean and standard deviation of 2-3 scores would move each clip's z-score more than the speaker shift it
 * removes. The evaluation keeps the plain per-speaker rule (its speakers have 35-61 clips).
 */
export const FUSION_MIN_SPEAKER_CLIPS = 10;

// ---------------------------------------------------------------------------------------------------------------
// Per-speaker z-scores

/** How one row was normalised: over its speaker's clips, or (too few of them, or no speaker) over every row. */
export interface RowNormalisation {
  over: 'speaker' | 'all';
  speaker: string | null;
  /** Clips the statistics were computed over. */
  n: number;
  /** Per member, in FUSION_MEMBERS order. */
  mean: number[];
  sd: number[];
}

/**
 * Each member's scores z-scored within each speaker (that speaker's own rows, no label). A speaker with fewer
 * than `minClips` rows, and rows without a speaker, use the statistics of all rows. `minClips` 1 is the plain
 * per-speaker rule (a speaker with one row gets 0: its scores are constant).
 */
export function normaliseMembers(
  raw: Record<FusionMember, ArrayLike<number>>,
  speakers: readonly (string | null)[],
  minClips = 1,
): { z: Record<FusionMember, Float64Array>; rows: RowNormalisation[] } {
  const n = speakers.length;
  const bySpeaker = new Map<string, StatsAccumulator[]>();
  const all = FUSION_MEMBERS.map(() => new StatsAccumulator());
  speakers.forEach((spk, i) => {
    FUSION_MEMBERS.forEach((m, k) => all[k].add(raw[m][i]));
    if (spk === null) return;
    let acc = bySpeaker.get(spk);
    if (!acc) bySpeaker.set(spk, (acc = FUSION_MEMBERS.map(() => new StatsAccumulator())));
    FUSION_MEMBERS.forEach((m, k) => acc![k].add(raw[m][i]));
  });
  const allStats = all.map((a) => a.stats());
  const spkStats = new Map([...bySpeaker].map(([s, acc]) => [s, acc.map((a) => a.stats())]));
  const z = {} as Record<FusionMember, Float64Array>;
  for (const m of FUSION_MEMBERS) z[m] = new Float64Array(n);
  const rows: RowNormalisation[] = speakers.map((spk, i) => {
    const own = spk === null ? undefined : spkStats.get(spk);
    const st = own && own[0].n >= minClips ? own : allStats;
    FUSION_MEMBERS.forEach((m, k) => (z[m][i] = zOf(raw[m][i], st[k])));
    return { over: st === allStats ? 'all' : 'speaker', speaker: spk, n: st[0].n, mean: st.map((s) => s.mean), sd: st.map((s) => s.sd) };
  });
  return { z, rows };
}

// ---------------------------------------------------------------------------------------------------------------
// Ranks and their mean

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

/** The mean of the members' calibrated ranks (each score's ecdf against its member's reference). */
export function rankFusion<K extends string>(scores: Record<K, ArrayLike<number>>, refs: Record<K, Float64Array>, members: readonly K[]): Float64Array {
  const n = scores[members[0]].length;
  return Float64Array.from({ length: n }, (_, i) => members.reduce((a, d) => a + ecdf(refs[d], scores[d][i]), 0) / members.length);
}

/** A member's rank reference: its pooled scores of the simulated known clips (not the held-out class), sorted. */
export function knownReference(pooled: ArrayLike<number>, isUnknown: readonly boolean[]): Float64Array {
  return Float64Array.from(Array.from(pooled).filter((_, i) => !isUnknown[i])).sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Simulated unknowns

export interface InnerFolds {
  /** One group per row: the speakers, or with a single distinct speaker a seeded random split of its rows. */
  groups: string[];
  foldOf: Map<string, number>;
  k: number;
}

/**
 * Inner folds over the training speakers: with a single distinct speaker, a seeded random split of its rows
 * into `innerFolds` groups; the distinct groups are sorted, then shuffled, so the folds depend only on the set
 * of speakers (not on which classes are known), and dealt round-robin over min(innerFolds, groups) folds.
 */
export function innerSpeakerFolds(speakers: readonly string[], innerFolds: number, rng: () => number): InnerFolds {
  let groups = [...speakers];
  if (new Set(speakers).size < 2) {
    const order = speakers.map((_, i) => i);
    shuffleInPlace(order, rng);
    const pseudo = new Array<string>(speakers.length);
    order.forEach((i, r) => (pseudo[i] = `split-${r % innerFolds}`));
    groups = pseudo;
  }
  const distinct = [...new Set(groups)].sort();
  shuffleInPlace(distinct, rng);
  const k = Math.min(innerFolds, distinct.length);
  if (k < 2) throw new Error('threshold simulations need at least 2 inner folds');
  return { groups, foldOf: new Map(distinct.map((s, i) => [s, i % k])), k };
}

/** One simulated case: inner fold `fold`, known class `heldOut` playing unknown. Indices into the rows. */
export interface SimulatedCase {
  fold: number;
  heldOut: number;
  train: number[];
  evaluate: number[];
}

/**
 * Every simulated case, fold by fold, class by class: training rows of the other folds without the held-out
 * class, evaluation rows of the fold (the held-out class among them). A case whose fold has no clip of the
 * held-out class, or that has no training row, is skipped.
 */
export function simulatedCases(folds: InnerFolds, y: ArrayLike<number>, nClasses: number): SimulatedCase[] {
  if (nClasses < 3) throw new Error('threshold simulations need at least 3 known classes');
  const out: SimulatedCase[] = [];
  for (let f = 0; f < folds.k; f++) {
    for (let u = 0; u < nClasses; u++) {
      const train: number[] = [];
      const evaluate: number[] = [];
      folds.groups.forEach((s, i) => {
        if (folds.foldOf.get(s) === f) evaluate.push(i);
        else if (y[i] !== u) train.push(i);
      });
      if (!evaluate.some((i) => y[i] === u) || train.length === 0) continue;
      out.push({ fold: f, heldOut: u, train, evaluate });
    }
  }
  return out;
}

/** Class c of the full label set in a case that held out `u` (the classes above it move down by one). */
export const caseLabel = (c: number, u: number): number => (c < u ? c : c - 1);

// ---------------------------------------------------------------------------------------------------------------
// Members, calibration, the fitted state

export interface FusionMemberDetectors {
  msp: MspDetector;
  openmax: OpenMaxDetector;
  mahalanobis: MahalanobisDetector;
}

/** The three members fitted on a head's training rows (their features, probabilities, logits and labels). */
export function fitFusionMembers(fit: DetectorFitInput): FusionMemberDetectors {
  return { msp: new MspDetector().fit(), openmax: new OpenMaxDetector().fit(fit), mahalanobis: new MahalanobisDetector().fit(fit) };
}

/** The members' raw scores. */
export function memberScores(d: FusionMemberDetectors, input: DetectorInput): Record<FusionMember, Float64Array> {
  return { msp: d.msp.score(input), openmax: d.openmax.score(input), mahalanobis: d.mahalanobis.score(input) };
}

/** What the simulated unknowns fix: the rank references and the guarded threshold, with how they did on the pool. */
export interface FusionCalibration {
  refs: Record<FusionMember, Float64Array>;
  /** Flagged when the fused score > threshold. */
  threshold: number;
  /** The max-F1 threshold was refused by the flag-rate guard and the fallback rule set this one. */
  fallback: boolean;
  /** Share of the pool flagged at `threshold`. */
  poolFlagged: number;
  /** Unknown-F1 and AUROC of the fused score on the pooled simulated cases. */
  poolF1: number;
  poolAuroc: number;
  /** Clips in the pool (a clip counts once per case it was evaluated in) and how many played unknown. */
  poolClips: number;
  poolUnknown: number;
}

/**
 * The rank references (pooled normalised scores of the simulated known clips) and the threshold of the fused
 * score through the flag-rate guard. `pooled`: each member's normalised scores over every simulated case.
 */
export function calibrateFusion(pooled: Record<FusionMember, ArrayLike<number>>, truth: readonly boolean[], guard: ThresholdGuard = DEFAULT_THRESHOLD_GUARD): { fused: Float64Array; calibration: FusionCalibration } {
  const refs = {} as Record<FusionMember, Float64Array>;
  for (const m of FUSION_MEMBERS) refs[m] = knownReference(pooled[m], truth);
  const fused = rankFusion(pooled, refs, FUSION_MEMBERS);
  const g = guardedThreshold(fused, truth, guard);
  return {
    fused,
    calibration: {
      refs,
      threshold: g.threshold,
      fallback: g.fallback,
      poolFlagged: g.flagged,
      poolF1: g.f1,
      poolAuroc: auroc(fused, truth),
      poolClips: truth.length,
      poolUnknown: truth.filter(Boolean).length,
    },
  };
}

/** A fused score, with how its row was normalised. */
export interface FusedScores {
  scores: Float64Array;
  rows: RowNormalisation[];
}

/** The stored state: the calibration's numbers as they are, its rank references as base64 float64. */
export interface FusedDetectorJSON extends Omit<FusionCalibration, 'refs'> {
  format: 'eodn-fusion/1';
  members: FusionMember[];
  scoreNorm: 'per-speaker';
  /** Rows of a speaker with fewer clips are normalised over every row scored together (FUSION_MIN_SPEAKER_CLIPS). */
  minSpeakerClips: number;
  openmax: { settings: OpenMaxSettings; means: (number[] | null)[]; weibulls: (Weibull | null)[] };
  /** Lower triangle of the Cholesky factor (row by row) and L⁻¹μ_c per class, as base64 float64. */
  mahalanobis: { shrinkage: number; d: number; lower: string; whitenedMeans: string[] };
  refs: Record<FusionMember, string>;
  /** Simulated cases (inner folds × held-out classes) and the inner folds' scheme. */
  simulatedCases: number;
  innerFolds: number;
  folds: 'speakers' | 'stratified' | 'random';
}

/** The fitted default detector: members fitted under the deciding head, plus its calibration. */
export class FusedDetector {
  constructor(
    readonly members: FusionMemberDetectors,
    readonly calibration: FusionCalibration,
    readonly info: { minSpeakerClips: number; simulatedCases: number; innerFolds: number; folds: FusedDetectorJSON['folds'] },
  ) {}

  /** The fused score of already normalised member scores. */
  fuse(normalised: Record<FusionMember, ArrayLike<number>>): Float64Array {
    return rankFusion(normalised, this.calibration.refs, FUSION_MEMBERS);
  }

  /**
   * Fused scores of rows scored together: members' raw scores under the head the detector was fitted with,
   * z-scored within each speaker over these rows (`minClips`: the rule for a speaker with few of them).
   */
  score(input: DetectorInput, speakers: readonly (string | null)[], minClips = this.info.minSpeakerClips): FusedScores {
    if (speakers.length !== input.features.length) throw new Error('per-speaker score normalisation needs one speaker per row');
    const { z, rows } = normaliseMembers(memberScores(this.members, input), speakers, minClips);
    return { scores: this.fuse(z), rows };
  }

  toJSON(): FusedDetectorJSON {
    const { openmax, mahalanobis } = this.members;
    const d = mahalanobis.d_;
    const lower = new Float64Array((d * (d + 1)) / 2);
    for (let a = 0, at = 0; a < d; a++) for (let b = 0; b <= a; b++) lower[at++] = mahalanobis.L_[a * d + b];
    const { refs, ...calibration } = this.calibration;
    return {
      format: 'eodn-fusion/1',
      members: [...FUSION_MEMBERS],
      scoreNorm: 'per-speaker',
      minSpeakerClips: this.info.minSpeakerClips,
      openmax: { settings: { ...openmax.settings }, means: openmax.means_.map((m) => (m ? Array.from(m) : null)), weibulls: openmax.weibulls_.map((w) => (w ? { ...w } : null)) },
      mahalanobis: { shrinkage: mahalanobis.shrinkage, d, lower: toBase64(lower), whitenedMeans: mahalanobis.whitenedMeans_.map(toBase64) },
      refs: Object.fromEntries(FUSION_MEMBERS.map((m) => [m, toBase64(refs[m])])) as Record<FusionMember, string>,
      ...calibration,
      simulatedCases: this.info.simulatedCases,
      innerFolds: this.info.innerFolds,
      folds: this.info.folds,
    };
  }

  static fromJSON(j: FusedDetectorJSON): FusedDetector {
    if (j.format !== 'eodn-fusion/1') throw new Error(`unknown fused detector format ${String(j.format)}`);
    const openmax = new OpenMaxDetector(j.openmax.settings);
    openmax.means_ = j.openmax.means.map((m) => (m ? Float64Array.from(m) : null));
    openmax.weibulls_ = j.openmax.weibulls.map((w) => (w ? { ...w } : null));
    const mahalanobis = new MahalanobisDetector({ shrinkage: j.mahalanobis.shrinkage });
    const d = j.mahalanobis.d;
    const lower = fromBase64(j.mahalanobis.lower);
    const L = new Float64Array(d * d);
    for (let a = 0, at = 0; a < d; a++) for (let b = 0; b <= a; b++) L[a * d + b] = lower[at++];
    mahalanobis.L_ = L;
    mahalanobis.d_ = d;
    mahalanobis.whitenedMeans_ = j.mahalanobis.whitenedMeans.map(fromBase64);
    const refs = Object.fromEntries(FUSION_MEMBERS.map((m) => [m, fromBase64(j.refs[m])])) as Record<FusionMember, Float64Array>;
    return new FusedDetector(
      { msp: new MspDetector(), openmax, mahalanobis },
      { refs, threshold: j.threshold, fallback: j.fallback, poolFlagged: j.poolFlagged, poolF1: j.poolF1, poolAuroc: j.poolAuroc, poolClips: j.poolClips, poolUnknown: j.poolUnknown },
      { minSpeakerClips: j.minSpeakerClips, simulatedCases: j.simulatedCases, innerFolds: j.innerFolds, folds: j.folds },
    );
  }
}

function toBase64(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(s: string): Float64Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The whole fit (the studio)

export interface FitFusedOptions {
  innerFolds: number;
  seed: number;
  guard?: ThresholdGuard;
  /** The studio's rule for a speaker with few clips (FUSION_MIN_SPEAKER_CLIPS); 1: the plain per-speaker rule. */
  minSpeakerClips?: number;
  /** How `groups` were made (recorded in the state). */
  folds?: FusedDetectorJSON['folds'];
  shouldAbort?: () => boolean;
}

/**
 * Fits the default detector. `groups`: what the inner folds are made over (the training speakers, or fold
 * labels); `speakers`: what the per-speaker z-scores group by (null: no speaker). Simulated cases: for each
 * inner fold and each known class, a fresh head (`makeHead`) on the other folds' clips without that class,
 * its members fitted on those clips, the fold's clips scored and z-scored per speaker; the pool fixes the rank
 * references and the guarded threshold. Then the members are fitted under `finalHead` on every row.
 */
export function fitFusedDetector(
  X: Rows,
  y: Int32Array,
  groups: readonly string[],
  speakers: readonly (string | null)[],
  nClasses: number,
  makeHead: () => Head,
  finalHead: Head,
  opts: FitFusedOptions,
): FusedDetector {
  const minClips = opts.minSpeakerClips ?? 1;
  const folds = innerSpeakerFolds(groups, opts.innerFolds, makeRng(opts.seed));
  const cases = simulatedCases(folds, y, nClasses);
  if (cases.length === 0) throw new Error('no simulated-unknown case could be built');
  const pooled: Record<FusionMember, number[]> = { msp: [], openmax: [], mahalanobis: [] };
  const truth: boolean[] = [];
  for (const c of cases) {
    if (opts.shouldAbort?.()) throw new Error('cancelled');
    const trY = Int32Array.from(c.train, (i) => caseLabel(y[i], c.heldOut));
    const trX = c.train.map((i) => X[i]);
    const head = makeHead();
    head.fit(trX, trY, { nClasses: nClasses - 1 });
    const members = fitFusionMembers({ ...detectorInput(head, trX), labels: trY });
    const raw = memberScores(members, detectorInput(head, c.evaluate.map((i) => X[i])));
    const { z } = normaliseMembers(raw, c.evaluate.map((i) => speakers[i]), minClips);
    for (const m of FUSION_MEMBERS) pooled[m].push(...z[m]);
    truth.push(...c.evaluate.map((i) => y[i] === c.heldOut));
  }
  const { calibration } = calibrateFusion(pooled, truth, opts.guard);
  const members = fitFusionMembers({ ...detectorInput(finalHead, X), labels: y });
  return new FusedDetector(members, calibration, { minSpeakerClips: minClips, simulatedCases: cases.length, innerFolds: folds.k, folds: opts.folds ?? 'speakers' });
}
