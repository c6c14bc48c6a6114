// New ε, ρ for an existing version without running any model: η and the mean margins do not depend on ε, ρ
// (eqs. 1-3), so the thresholds follow from `withEpsilonRho` and each clip's decision from its stored
// probabilities. `previewThresholds` only counts, fast enough for a slider on large projects: it reads just
// each stored decision's top-1 index and top-1/top-2 probabilities (all the rule of `decide` looks at) and
// applies the same rule without building Decision objects (50,000 clips: ≈0.25 s instead of ≈3 s).
// `applyThresholds` writes a NEW version (same bundle, parent = the source) with predictions re-decided by
// `decide` itself, since versions are never overwritten.
import type { DecisionCounts, DecisionMatrix, ThresholdPreview } from '../../shared/api';
import { DECISION_KINDS, type Decision, type DecisionKind } from '../../shared/domain';
import { decide, decisionKind, ruleThresholds, withEpsilonRho, type MuRule, type TripletThresholds } from '../engine/odn';
import type { ModelVersion, NewPrediction, Prediction } from '../store/models';
import type { ProjectStore } from '../store/project-store';
import { detectorsOf } from './detector-verdicts';
import { countDecisions, emptyDecisionCounts } from './model-bundle';
import { PipelineError, projectClips } from './project-data';
import { saveVersion } from './save-version';
import { flaggedCount, outsideStats } from './train-model';
import type { ModelMetrics } from './types';
import { thresholdInfo } from './views';

/** Re-exported beside the counts it orders; the one list lives in shared/domain.ts. */
export { DECISION_KINDS };

export interface ThresholdRequest {
  /** Default: the active version. */
  versionId?: number;
  epsilon: number;
  rho: number;
}

interface Redecided {
  version: ModelVersion;
  thresholds: TripletThresholds;
  preview: ThresholdPreview;
  predictions: NewPrediction[];
}

export function previewThresholds(store: ProjectStore, req: ThresholdRequest): ThresholdPreview {
  const { version, old, thresholds, muRule } = resolve(store, req);
  const same = thresholds.epsilon === old.epsilon && thresholds.rho === old.rho;
  const transitions = emptyMatrix();
  const before = emptyDecisionCounts();
  const after = emptyDecisionCounts();
  const rows = store.db
    .prepare(
      `SELECT decision_kind AS kind, json_extract(decision, '$.top1') AS top1, json_extract(decision, '$.p1') AS p1, json_extract(decision, '$.p2') AS p2
       FROM predictions WHERE model_version_id = ?`,
    )
    .all(version.id) as DecisionNumbers[];
  for (const r of rows) {
    const kind = same ? r.kind : kindOf(r, thresholds, muRule);
    transitions[r.kind][kind]++;
    before[r.kind]++;
    after[kind]++;
  }
  return summarise(version, old, thresholds, rows.length, before, after, transitions);
}

/**
 * The checks `applyThresholds` makes before any work (a model, triplet thresholds, ε and ρ that differ from the
 * version's own), cheap enough for the main process to answer a bad request at once instead of from a worker.
 */
export function checkThresholdRequest(store: ProjectStore, req: ThresholdRequest): void {
  const { version, old, thresholds } = resolve(store, req);
  if (thresholds.epsilon === old.epsilon && thresholds.rho === old.rho) {
    throw new PipelineError(`version ${version.id} already uses ε = ${thresholds.epsilon}, ρ = ${thresholds.rho}`);
  }
}

/** Writes version n+1 (parent n, same bundle, new ε, ρ and decisions) and makes it active. */
export function applyThresholds(store: ProjectStore, req: ThresholdRequest & { name?: string }): { version: ModelVersion; preview: ThresholdPreview } {
  checkThresholdRequest(store, req);
  const r = redecide(store, req);
  const { epsilon, rho } = r.thresholds;
  const settings = { ...(r.version.settings as Record<string, unknown>), epsilon, rho, epsilonRhoSource: 'given', rethresholdedFrom: r.version.id };
  const old = r.version.metrics as ModelMetrics;
  // The fused detector's flags do not depend on ε, ρ (kept with the verdicts); the triplet rule's count does.
  const unknownDetector = old.unknownDetector?.name === 'triplet' ? { ...old.unknownDetector, flagged: flaggedCount(false, r.predictions) } : old.unknownDetector;
  const metrics: ModelMetrics = {
    ...old,
    decisions: r.preview.after,
    labelledOutside: outsideStats(projectClips(store), r.version.classes, r.predictions),
    ...(unknownDetector ? { unknownDetector } : {}),
  };
  const version = saveVersion(store, {
    parentId: r.version.id,
    name: req.name?.trim() || `#${r.version.id} with ε = ${fmt(epsilon)}, ρ = ${fmt(rho)}`,
    classes: r.version.classes,
    bundle: r.version.bundle,
    thresholds: r.thresholds,
    settings,
    metrics,
    predictions: r.predictions,
    activate: true,
  });
  return { version, preview: { ...r.preview, versionId: r.version.id } };
}

