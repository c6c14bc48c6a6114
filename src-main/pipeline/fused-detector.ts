// The studio's unknown flag (issue 12): the fused detector `eodn evaluate` measured best over every pair of
// unknowns (docs/eval/README.md) — the mean of the calibrated ranks of MSP, OpenMax and Mahalanobis, each
// z-scored within its speaker, thresholded on simulated unknowns through the flag-rate guard — fitted at train
// time by the one implementation in engine/detectors/fusion.ts, on the project's labelled known clips.
//
// Inner folds: over the project's speakers (each known class held out in turn); with one speaker (or clips
// without one), the stratified folds pipeline/cross-validate.ts deals (`assignFolds`), each fold playing a
// speaker. The fitted state (members under the detection head, rank references, threshold) is stored in the
// model bundle (`fusedDetector`), so a version's flags can be re-scored identically after it is reloaded.
//
// Per-clip normalisation: each clip's member scores are z-scored with the statistics over its speaker's clips
// in the project (every embedded clip, labelled or not: no label is used). A speaker with fewer than
// FUSION_MIN_SPEAKER_CLIPS (10) clips, and clips without a speaker, are z-scored with the statistics of all the
// project's clips instead. Each prediction records its fused score, that normalisation and whether it is
// flagged (a DetectorVerdict with `flags: true` in the decision's JSON, first among the stored verdicts).
//
// A version without the state (made before it, with fewer than 3 known classes, or whose fit failed) falls
// back to the triplet rule: `unknownDetectorOf` says so, with the reason, and Discover groups its triplet unknowns.
import type { DetectorVerdict, UnknownDetectorInfo } from '../../shared/api';
import type { Decision } from '../../shared/domain';
import { detectorInput } from '../engine/detectors';
import { fitFusedDetector, FUSION_DISPLAY_NAME, FUSION_MIN_SPEAKER_CLIPS, FusedDetector, type FusedDetectorJSON } from '../engine/detectors/fusion';
import { Head, type HeadSettings } from '../engine/odn';
import { assignFolds } from './cross-validate';
import { cancelRequested, checkCancelled } from './project-data';
import type { RunHooks } from './types';

export { FUSION_DISPLAY_NAME };

/** The inner folds of the simulations (as `eodn evaluate`'s default) and their seed. */
export const FUSION_INNER_FOLDS = 3;
const FUSION_SEED = 7;

/** The triplet rule's name where it flags (versions without a fused detector). */
export const TRIPLET_DISPLAY_NAME = 'the triplet rule (paper, eqs. 1-3)';

export interface FusedFit {
  detector: FusedDetector | null;
  /** Why there is none (the triplet rule then flags). */
  reason?: string;
}

/** A training or fine-tune asked for the triplet rule (`unknownDetector: 'triplet'`): no fit. */
export const TRIPLET_ASKED: FusedFit = { detector: null, reason: 'the training asked for the triplet rule (no fused detector fitted)' };

/**
 * Fits the fused detector on the labelled known clips X (standardized), y, under the detection head `head`
 * (fresh heads with `settings` in the simulations). Never fails training: without it the triplet rule flags.
 */
export function fitStudioFusedDetector(
  X: readonly Float32Array[],
  y: Int32Array,
  speakers: readonly (string | null)[],
  nClasses: number,
  head: Head,
  settings: HeadSettings,
  hooks: RunHooks = {},
): FusedFit {
  if (nClasses < 3) return { detector: null, reason: 'it needs at least 3 known classes (one is held out in turn as the simulated unknown)' };
  const folds = assignFolds(y, speakers, nClasses, FUSION_INNER_FOLDS);
  if (!folds) return { detector: null, reason: 'too few labelled clips for inner folds' };
  const bySpeaker = folds.scheme === 'leave-one-speaker-out';
  const groups = bySpeaker ? speakers.map((s) => s as string) : Array.from(folds.fold, (f) => `fold-${f}`);
  try {
    const detector = fitFusedDetector(X, y, groups, speakers, nClasses, () => new Head(settings), head, {
      innerFolds: FUSION_INNER_FOLDS,
      seed: FUSION_SEED,
      minSpeakerClips: FUSION_MIN_SPEAKER_CLIPS,
      folds: bySpeaker ? 'speakers' : 'stratified',
      shouldAbort: () => cancelRequested(hooks),
    });
    return { detector };
  } catch (e) {
    checkCancelled(hooks);
    return { detector: null, reason: `its fit failed: ${(e as Error).message}` };
  }
}

/**
 * The fused detector's verdict on every row of standardized features Z, scored together (the per-speaker
 * statistics are over these rows: every clip of the project), under the head it was fitted with.
 */
export function fusedVerdicts(detector: FusedDetector, head: Head, Z: readonly Float32Array[], speakers: readonly (string | null)[]): DetectorVerdict[] {
  if (Z.length === 0) return [];
  const { scores, rows } = detector.score(detectorInput(head, Z), speakers);
  const threshold = detector.calibration.threshold;
  return Array.from(scores, (score, i) => ({
    name: FUSION_DISPLAY_NAME,
    score,
    threshold,
    unknown: score > threshold,
    flags: true,
    normalisation: rows[i],
  }));
}

/** The bundle's fused detector, or null (older versions, or none could be fitted). */
export function loadFusedDetector(bundle: { fusedDetector?: FusedDetectorJSON }): FusedDetector | null {
  return bundle.fusedDetector ? FusedDetector.fromJSON(bundle.fusedDetector) : null;
}

/** The state as stored in a bundle. */
export function fusedDetectorJSON(fit: FusedFit): { fusedDetector?: FusedDetectorJSON } {
  return fit.detector ? { fusedDetector: fit.detector.toJSON() } : {};
}

/** What flags a version's unknowns, for its metrics (the Models view). `flagged`: clips of the project it flags. */
export function unknownDetectorInfo(fit: FusedFit, flagged: number): UnknownDetectorInfo {
  const d = fit.detector;
  if (!d) return { name: 'triplet', label: TRIPLET_DISPLAY_NAME, reason: `no fused detector: ${fit.reason ?? 'none was fitted'}`, flagged };
  const c = d.calibration;
  return {
    name: 'fusion',
    label: FUSION_DISPLAY_NAME,
    threshold: c.threshold,
    fallback: c.fallback,
    poolFlagged: c.poolFlagged,
    f1: c.poolF1,
    auroc: c.poolAuroc,
    simulatedCases: d.info.simulatedCases,
    innerFolds: d.info.innerFolds,
    folds: d.info.folds,
    minSpeakerClips: d.info.minSpeakerClips,
    flagged,
  };
}

/** A version's unknown detector from its metrics; versions made before it was recorded: the triplet rule. */
export function unknownDetectorOf(metrics: { unknownDetector?: UnknownDetectorInfo } | null | undefined): UnknownDetectorInfo {
  return metrics?.unknownDetector ?? { name: 'triplet', label: TRIPLET_DISPLAY_NAME, reason: 'this version was made before the fused detector was stored' };
}

/** The flagging detector's verdict stored with a decision (none in versions without a fused detector). */
export function fusedVerdictOf(d: Decision): DetectorVerdict | undefined {
  const v = (d as { detectors?: DetectorVerdict[] }).detectors;
  return Array.isArray(v) ? v.find((x) => x.flags) : undefined;
}

/** Clips flagged by the fused detector among stored predictions. */
export function countFusedFlags(preds: readonly { decision: Decision }[]): number {
  let n = 0;
  for (const p of preds) if (fusedVerdictOf(p.decision)?.unknown) n++;
  return n;
}
