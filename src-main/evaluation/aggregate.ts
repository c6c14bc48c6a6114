// Folds → the report: every metric pooled over all test clips of all folds (each clip is tested once in
// leave-one-speaker-out), so small folds do not get the weight of large ones.
import { binaryPRF, microF1, unweightedAccuracy, weightedAccuracy } from '../engine/metrics/classification';
import { flagUnknown, thresholdMaxF1 } from '../engine/detectors/threshold';
import { auroc } from '../engine/metrics/ranking';
import { cccPad } from '../engine/metrics/regression';
import { padDistance } from '../engine/pad/project';
import { padTable } from '../../shared/pad-tables';
import { groupFlaggedClips, type DiscoveryGroupsReport } from './discovery-groups';
import type { FoldResult } from './fold';
import { termFor } from './pad-naming';
import { DETECTORS, LABELLING_VARIANTS, type DetectorName, type EvaluationSettings, type LabellingVariant } from './settings';

/** The settings echoed into the report, with what the run adds. */
export type ReportSettings = EvaluationSettings & { encoder?: string; dataset?: string; embedSeconds?: number };

export interface Accuracy {
  wa: number;
  ua: number;
  micro_f1: number;
}

/**
 * One incremental mode scored two more ways. unseen: only on the test clips the fine-tuning did not use
 * (automatic: not a member of a cluster that became a class; confirmed: not among the flagged clips the
 * annotator labelled), `clips` of them, pooled over folds. dataset_labels: the labels the dataset ends up with,
 * every clip the annotator labelled counting as right (confirmed: flagged clips their true label, the others
 * the fine-tuned head's prediction; automatic: no decision, every clip its prediction), after `decisions`
 * answers of the annotator.
 */
export interface IncrementalAccuracy extends Accuracy {
  unseen: Accuracy & { clips: number };
  dataset_labels: Accuracy & { decisions: number };
}

export interface EvaluationReport {
  folds: number;
  clips: number;
  unknown_clips: number;
  /** fallback_folds: test speakers of the folds whose threshold the flag-rate guard refused (detection.ts). */
  unknown_detection: Record<DetectorName, DetectionMetrics>;
  unknown_labelling: Record<LabellingVariant, { pad_word_accuracy: number; mean_pad_distance: number; clips: number; ccc?: { p: number; a: number; d: number; mean: number } }>;
  /**
   * Discovery's groups (discovery-groups.ts): every fold's flagged clips pooled and grouped as the studio does;
   * purity three ways and the decisions they take. automatic_clusters: the per-fold k-means clusters the
   * automatic mode turns into classes; purity: share of flagged clips in their cluster's majority true label,
   * every known class a label of its own; purity_known_pooled: all known classes as one label "known";
   * purity_unknown_only: over the truly unknown flagged clips only.
   */
  unknown_discovery: { detector: DetectorName } & DiscoveryGroupsReport & {
    automatic_clusters: {
      clusters: number;
      purity: number;
      purity_known_pooled: number;
      purity_unknown_only: number;
      true_word_in_top3: number;
      clusters_with_unknown_majority: number;
    };
  };
  /** automatic and confirmed as measured before (every test clip, the fitted ones included), plus unseen and dataset_labels. */
  after_incremental: { automatic: IncrementalAccuracy; automatic_mapped: Accuracy; confirmed: IncrementalAccuracy };
  known_only_baseline: Accuracy & { wa_known_clips: number };
  /** unseen_confirmed: the closed-set head on the same clips as after_incremental.confirmed.unseen. */
  closed_set_baseline: Accuracy & { unseen_confirmed: Accuracy & { clips: number } };
  new_classes: { automatic: Record<string, number>; confirmed: Record<string, number> };
  per_fold: {
    speakers: string[];
    clips: number;
    unknown: number;
    detector_f1: number;
    automatic_ua: number;
    confirmed_ua: number;
    /** UA on the fold's test clips the mode's fine-tuning did not use (NaN when it used them all). */
    automatic_unseen_ua: number;
    confirmed_unseen_ua: number;
    epsilon: number;
    rho: number;
  }[];
  settings: ReportSettings;
  seconds: number;
}

/** WA, UA and micro-F1 (over the classes present in the truth) of string labels. */
export function accuracyOf(truth: readonly string[], pred: readonly string[]): Accuracy {
  const names = [...new Set([...truth, ...pred])];
  const idx = new Map(names.map((n, i) => [n, i]));
  const t = truth.map((n) => idx.get(n)!);
  const p = pred.map((n) => idx.get(n)!);
  const present = [...new Set(t)];
  return { wa: weightedAccuracy(t, p), ua: unweightedAccuracy(t, p), micro_f1: microF1(t, p, present) };
}

const flat = <T>(folds: readonly FoldResult[], f: (r: FoldResult) => readonly T[]): T[] => folds.flatMap((r) => [...f(r)]);