function redecide(store: ProjectStore, req: ThresholdRequest): Redecided {
  const { version, old, thresholds, muRule } = resolve(store, req);
  const same = thresholds.epsilon === old.epsilon && thresholds.rho === old.rho;
  const stored = store.listPredictions(version.id);
  const transitions = emptyMatrix();
  const predictions: NewPrediction[] = stored.map((p) => {
    // The other detectors' verdicts do not depend on ε, ρ: they are kept as they were.
    const kept = detectorsOf(p.decision);
    const redecide = () => decide(exactProbs(p), thresholds, version.classes, { muRule });
    const decision = same ? p.decision : kept ? { ...redecide(), detectors: kept } : redecide();
    transitions[p.decision.kind][decision.kind]++;
    return { clipId: p.clipId, probs: p.probs, decision, pad: p.pad, nearest: p.nearest };
  });
  const preview = summarise(version, old, thresholds, stored.length, countDecisions(stored), countDecisions(predictions), transitions);
  return { version, thresholds, preview, predictions };
}

interface Resolved {
  version: ModelVersion;
  old: TripletThresholds;
  thresholds: TripletThresholds;
  muRule: MuRule;
}

function resolve(store: ProjectStore, req: ThresholdRequest): Resolved {
  const id = req.versionId ?? store.activeModelVersionId();
  if (id === null) throw new PipelineError('there is no model yet: train one first');
  const version = store.getModelVersion(id);
  const old = version.thresholds as TripletThresholds | null;
  if (!old?.classes || old.classes.length !== version.classes.length) throw new PipelineError(`model version ${id} has no triplet thresholds`);
  let thresholds: TripletThresholds;
  try {
    thresholds = withEpsilonRho(old, req.epsilon, req.rho);
  } catch (e) {
    throw new PipelineError((e as Error).message);
  }
  const muRule = ((version.settings as { muRule?: MuRule } | null)?.muRule ?? 'top1') as MuRule;
  return { version, old, thresholds, muRule };
}

function summarise(
  version: ModelVersion,
  old: TripletThresholds,
  thresholds: TripletThresholds,
  predicted: number,
  before: DecisionCounts,
  after: DecisionCounts,
  transitions: DecisionMatrix,
): ThresholdPreview {
  let changed = 0;
  for (const a of DECISION_KINDS) for (const b of DECISION_KINDS) if (a !== b) changed += transitions[a][b];
  return {
    versionId: version.id,
    classes: version.classes,
    current: { epsilon: old.epsilon, rho: old.rho },
    proposed: { epsilon: thresholds.epsilon, rho: thresholds.rho },
    thresholds: thresholdInfo(version.classes, thresholds),
    predicted,
    before,
    after,
    transitions,
    changed,
  };
}

interface DecisionNumbers {
  kind: DecisionKind;
  top1: number;
  p1: number;
  p2: number;
}

/** The rule of `decide` (engine/odn/decide.ts, `decisionKind`) on a decision's stored numbers. */
export function kindOf(d: DecisionNumbers, t: TripletThresholds, muRule: MuRule): DecisionKind {
  return decisionKind(d.p1, d.p2, ruleThresholds(t, d.top1, muRule));
}

/**
 * Probabilities are stored as float32 but the decision kept the float64 top-1 and top-2 values it was made
 * from: putting those back keeps a clip that sat exactly on a threshold from flipping on rounding alone.
 */
function exactProbs(p: Prediction): Float64Array {
  const out = Float64Array.from(p.probs);
  const d: Decision = p.decision;
  if (Number.isInteger(d.top1) && d.top1 >= 0 && d.top1 < out.length) out[d.top1] = d.p1;
  if (Number.isInteger(d.top2) && d.top2 >= 0 && d.top2 < out.length && d.top2 !== d.top1) out[d.top2] = d.p2;
  return out;
}

function emptyMatrix(): DecisionMatrix {
  return Object.fromEntries(DECISION_KINDS.map((k) => [k, emptyDecisionCounts()])) as DecisionMatrix;
}

const fmt = (x: number) => String(Math.round(x * 1000) / 1000);
