// The estimate of labels right: of the project's clips, the share whose current label is likely right, from
// the active version's calibrated confidences. An answered clip counts as right (answers count as right: the
// annotator is taken at their word); an unanswered clip counts the calibrated chance that the model's label
// for it is right — for a clip the model calls unknown, its top-1 best guess, the label the simulator's pool
// gives such a clip too (evaluation/simulate/pool-state.ts `poolLabels`); a clip with neither counts 0.
// Imported labels count once answered: until then the review queue holds the clip and it counts by the model.
// The calibration map is fitted on the version's held-out predictions (cross-validate.ts); a version made
// without cross-validation keeps its parent's map (`inheritCalibration`), and with no map at all the raw
// top-1 probability counts, and the estimate says so (`calibrated: false`).
import type { ConfidenceCalibration, LabelsEstimate, ModelMetrics } from '../../shared/api';
import { DECISION_KINDS, type Decision } from '../../shared/domain';
import { applyCalibration } from '../engine/metrics';
import { isUnknown } from '../engine/odn';
import type { ProjectStore } from '../store/project-store';

/** The decision kinds that give no label (the model calls the clip unknown). */
const UNKNOWN_KINDS = DECISION_KINDS.filter((kind) => isUnknown({ kind } as Decision));

/** A version's calibration map, if it has one (versions made before it was recorded have none). */
export function calibrationOf(metrics: unknown): ConfidenceCalibration | null {
  const c = (metrics as Partial<ModelMetrics> | null)?.calibration;
  return c && Array.isArray(c.map?.p1) && Array.isArray(c.map?.pRight) && c.map.p1.length === c.map.pRight.length ? c : null;
}

/**
 * The calibration a version made without its own held-out predictions keeps: its parent's map, marked with
 * the version that fitted it (null when the parent has none).
 */
export function inheritCalibration(store: ProjectStore, parentId: number | null): ConfidenceCalibration | null {
  if (parentId === null) return null;
  const parent = store.listModelVersions().find((v) => v.id === parentId);
  const c = calibrationOf(parent?.metrics);
  return c && { ...c, inheritedFrom: c.inheritedFrom ?? parentId };
}

/** The calibrated chance that top-1 is right, as a function of p1, under a version's metrics (p1 itself without a map). */
export function calibratedChance(metrics: unknown): (p1: number) => number {
  const c = calibrationOf(metrics);
  return (p1) => applyCalibration(c?.map, p1);
}

export function estimateLabelsRight(store: ProjectStore): LabelsEstimate {
  const counts = store.db
    .prepare(
      `SELECT COUNT(*) AS clips,
              COALESCE(SUM(reviewed = 1 AND current_label IS NOT NULL), 0) AS answered,
              COALESCE(SUM(reviewed = 0 AND active_confidence IS NOT NULL), 0) AS model,
              COALESCE(SUM(reviewed = 0 AND active_decision IN (${UNKNOWN_KINDS.map(() => '?').join(', ')})), 0) AS unknown
       FROM clips`,
    )
    .get(...UNKNOWN_KINDS) as { clips: number; answered: number; model: number; unknown: number };
  const versionId = store.activeModelVersionId();
  const calibration = versionId === null ? null : calibrationOf(store.listModelVersions().find((v) => v.id === versionId)?.metrics);
  let expected = counts.answered;
  if (counts.model > 0) {
    const p1s = store.db.prepare('SELECT active_confidence FROM clips WHERE reviewed = 0 AND active_confidence IS NOT NULL').pluck().all() as number[];
    for (const p of p1s) expected += applyCalibration(calibration?.map, p);
  }
  return {
    share: counts.clips ? expected / counts.clips : 0,
    clips: counts.clips,
    answered: counts.answered,
    modelLabelled: counts.model,
    modelUnknown: counts.unknown,
    unlabelled: counts.clips - counts.answered - counts.model,
    versionId,
    calibrated: calibration !== null,
    ...(calibration
      ? {
          ...(calibration.ece !== null ? { ece: calibration.ece } : {}),
          eceRaw: calibration.eceRaw,
          heldOutClips: calibration.clips,
          ...(calibration.inheritedFrom !== undefined ? { inheritedFrom: calibration.inheritedFrom } : {}),
        }
      : {}),
  };
}
