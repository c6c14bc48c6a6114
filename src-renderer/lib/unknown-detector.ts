// The detector that flags a version's unknown clips, in words (Models view, Discover): the fused detector
// (src-main/pipeline/fused-detector.ts) with its threshold, whether the flag-rate guard fell back, and its F1 and
// AUROC on the simulated unknowns it was calibrated on; or the triplet rule, with why there is no fused detector.
import type { ModelMetrics, UnknownDetectorInfo } from '../../shared/api';

const TRIPLET: UnknownDetectorInfo = { name: 'triplet', label: 'the triplet rule (paper, eqs. 1-3)', reason: 'this version was made before the fused detector was stored' };

/** A version's flagging detector; versions made before it was recorded: the triplet rule. */
export function unknownDetectorOf(m: Pick<ModelMetrics, 'unknownDetector'>): UnknownDetectorInfo {
  return m.unknownDetector ?? TRIPLET;
}

const num = (x: number | undefined, digits = 3) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

/** "Fusion (MSP + OpenMax + Mahalanobis), threshold 0.612 (max-F1 on the simulations), flags 31 clips". */
export function detectorText(d: UnknownDetectorInfo): string {
  const flagged = d.flagged !== undefined ? `, flags ${d.flagged} clip${d.flagged === 1 ? '' : 's'}` : '';
  if (d.name === 'triplet') return `${capital(d.label)}${flagged}: ${d.reason ?? 'no fused detector'}, so the triplet rule flags unknowns for Discover`;
  const guard = d.fallback
    ? 'the flag-rate guard fell back: the max-F1 threshold flagged under 5 % or over 80 % of the simulations, so it flags 15 % of their known clips'
    : 'max-F1 on the simulations; the flag-rate guard did not fall back';
  return `${d.label}, threshold ${num(d.threshold)} (${guard})${flagged}`;
}

/** "F1 0.512, AUROC 0.771 on simulated unknowns: each known class held out in turn, training speakers' inner folds (…)". */
export function detectorMeasuredText(d: UnknownDetectorInfo): string {
  if (d.name === 'triplet') return 'Not measured on simulated unknowns (the triplet rule keeps the paper\'s thresholds).';
  const folds =
    d.folds === 'speakers'
      ? `${d.innerFolds} folds over the training speakers`
      : `${d.innerFolds} stratified folds of one speaker's clips`;
  const cases = d.simulatedCases !== undefined ? `, ${d.simulatedCases} cases` : '';
  const norm = d.minSpeakerClips !== undefined ? ` Scores z-scored per speaker; a speaker with fewer than ${d.minSpeakerClips} clips uses all the project's clips.` : '';
  // The threshold is picked on the same simulations, so their F1 leans optimistic; AUROC needs no threshold.
  return `Held-out F1 ${num(d.f1)}, AUROC ${num(d.auroc)} on simulated unknowns: each known class held out in turn, training speakers' inner folds (${folds}${cases}). The threshold was chosen on these simulations, so the F1 leans optimistic; the AUROC does not depend on it.${norm}`;
}

/** Discover's header: "31 clips flagged by Fusion (MSP + OpenMax + Mahalanobis)". */
export function flaggedByText(flagged: number, by: { detector: 'fusion' | 'triplet'; label: string; reason?: string; tripletOnly?: number; labelledKnown?: number } | undefined): string {
  const clips = `${flagged} clip${flagged === 1 ? '' : 's'}`;
  if (!by) return `${clips} flagged`;
  const known = by.labelledKnown ? `; ${by.labelledKnown} more flagged already carry a label the model knows, so they are not grouped` : '';
  if (by.detector === 'fusion') {
    const rest = by.tripletOnly ? `; ${by.tripletOnly} more the triplet rule calls unknown are not grouped (they stay in Review)` : '';
    return `${clips} flagged by ${by.label}${known}${rest}`;
  }
  return `${clips} flagged by ${by.label}${by.reason ? ` (no fused detector: ${by.reason})` : ''}${known}`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
