// Two heads on the 80 real demo clips: the version stores a label head (l2 0.001) and a detection head (l2
// 0.01, `DETECTOR_HEAD_OVERRIDES`); every stored prediction is the detection head's (probabilities and Decision
// agree with each other), old one-head versions still load, predict and grow, and 'tune' takes the triplet statistics from
// held-out probabilities.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DETECTOR_HEAD_OVERRIDES } from '../../../shared/defaults';
import { computeThresholds, decide, Head, innerFolds, outOfFoldProbabilities, type TripletThresholds } from '../../../src-main/engine/odn';
import { addClassAndFinetune, loadVersion, makePredictor, trainModel, type ModelBundle, type ModelSettings } from '../../../src-main/pipeline';
import { projectClips, projectVectors } from '../../../src-main/pipeline/project-data';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

const KNOWN = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
let store: ProjectStore;

beforeAll(async () => {
  store = ProjectStore.create(join(tempDir('eodn-two-heads-'), 'demo.eodn'), { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
});

/** Standardized rows of every clip under a version's standardizer. */
async function rowsFor(bundle: ModelBundle) {
  const emb = await projectVectors(store, bundle.encoder, {}, {});
  const clips = projectClips(store).filter((c) => emb.vectors.has(c.id));
  const p = makePredictor(bundle, KNOWN, { epsilon: 0.7, rho: 0.5, classes: [] } as unknown as TripletThresholds, { muRule: 'top1', padTable: 'combined', padMethod: 'eq4' });
  return { clips, Z: p.standardize(clips.map((c) => emb.vectors.get(c.id)!), clips.map((c) => c.speaker)) };
}

describe('two heads', () => {
  it('stores both heads; every prediction is the detection head\'s, consistent with its Decision', async () => {
    const v = await trainModel(store, { known: KNOWN });
    const { bundle, settings, thresholds } = loadVersion(v);
    expect(settings.encoder).toEqual({ kind: 'speech-embedding' });
    expect(settings.head.l2).toBe(1e-3);
    expect(settings.detectorHead?.l2).toBe(DETECTOR_HEAD_OVERRIDES.l2);
    expect(settings.thresholdSource).toBe('train');
    expect(bundle.detectorHead).toBeDefined();

    const { clips, Z } = await rowsFor(bundle);
    const det = Head.fromJSON(bundle.detectorHead!).predictProba(Z);
    const lab = Head.fromJSON(bundle.head).predictProba(Z);
    const byClip = new Map(store.listPredictions(v.id).map((p) => [p.clipId, p]));
    let differ = 0;
    clips.forEach((c, i) => {
      const p = byClip.get(c.id)!;
      for (let j = 0; j < KNOWN.length; j++) expect(p.probs[j]).toBeCloseTo(det[i][j], 5);
      // The DecisionPanel's numbers: top-1 and its probability are those of the shown probabilities.
      expect(p.decision.p1).toBeCloseTo(p.probs[p.decision.top1], 5);
      // The stored decision also carries the other detectors' verdicts (detector-verdicts.ts).
      expect(p.decision).toEqual({ ...decide(det[i], thresholds, KNOWN), detectors: expect.any(Array) });
      if (p.decision.label !== null) expect(p.decision.label).toBe(KNOWN[p.decision.top1]);
      differ += Math.abs(lab[i][0] - det[i][0]) > 1e-3 ? 1 : 0;
    });
    // The heads are really two: the lightly regularised one is more confident on its training clips.
    expect(differ).toBeGreaterThan(40);
    const meanTop = (P: Float64Array[]) => P.reduce((a, p) => a + Math.max(...p), 0) / P.length;
    expect(meanTop(lab)).toBeGreaterThan(meanTop(det));
  });

  it('still loads, predicts and grows a one-head version (made before the detection head existed)', async () => {
    const v1 = store.getModelVersion(1);
    // Made before the detection head, so before the fused detector too.
    const { detectorHead: _drop, fusedDetector: _none, ...oneHead } = v1.bundle as ModelBundle;
    const old = store.write(() => {
      const saved = store.insertModelVersion({ parentId: null, name: 'one head', classes: KNOWN, bundle: oneHead, thresholds: v1.thresholds, settings: v1.settings, metrics: v1.metrics });
      store.upsertPredictions(saved.id, store.listPredictions(1));
      return saved;
    });
    const { bundle } = loadVersion(store.getModelVersion(old.id));
    const { clips, Z } = await rowsFor(bundle);
    const preds = makePredictor(bundle, KNOWN, v1.thresholds as TripletThresholds, { muRule: 'top1', padTable: 'combined', padMethod: 'eq4' }).predict(clips.map((c) => c.id), Z, clips.map((c) => c.speaker));
    const lab = Head.fromJSON(bundle.head).predictProba(Z);
    preds.forEach((p, i) => expect(p.probs[0]).toBeCloseTo(lab[i][0], 5));

    const fear = projectClips(store).filter((c) => c.label === 'fear').map((c) => c.id);
    const grown = await addClassAndFinetune(store, { name: 'fear', clipIds: fear, baseVersionId: old.id, activate: false });
    const g = grown.bundle as ModelBundle;
    expect(g.detectorHead).toBeUndefined();
    expect(store.listPredictions(grown.id).every((p) => p.probs.length === 6)).toBe(true);

    // A two-head version grows both heads.
    const grown2 = await addClassAndFinetune(store, { name: 'fear', clipIds: fear, baseVersionId: 1, activate: false });
    const g2 = grown2.bundle as ModelBundle;
    expect(Head.fromJSON(g2.head).predictProba([Z[0]])[0]).toHaveLength(6);
    expect(Head.fromJSON(g2.detectorHead!).predictProba([Z[0]])[0]).toHaveLength(6);
    expect((grown2.settings as ModelSettings).thresholdSource).toBe('train');
  });

  it("with 'tune', takes the triplet statistics from held-out probabilities of the detection head", async () => {
    const v = await trainModel(store, { known: KNOWN, epsilonRho: 'tune', activate: false });
    const { bundle, settings, thresholds } = loadVersion(v);
    expect(settings.epsilonRhoSource).toBe('tuned');
    expect(settings.thresholdSource).toBe('heldout');

    // Recompute: out-of-fold probabilities over the same inner folds (speakers) → eqs. 1-3.
    const { clips, Z } = await rowsFor(bundle);
    const train = clips.map((c, i) => ({ c, z: Z[i] })).filter(({ c }) => c.label !== null && KNOWN.includes(c.label));
    const X = train.map((t) => t.z);
    const y = Int32Array.from(train, (t) => KNOWN.indexOf(t.c.label!));
    const oof = outOfFoldProbabilities(X, y, innerFolds(X.length, train.map((t) => t.c.speaker)), KNOWN.length, () => new Head(settings.detectorHead!));
    const expected = computeThresholds(oof, y, { epsilon: settings.epsilon, rho: settings.rho });
    thresholds.classes.forEach((c, i) => {
      expect(c.eta).toBeCloseTo(expected.classes[i].eta, 6);
      expect(c.delta).toBeCloseTo(expected.classes[i].delta, 6);
    });
    // Held-out probabilities are less confident than the head's own training probabilities.
    const own = computeThresholds(Head.fromJSON(bundle.detectorHead!).predictProba(X), y, { epsilon: settings.epsilon, rho: settings.rho });
    const mean = (t: TripletThresholds) => t.classes.reduce((a, c) => a + c.eta, 0) / t.classes.length;
    expect(mean(thresholds)).toBeLessThan(mean(own));
  });
});