type Mode = 'automatic' | 'confirmed';
const NONE: Accuracy = { wa: NaN, ua: NaN, micro_f1: NaN };

/** Test indices of one fold the mode's fine-tuning did not use. */
export function unseenClips(r: FoldResult, mode: Mode): number[] {
  const fitted = new Set(r.fitted[mode]);
  return r.truth.map((_, i) => i).filter((i) => !fitted.has(i));
}

/** The fold's final labels in a mode: the annotator's answers (true labels) where there are some, else the head's prediction. */
export function datasetLabels(r: FoldResult, mode: Mode): string[] {
  const answered = new Set(mode === 'confirmed' ? r.fitted.confirmed : []);
  return r.predictions[mode].map((p, i) => (answered.has(i) ? r.truth[i] : p));
}

/** Accuracy of `pred` on the chosen clips of each fold, pooled; NaN when no clip is chosen. */
function accuracyOn(folds: readonly FoldResult[], pred: (r: FoldResult) => readonly string[], pick: (r: FoldResult) => number[]): Accuracy & { clips: number } {
  const t: string[] = [];
  const p: string[] = [];
  for (const r of folds) {
    const pr = pred(r);
    for (const i of pick(r)) {
      t.push(r.truth[i]);
      p.push(pr[i]);
    }
  }
  return { ...(t.length ? accuracyOf(t, p) : NONE), clips: t.length };
}

function incrementalAccuracy(folds: readonly FoldResult[], truth: readonly string[], mode: Mode): IncrementalAccuracy {
  return {
    ...accuracyOf(truth, flat(folds, (r) => r.predictions[mode])),
    unseen: accuracyOn(folds, (r) => r.predictions[mode], (r) => unseenClips(r, mode)),
    dataset_labels: { ...accuracyOf(truth, flat(folds, (r) => datasetLabels(r, mode))), decisions: mode === 'confirmed' ? folds.reduce((a, r) => a + r.fitted.confirmed.length, 0) : 0 },
  };
}

export interface DetectionMetrics {
  f1: number;
  precision: number;
  recall: number;
  auroc: number;
  flagged: number;
  fallback_folds: string[];
  /**
   * A ceiling, not a result: the pooled F1 when each fold's threshold is the one that is best on its own test
   * clips' labels. No rule that thresholds these scores can beat it, so it says whether the scores or the
   * threshold hold a detector back.
   */
  f1_ceiling: number;
}

/**
 * A fold's flags at the threshold that is best on its own test labels (`thresholdMaxF1`): the F1 ceiling's. A
 * fold without unknown clips flags nothing, the best it can do for the pooled F1.
 */
export function ceilingFlags(scores: ArrayLike<number>, isUnknown: readonly boolean[]): boolean[] {
  return isUnknown.some(Boolean) ? flagUnknown(scores, thresholdMaxF1(scores, isUnknown).threshold) : isUnknown.map(() => false);
}

/** One detector's metrics over folds: P, R, F1 pooled over every test clip; AUROC per fold, averaged. */
export function detectionMetrics(folds: readonly Pick<FoldResult, 'detection' | 'isUnknown' | 'testSpeakers'>[], d: DetectorName): DetectionMetrics {
  const isU = folds.flatMap((r) => r.isUnknown);
  const flagged = folds.flatMap((r) => r.detection[d].flagged);
  const prf = binaryPRF(isU, flagged);
  // AUROC per fold (scores of different folds' models are not on one scale), averaged over folds with both kinds.
  const per = folds.map((r) => auroc(r.detection[d].scores, r.isUnknown)).filter((v) => Number.isFinite(v));
  return {
    f1: prf.f1,
    precision: prf.precision,
    recall: prf.recall,
    auroc: per.length ? per.reduce((a, b) => a + b, 0) / per.length : NaN,
    flagged: prf.tp + prf.fp,
    fallback_folds: folds.filter((r) => r.detection[d].fallback).map((r) => r.testSpeakers.join('+')),
    f1_ceiling: binaryPRF(isU, folds.flatMap((r) => ceilingFlags(r.detection[d].scores, r.isUnknown))).f1,
  };
}

