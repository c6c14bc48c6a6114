// Model versions and predictions as the API shows them (no weights; thresholds named by class).
import type { ClassThresholdInfo, ClipPrediction, ModelDetails, ModelMetrics, ModelSummary } from '../../shared/api';
import type { TripletThresholds } from '../engine/odn';
import type { ModelVersion, ModelVersionSummary, Prediction } from '../store/models';
import { detectorsOf } from './detector-verdicts';

export function toModelSummary(v: ModelVersionSummary, activeId: number | null): ModelSummary {
  return {
    id: v.id,
    parentId: v.parentId,
    name: v.name,
    createdAt: v.createdAt,
    classes: v.classes,
    active: v.id === activeId,
    settings: (v.settings ?? {}) as Record<string, unknown>,
    metrics: v.metrics as ModelMetrics,
  };
}

export function thresholdInfo(classes: readonly string[], t: unknown): ClassThresholdInfo[] {
  const th = t as TripletThresholds | null;
  if (!th?.classes) return [];
  return th.classes.map((c, i) => ({ name: classes[i], eta: c.eta, mu: c.mu, delta: c.delta }));
}

export function toModelDetails(v: ModelVersion, activeId: number | null): ModelDetails {
  const { bundle: _weights, ...rest } = v;
  const th = v.thresholds as TripletThresholds | null;
  return { ...toModelSummary(rest, activeId), epsilon: th?.epsilon ?? NaN, rho: th?.rho ?? NaN, thresholds: thresholdInfo(v.classes, v.thresholds) };
}

export function toClipPrediction(p: Prediction, v: Pick<ModelVersionSummary, 'id' | 'classes' | 'thresholds'>): ClipPrediction {
  // The verdicts are stored inside the decision's JSON (no schema change); the API shows them beside it.
  const { detectors: _stored, ...decision } = p.decision as Prediction['decision'] & { detectors?: unknown };
  const detectors = detectorsOf(p.decision);
  return {
    clipId: p.clipId,
    versionId: v.id,
    classes: v.classes,
    probabilities: Array.from(p.probs),
    decision,
    thresholds: thresholdInfo(v.classes, v.thresholds),
    pad: p.pad,
    nearest: p.nearest,
    ...(detectors ? { detectors } : {}),
  };
}
