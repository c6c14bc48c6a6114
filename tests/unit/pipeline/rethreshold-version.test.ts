// New ε, ρ on a stored version: the preview re-decides every prediction from its stored probabilities (no
// model run) and counts the moves; applying writes version n+1 (parent n, same head) and leaves n untouched.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecisionCounts, ThresholdPreview } from '../../../shared/api';
import { decide, withEpsilonRho, type TripletThresholds } from '../../../src-main/engine/odn';
import { PipelineError } from '../../../src-main/pipeline';
import { applyThresholds, DECISION_KINDS, kindOf, previewThresholds } from '../../../src-main/pipeline/rethreshold-version';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';
import { addSyntheticVersion, KNOWN } from './synthetic-version';

let store: ProjectStore;
const sum = (c: DecisionCounts) => DECISION_KINDS.reduce((a, k) => a + c[k], 0);
const rowSum = (p: ThresholdPreview, from: keyof DecisionCounts) => DECISION_KINDS.reduce((a, k) => a + p.transitions[from][k], 0);
const colSum = (p: ThresholdPreview, to: keyof DecisionCounts) => DECISION_KINDS.reduce((a, k) => a + p.transitions[k][to], 0);

beforeAll(async () => {
  store = ProjectStore.create(join(tempDir('eodn-rethreshold-'), 'demo.eodn'), { name: 'demo' });
  expect((await importDataset(store, DEMO_MANIFEST)).added).toBe(80);
});

describe('previewThresholds / applyThresholds', () => {
  it('refuses without a model', () => {
    expect(() => previewThresholds(store, { epsilon: 0.5, rho: 0.5 })).toThrow(PipelineError);
  });

  it('changes nothing at the version own ε, ρ', () => {
    const v = addSyntheticVersion(store);
    const p = previewThresholds(store, { epsilon: 0.7, rho: 0.5 });
    expect(p).toMatchObject({ versionId: v.id, predicted: 80, changed: 0, current: { epsilon: 0.7, rho: 0.5 } });
    expect(p.after).toEqual(p.before);
    for (const k of DECISION_KINDS) expect(p.transitions[k][k]).toBe(p.before[k]);
    // The generated heads give a spread of decisions, so the moves below mean something.
    expect(p.before.accepted).toBeGreaterThan(5);
    expect(p.before.unknown + p.before['ambiguous-unknown']).toBeGreaterThan(5);
  });

  it('counts moves that add up and match a decision made from scratch', () => {
    const p = previewThresholds(store, { epsilon: 0.4, rho: 1.5 });
    expect(sum(p.before)).toBe(80);
    expect(sum(p.after)).toBe(80);
    for (const k of DECISION_KINDS) {
      expect(rowSum(p, k)).toBe(p.before[k]);
      expect(colSum(p, k)).toBe(p.after[k]);
    }
    // η does not depend on ε, ρ: nothing enters or leaves "accepted".
    expect(p.after.accepted).toBe(p.before.accepted);
    expect(p.changed).toBeGreaterThan(0);
    const version = store.getModelVersion(p.versionId);
    const t = withEpsilonRho(version.thresholds as TripletThresholds, 0.4, 1.5);
    const expected = { accepted: 0, 'ambiguous-accepted': 0, 'ambiguous-unknown': 0, unknown: 0 };
    for (const pred of store.listPredictions(p.versionId)) expected[decide(pred.probs, t, KNOWN).kind]++;
    expect(p.after).toEqual(expected);
    expect(p.thresholds.map((x) => x.mu)).toEqual(t.classes.map((c) => c.mu));
  });

  it('decides every clip as decide() does, for every μ rule', () => {
    const version = store.getModelVersion(store.activeModelVersionId()!);
    const preds = store.listPredictions(version.id);
    for (const [eps, rho] of [[0.05, 0.1], [0.4, 1.5], [0.7, 0.5], [1, 3]]) {
      const t = withEpsilonRho(version.thresholds as TripletThresholds, eps, rho);
      for (const muRule of ['top1', 'min', 'max'] as const) {
        for (const p of preds) {
          const d = decide(p.probs, t, KNOWN, { muRule });
          expect(kindOf(d, t, muRule)).toBe(d.kind);
        }
      }
    }
  });

  it('ε → 0 sends nothing to unknown by μ; a higher ε sends more', () => {
    const low = previewThresholds(store, { epsilon: 1e-6, rho: 0.5 });
    expect(low.after.unknown).toBe(0);
    for (const k of DECISION_KINDS) if (k !== 'unknown') expect(low.transitions[k].unknown).toBe(0);
    const high = previewThresholds(store, { epsilon: 1, rho: 0.5 });
    expect(high.after.unknown).toBeGreaterThan(low.before.unknown);
    expect(high.after.unknown + high.after['ambiguous-unknown']).toBeGreaterThanOrEqual(low.before.unknown + low.before['ambiguous-unknown']);
  });

  it('is read-only', () => {
    const before = store.listModelVersions().length;
    previewThresholds(store, { epsilon: 0.2, rho: 3 });
    expect(store.listModelVersions()).toHaveLength(before);
  });

  it('applies as a new active version n+1 with parent n, leaving n as it was', () => {
    const v1 = store.getModelVersion(store.activeModelVersionId()!);
    const oldPreds = store.listPredictions(v1.id);
    const preview = previewThresholds(store, { epsilon: 0.4, rho: 1.5 });
    const { version, preview: applied } = applyThresholds(store, { epsilon: 0.4, rho: 1.5 });
    expect(version).toMatchObject({ id: v1.id + 1, parentId: v1.id, classes: KNOWN });
    expect(version.bundle).toEqual(v1.bundle);
    expect(store.activeModelVersionId()).toBe(version.id);
    expect(applied).toEqual(preview);
    expect(version.thresholds).toMatchObject({ epsilon: 0.4, rho: 1.5 });
    expect(version.settings).toMatchObject({ epsilon: 0.4, rho: 1.5, epsilonRhoSource: 'given', rethresholdedFrom: v1.id, muRule: 'top1' });
    expect((version.metrics as { decisions: DecisionCounts }).decisions).toEqual(preview.after);

    const preds = store.listPredictions(version.id);
    expect(preds).toHaveLength(80);
    const counts = { accepted: 0, 'ambiguous-accepted': 0, 'ambiguous-unknown': 0, unknown: 0 };
    for (const p of preds) counts[p.decision.kind]++;
    expect(counts).toEqual(preview.after);
    expect(preds.map((p) => [...p.probs])).toEqual(oldPreds.map((p) => [...p.probs]));
    // The old version keeps its decisions; the library mirrors the new active one.
    expect(store.listPredictions(v1.id).map((p) => p.decision)).toEqual(oldPreds.map((p) => p.decision));
    const unknownRows = store.listClipRows({ offset: 0, limit: 100, filter: { decision: 'ambiguous-unknown' } }).total;
    expect(unknownRows).toBe(preview.after['ambiguous-unknown']);
  });

  it('refuses an apply that changes nothing, and re-thresholds an older version on request', () => {
    const active = store.activeModelVersionId()!;
    expect(() => applyThresholds(store, { epsilon: 0.4, rho: 1.5 })).toThrow(/already uses/);
    const { version } = applyThresholds(store, { versionId: 1, epsilon: 0.9, rho: 0.5, name: 'stricter' });
    expect(version).toMatchObject({ id: active + 1, parentId: 1, name: 'stricter' });
    expect(store.listModelVersions().map((v) => v.id)).toEqual([1, 2, 3]);
  });
});