export function aggregate(folds: readonly FoldResult[], settings: ReportSettings, opts: { seconds: number; padLabels?: boolean }): EvaluationReport {
  if (folds.length === 0) throw new Error('no folds to aggregate');
  const truth = flat(folds, (r) => r.truth);
  const isU = flat(folds, (r) => r.isUnknown);
  const unknown_detection = {} as EvaluationReport['unknown_detection'];
  for (const d of DETECTORS) unknown_detection[d] = detectionMetrics(folds, d);
  const unknown_labelling = {} as EvaluationReport['unknown_labelling'];
  for (const v of LABELLING_VARIANTS) {
    const correct = flat(folds, (r) => r.labelling[v].correct);
    const pads = flat(folds, (r) => r.labelling[v].pads);
    const truePads = flat(folds, (r) => r.labelling[v].truePads);
    const n = correct.length;
    unknown_labelling[v] = {
      pad_word_accuracy: n ? correct.filter(Boolean).length / n : NaN,
      mean_pad_distance: n ? pads.reduce((a, p, i) => a + padDistance(p, truePads[i]), 0) / n : NaN,
      clips: n,
      ...(opts.padLabels && n > 1 ? { ccc: cccPad(truePads, pads) } : {}),
    };
  }
  // Discovery: purity = share of flagged clips in their cluster's majority label (see the type for all three).
  let flaggedN = 0, majoritySum = 0, pooledSum = 0, unknownN = 0, unknownMajSum = 0, clusters = 0, withUnknown = 0, wordHit = 0;
  const majority = (labels: string[]) => {
    const counts = new Map<string, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  };
  const table = padTable(settings.padTable);
  for (const r of folds)
    for (const c of r.discovery) {
      clusters++;
      flaggedN += c.members.length;
      const [maj, m] = majority(c.members.map((i) => r.truth[i]));
      majoritySum += m;
      pooledSum += majority(c.members.map((i) => (r.isUnknown[i] ? r.truth[i] : 'known')))[1];
      const unk = c.members.filter((i) => r.isUnknown[i]).map((i) => r.truth[i]);
      unknownN += unk.length;
      unknownMajSum += majority(unk)[1];
      if (!r.knownClasses.includes(maj)) {
        withUnknown++;
        if (c.words.includes(termFor(maj, table)?.name ?? '\u0000')) wordHit++;
      }
    }
  const acc = (k: keyof FoldResult['predictions']) => accuracyOf(truth, flat(folds, (r) => r.predictions[k]));
  const knownOnly = acc('knownOnly');
  const knownClipsTruth = truth.filter((_, i) => !isU[i]);
  const knownClipsPred = flat(folds, (r) => r.predictions.knownOnly).filter((_, i) => !isU[i]);
  const count = (xs: string[]) => xs.reduce<Record<string, number>>((o, x) => ((o[x] = (o[x] ?? 0) + 1), o), {});
  return {
    folds: folds.length,
    clips: truth.length,
    unknown_clips: isU.filter(Boolean).length,
    unknown_detection,
    unknown_labelling,
    unknown_discovery: {
      detector: settings.detector,
      ...groupFlaggedClips(folds, { cut: settings.groupCut, minGroupSize: settings.minGroupSize, seed: settings.seed }),
      automatic_clusters: {
        clusters,
        purity: flaggedN ? majoritySum / flaggedN : NaN,
        purity_known_pooled: flaggedN ? pooledSum / flaggedN : NaN,
        purity_unknown_only: unknownN ? unknownMajSum / unknownN : NaN,
        true_word_in_top3: withUnknown ? wordHit / withUnknown : NaN,
        clusters_with_unknown_majority: withUnknown,
      },
    },
    after_incremental: { automatic: incrementalAccuracy(folds, truth, 'automatic'), automatic_mapped: acc('automaticMapped'), confirmed: incrementalAccuracy(folds, truth, 'confirmed') },
    known_only_baseline: { ...knownOnly, wa_known_clips: weightedAccuracy(knownClipsTruth.map((_, i) => i), knownClipsPred.map((p, i) => (p === knownClipsTruth[i] ? i : -1))) },
    closed_set_baseline: { ...acc('closedSet'), unseen_confirmed: accuracyOn(folds, (r) => r.predictions.closedSet, (r) => unseenClips(r, 'confirmed')) },
    new_classes: {
      automatic: count(folds.flatMap((r) => r.newClasses.automatic.map((c) => `${c.label ? `${c.word}=${c.label}` : c.word} (mostly ${c.majority})`))),
      confirmed: count(folds.flatMap((r) => r.newClasses.confirmed)),
    },
    per_fold: folds.map((r) => ({
      speakers: r.testSpeakers,
      clips: r.truth.length,
      unknown: r.isUnknown.filter(Boolean).length,
      detector_f1: binaryPRF(r.isUnknown, r.detection[settings.detector].flagged).f1,
      automatic_ua: accuracyOf(r.truth, r.predictions.automatic).ua,
      confirmed_ua: accuracyOf(r.truth, r.predictions.confirmed).ua,
      automatic_unseen_ua: accuracyOn([r], (x) => x.predictions.automatic, (x) => unseenClips(x, 'automatic')).ua,
      confirmed_unseen_ua: accuracyOn([r], (x) => x.predictions.confirmed, (x) => unseenClips(x, 'confirmed')).ua,
      epsilon: r.tuned.epsilon,
      rho: r.tuned.rho,
    })),
    settings,
    seconds: opts.seconds,
  };
}
