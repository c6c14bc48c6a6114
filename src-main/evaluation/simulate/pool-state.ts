// The pool's labels as the studio holds them: an answered clip has the annotator's label, any other clip the
// active model's label when the model accepted it (an "unknown" clip has none); and the base model's view of
// each pool clip, which the baselines start from.
import type { ClipRow, DecisionKind } from '../../../shared/domain';
import { calibratedChance, calibrationOf } from '../../pipeline/labels-estimate';
import type { ProjectStore } from '../../store/project-store';
import type { PoolLabels } from './ledger';

/** The library rows of the pool's clips (current label, reviewed or not, decision, confidence). */
export function poolRows(store: ProjectStore, pool: readonly number[]): Map<number, ClipRow> {
  const want = new Set(pool);
  const rows = store.listClipRows({ offset: 0, limit: 1_000_000 }).rows.filter((r) => want.has(r.id));
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The label each pool clip has now: the annotator's answer, else the active model's — its accepted label, or
 * for a clip it calls unknown its best guess (top-1), which the curator has not confirmed either way. `rows`:
 * the pool's library rows when the caller has just read them (`poolRows`).
 */
export function poolLabels(store: ProjectStore, pool: readonly number[], rows: Map<number, ClipRow> = poolRows(store, pool)): PoolLabels {
  const activeId = store.activeModelVersionId();
  const classes = activeId === null ? [] : store.getModelVersion(activeId).classes;
  const model = new Map(activeId === null ? [] : store.listPredictions(activeId, pool).map((p) => [p.clipId, p.decision.label ?? classes[p.decision.top1] ?? null]));
  return pool.map((id) => {
    const r = rows.get(id);
    return r?.reviewed ? r.currentLabel : (model.get(id) ?? null);
  });
}

export interface ModelView {
  id: number;
  /** The model's top-1 class, whatever its decision (what a closed-set classifier would say). */
  top1: string;
  p1: number;
  /** The calibrated chance that top1 is right (the version's map of p1, pipeline/labels-estimate.ts; p1 without one). */
  pRight: number;
  /** Whether the version had a calibration map (else pRight is p1). */
  calibrated: boolean;
  kind: DecisionKind;
  /** The decision's label: top1 when accepted, null when the model calls the clip unknown. */
  label: string | null;
  /** Nearest PAD table words to the clip's eq. 4 point (eq. 5), nearest first. */
  nearest: string[];
}

/** The active model's view of the pool, in pool order. */
export function modelView(store: ProjectStore, pool: readonly number[]): ModelView[] {
  const activeId = store.activeModelVersionId();
  if (activeId === null) throw new Error('the fold has no model');
  const version = store.getModelVersion(activeId);
  const classes = version.classes;
  const chance = calibratedChance(version.metrics);
  const calibrated = calibrationOf(version.metrics) !== null;
  const byId = new Map(store.listPredictions(activeId, pool).map((p) => [p.clipId, p]));
  return pool.map((id) => {
    const p = byId.get(id);
    if (!p) throw new Error(`clip ${id} has no prediction`);
    return { id, top1: classes[p.decision.top1], p1: p.decision.p1, pRight: chance(p.decision.p1), calibrated, kind: p.decision.kind, label: p.decision.label, nearest: p.nearest.map((n) => n.name) };
  });
}
