// The model pipeline on the 80 real demo clips: train → version 1 with predictions for every clip;
// fine-tune with the fear clips → version 2 (6 classes, parent 1); activate 1 again → rollback.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addClassAndFinetune, CancelledError, PipelineError, toClipPrediction, trainModel, type ModelMetrics, type PipelineProgress } from '../../../src-main/pipeline';
import { applyThresholds } from '../../../src-main/pipeline/rethreshold-version';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

const KNOWN = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
let store: ProjectStore;

const rows = () => store.listClipRows({ offset: 0, limit: 1000 }).rows;
const idsOf = (label: string) => rows().filter((r) => r.currentLabel === label).map((r) => r.id);

beforeAll(async () => {
  store = ProjectStore.create(join(tempDir('eodn-pipeline-'), 'demo.eodn'), { name: 'demo' });
  const report = await importDataset(store, DEMO_MANIFEST);
  expect(report.added).toBe(80);
});

describe('trainModel', () => {
  it('refuses what it cannot train', async () => {
    await expect(trainModel(store, { known: ['anger'] })).rejects.toThrow(PipelineError);
    await expect(trainModel(store, { known: ['anger', 'contempt'] })).rejects.toThrow(/contempt/);
    await expect(addClassAndFinetune(store, { name: 'fear', clipIds: idsOf('fear') })).rejects.toThrow(/train one first/);
    expect(store.listModelVersions()).toHaveLength(0);
  });

  it('stops when cancelled and writes nothing', async () => {
    let epochs = 0;
    const run = trainModel(store, {
      known: KNOWN,
      shouldAbort: () => epochs >= 3,
      onProgress: (p) => {
        if (p.stage === 'fit' || p.stage === 'cross-validate') epochs++;
      },
    });
    await expect(run).rejects.toThrow(CancelledError);
    expect(store.listModelVersions()).toHaveLength(0);
    expect(store.activeModelVersionId()).toBeNull();
  });

  it('trains on the known classes and predicts every clip of the project', async () => {
    const progress: PipelineProgress[] = [];
    const v = await trainModel(store, { known: KNOWN, onProgress: (p) => progress.push(p) });
    expect(v).toMatchObject({ id: 1, parentId: null, classes: KNOWN });
    expect(store.activeModelVersionId()).toBe(1);
    const stages = [...new Set(progress.map((p) => p.stage))];
    expect(stages).toEqual(['prepare', 'embed', 'standardize', 'cross-validate', 'fit', 'thresholds', 'predict', 'save']);
    const fit = progress.filter((p) => p.stage === 'fit');
    // Both heads (detection, then label) in one stage: 150 epochs each, progress never restarting.
    expect(fit.at(-1)).toMatchObject({ epoch: 300, done: 300, total: 300 });
    expect(fit.every((p, i) => i === 0 || p.done >= fit[i - 1].done)).toBe(true);
    expect(fit.every((p) => Number.isFinite(p.loss) && p.accuracy! >= 0 && p.accuracy! <= 1)).toBe(true);

    const m = v.metrics as ModelMetrics;
    expect(m.nTrain).toBe(57);
    expect(m.perClass).toEqual({ anger: 12, boredom: 12, happiness: 12, neutral: 12, sadness: 9 });
    expect(m.cv).toMatchObject({ scheme: 'leave-one-speaker-out', folds: 2, clips: 57 });
    // Two speakers and ~28 clips per fold: far from chance (0.2), far from perfect.
    expect(m.cv!.accuracy).toBeGreaterThan(0.35);
    expect(m.trainAccuracy).toBeGreaterThan(0.9);
    // The calibration map of p1, fitted on the same held-out clips (the estimate of labels right reads it).
    expect(m.calibration).toMatchObject({ clips: 57, scheme: 'leave-one-speaker-out' });
    expect(m.calibration!.inheritedFrom).toBeUndefined();
    expect(m.calibration!.map.p1.length).toBe(m.calibration!.map.pRight.length);
    expect(m.calibration!.ece).not.toBeNull();
    expect(m.predicted).toBe(80);
    expect(Object.values(m.decisions).reduce((a, b) => a + b, 0)).toBe(80);
    // Disgust and fear were never seen: the thresholds should call most of them unknown.
    expect(m.labelledOutside.n).toBe(23);
    expect(m.labelledOutside.calledUnknown).toBeGreaterThan(11);

    const preds = store.listPredictions(1);
    expect(preds).toHaveLength(80);
    for (const p of preds) {
      expect(p.probs).toHaveLength(5);
      expect([...p.probs].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(p.pad).toHaveLength(3);
      expect(p.nearest).toHaveLength(3);
      // Known classes' own words are left out of the suggestions.
      expect(p.nearest.map((n) => n.name)).not.toContain('Anger');
    }
    const th = v.thresholds as { epsilon: number; rho: number; classes: { eta: number; mu: number; delta: number }[] };
    expect(th.epsilon).toBe(0.7);
    expect(th.classes).toHaveLength(5);
    for (const c of th.classes) expect(c.mu).toBeCloseTo(0.7 * c.eta, 10);
    // The active decision is copied onto every clip row.
    expect(rows().every((r) => r.decision !== null && r.confidence !== null)).toBe(true);
  });

  it("stores the other detectors' verdicts with every prediction and shows them beside the decision", () => {
    const v = store.getModelVersion(1);
    const preds = store.listPredictions(1);
    let flaggedKnown = 0, knownN = 0;
    const outside = new Set([...idsOf('disgust'), ...idsOf('fear')]);
    for (const p of preds) {
      const shown = toClipPrediction(p, v);
      expect(shown.decision).not.toHaveProperty('detectors');
      const names = shown.detectors!.map((d) => d.name);
      expect(names).toEqual(expect.arrayContaining(['MSP', 'Mahalanobis']));
      for (const d of shown.detectors!) {
        expect(Number.isFinite(d.score) && Number.isFinite(d.threshold)).toBe(true);
        expect(d.unknown).toBe(d.score > d.threshold);
      }
      const msp = shown.detectors!.find((d) => d.name === 'MSP')!;
      expect(msp.score).toBeCloseTo(1 - Math.max(...shown.probabilities), 4);
      if (!outside.has(p.clipId)) {
        knownN++;
        if (msp.unknown) flaggedKnown++;
      }
    }
    // Thresholds at the 0.95-quantile of the training clips' scores: few known clips (all of them training clips) flagged.
    expect(flaggedKnown / knownN).toBeLessThanOrEqual(0.1);
    const bundle = v.bundle as { detectors: { name: string; threshold: number }[] };
    expect(bundle.detectors.map((d) => d.name)).toEqual(expect.arrayContaining(['MSP', 'Mahalanobis']));
  });

  it('grows the head with a new class (eq. 6), fine-tunes, and writes version 2 with parent 1', async () => {
    const fear = idsOf('fear');
    expect(fear).toHaveLength(12);
    const v2 = await addClassAndFinetune(store, { name: 'fear', clipIds: fear, annotator: 'tester' });
    expect(v2).toMatchObject({ id: 2, parentId: 1, classes: [...KNOWN, 'fear'] });
    expect(store.activeModelVersionId()).toBe(2);
    expect(store.getModelVersion(1).classes).toEqual(KNOWN); // version 1 untouched
    const m = v2.metrics as ModelMetrics;
    const m1 = store.getModelVersion(1).metrics as ModelMetrics;
    // Forgetting and learning are held-out (issue 10): per speaker, a head trained, grown and fine-tuned on
    // the other speaker's clips scores this one's, so no figure comes from clips its head was fitted on.
    expect(m.forgetting).toMatchObject({ nNew: 12, heldOut: { scheme: 'leave-one-speaker-out', folds: 2, knownClips: 57, newClips: 12 } });
    expect(m.forgetting!.knownAccuracyBefore).toBeCloseTo(m1.cv!.accuracy, 10);
    expect(m.forgetting!.knownAccuracyAfter).toBeGreaterThan(0.4);
    // The version's own head recognises the fear clips it was fine-tuned on (the old, training-clip figure);
    // a head fine-tuned on one speaker's fear clips recognises the other speaker's far less often.
    const ownRecall = store.listPredictions(2, fear).filter((p) => p.probs.indexOf(Math.max(...p.probs)) === 5).length / fear.length;
    expect(ownRecall).toBeGreaterThan(0.8);
    expect(m.forgetting!.newClassAccuracy).toBeLessThan(ownRecall);
    expect(m.cv).toMatchObject({ scheme: 'leave-one-speaker-out', folds: 2, clips: 69 });
    // Its own calibration map, from the grown heads' held-out folds (every class, the new one included).
    expect(m.calibration).toMatchObject({ clips: 69, scheme: 'leave-one-speaker-out' });
    expect(m.calibration!.inheritedFrom).toBeUndefined();
    expect((v2.settings as { finetune: { newClassPad: number[]; padSource: string } }).finetune).toMatchObject({ newClassPad: [-0.93, 1.3, -0.64], padSource: 'table' });
    expect((v2.thresholds as { classes: unknown[] }).classes).toHaveLength(6);
    const preds = store.listPredictions(2);
    expect(preds).toHaveLength(80);
    expect(preds.every((p) => p.probs.length === 6)).toBe(true);
    // The detectors are refitted for the grown head: MSP follows the 6-class probabilities.
    for (const p of preds) {
      const msp = toClipPrediction(p, v2).detectors!.find((d) => d.name === 'MSP')!;
      expect(msp.score).toBeCloseTo(1 - Math.max(...p.probs), 4);
    }
    // The fear clips already carried the label from import: no annotation needed.
    expect(store.clipHistory(fear[0])).toEqual([]);
    await expect(addClassAndFinetune(store, { name: 'fear', clipIds: fear })).rejects.toThrow(/already has the class/);
  });

  it('labels clips of the new class that carried another label, as the annotator\'s answer', async () => {
    const disgust = idsOf('disgust');
    const v3 = await addClassAndFinetune(store, { name: 'loathing', pad: [-2, 0.5, 0.5], clipIds: disgust, annotator: 'tester', activate: false });
    expect(v3).toMatchObject({ id: 3, parentId: 2, classes: [...KNOWN, 'fear', 'loathing'] });
    expect(store.activeModelVersionId()).toBe(2);
    expect(store.clipHistory(disgust[0]).at(-1)).toMatchObject({ action: 'new-class', label: 'loathing', annotator: 'tester', modelVersionId: 2 });
    expect(store.classes().find((c) => c.name === 'loathing')).toMatchObject({ origin: 'discovered', pad: [-2, 0.5, 0.5] });
    expect(idsOf('disgust')).toEqual([]);
  });

  it('rolls back by activating version 1 again', () => {
    store.setActiveModelVersion(1);
    const v1 = new Map(store.listPredictions(1).map((p) => [p.clipId, p.decision.kind]));
    for (const r of rows()) expect(r.decision).toBe(v1.get(r.id));
    expect(store.listModelVersions().map((v) => v.id)).toEqual([1, 2, 3]);
  });

  it('keeps the parent\'s calibration map, marked inherited, when trained without cross-validation', async () => {
    const v = await trainModel(store, { known: KNOWN, crossValidate: false, activate: false });
    const m = v.metrics as ModelMetrics;
    const m1 = store.getModelVersion(1).metrics as ModelMetrics;
    expect(m.cv).toBeNull();
    expect(m.calibration).toEqual({ ...m1.calibration, inheritedFrom: 1 });
  });

  it("keeps the detectors' verdicts when new ε, ρ re-decide a version (they do not depend on ε, ρ)", () => {
    const v4 = applyThresholds(store, { versionId: 1, epsilon: 0.5, rho: 0.3 }).version;
    const before = new Map(store.listPredictions(1).map((p) => [p.clipId, toClipPrediction(p, store.getModelVersion(1)).detectors]));
    for (const p of store.listPredictions(v4.id)) expect(toClipPrediction(p, v4).detectors).toEqual(before.get(p.clipId));
    // The same head gives the same p1: its calibration map carries over as it is.
    expect((v4.metrics as ModelMetrics).calibration).toEqual((store.getModelVersion(1).metrics as ModelMetrics).calibration);
  });
});
