// The studio flags unknown clips with the fused detector (issue 12): training on the 80 demo clips stores its
// fitted state in the bundle and, per clip, its fused score, per-speaker normalisation and flag; the state
// reloaded from the project file re-scores every clip identically; Discover groups exactly its flags; a
// fine-tune refits it for the grown head; a version without it (an old bundle) falls back to the triplet rule.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelMetrics } from '../../../shared/api';
import { addClassAndFinetune, loadVersion, trainModel } from '../../../src-main/pipeline';
import { formatTrainSummary } from '../../../src-main/cli/commands/train';
import { discoverUnknownClusters } from '../../../src-main/pipeline/discover';
import { fusedVerdicts, fusedVerdictOf, loadFusedDetector } from '../../../src-main/pipeline/fused-detector';
import { makePredictor, type ModelBundle } from '../../../src-main/pipeline/model-bundle';
import { projectClips, projectVectors } from '../../../src-main/pipeline/project-data';
import { Head, type TripletThresholds } from '../../../src-main/engine/odn';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { fusedFlags } from './fused-flags';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

const KNOWN = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
let store: ProjectStore;

beforeAll(async () => {
  store = ProjectStore.create(join(tempDir('eodn-fused-'), 'demo.eodn'), { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
  await trainModel(store, { known: KNOWN });
}, 300_000);

async function rows(bundle: ModelBundle) {
  const emb = await projectVectors(store, bundle.encoder, {}, {});
  const clips = projectClips(store).filter((c) => emb.vectors.has(c.id));
  const p = makePredictor(bundle, KNOWN, { epsilon: 0.7, rho: 0.5, classes: [] } as unknown as TripletThresholds, { muRule: 'top1', padTable: 'combined', padMethod: 'eq4' });
  return { clips, Z: p.standardize(clips.map((c) => emb.vectors.get(c.id)!), clips.map((c) => c.speaker)) };
}

describe('the fused detector in the studio', () => {
  it('is fitted at training, stored in the bundle, and flags every clip with its score and normalisation', () => {
    const v = store.getModelVersion(1);
    const { bundle } = loadVersion(v);
    expect(bundle.fusedDetector).toMatchObject({ format: 'eodn-fusion/1', members: ['msp', 'openmax', 'mahalanobis'], folds: 'speakers', innerFolds: 2, minSpeakerClips: 10 });
    const m = v.metrics as ModelMetrics;
    expect(m.unknownDetector).toMatchObject({ name: 'fusion', label: 'Fusion (MSP + OpenMax + Mahalanobis)', folds: 'speakers' });
    expect(m.unknownDetector!.threshold).toBe(bundle.fusedDetector!.threshold);
    expect(typeof m.unknownDetector!.fallback).toBe('boolean');
    expect(m.unknownDetector!.f1).toBeGreaterThan(0);
    expect(m.unknownDetector!.auroc).toBeGreaterThan(0);
    expect(m.unknownDetector!.auroc).toBeLessThanOrEqual(1);
    const preds = store.listPredictions(1);
    expect(preds).toHaveLength(80);
    const verdicts = preds.map((p) => fusedVerdictOf(p.decision)!);
    const clips = projectClips(store);
    const speakerOf = new Map(clips.map((c) => [c.id, c.speaker]));
    for (const [i, f] of verdicts.entries()) {
      expect(f).toBeDefined();
      expect(f.unknown).toBe(f.score > f.threshold);
      // The flagging detector first, then MSP and Mahalanobis for comparison.
      expect((preds[i].decision as unknown as { detectors: { name: string }[] }).detectors.map((d) => d.name)).toEqual(['Fusion (MSP + OpenMax + Mahalanobis)', 'MSP', 'Mahalanobis']);
      // Two speakers of about 40 clips each: every clip is z-scored over its own speaker's clips.
      const speaker = speakerOf.get(preds[i].clipId)!;
      expect(f.normalisation).toMatchObject({ over: 'speaker', speaker, n: clips.filter((c) => c.speaker === speaker).length });
      expect(f.normalisation!.mean).toHaveLength(3);
    }
    const flagged = verdicts.filter((f) => f.unknown).length;
    expect(m.unknownDetector!.flagged).toBe(flagged);
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(80);
    // `eodn train` says it too.
    const line = formatTrainSummary({ versionId: 1, parentId: null, classes: KNOWN, epsilon: 0.7, rho: 0.5, thresholdSource: 'train', labels: 'majority', metrics: m }).split('\n').find((l) => l.startsWith('unknowns flagged by'));
    expect(line).toMatch(new RegExp(`^unknowns flagged by Fusion \\(MSP \\+ OpenMax \\+ Mahalanobis\\): ${flagged} clips \\(threshold \\d\\.\\d{3}.*; on simulated unknowns F1 \\d\\.\\d{3}, AUROC \\d\\.\\d{3}\\)$`));
  });

  it('scores every clip identically from the state reloaded from the project file', async () => {
    const reopened = ProjectStore.open(store.file);
    try {
      const { bundle } = loadVersion(reopened.getModelVersion(1));
      const detector = loadFusedDetector(bundle)!;
      const { clips, Z } = await rows(bundle);
      const again = fusedVerdicts(detector, Head.fromJSON(bundle.detectorHead!), Z, clips.map((c) => c.speaker));
      const stored = new Map(store.listPredictions(1).map((p) => [p.clipId, fusedVerdictOf(p.decision)!]));
      clips.forEach((c, i) => {
        expect(again[i].score).toBe(stored.get(c.id)!.score);
        expect(again[i].unknown).toBe(stored.get(c.id)!.unknown);
        expect(again[i].normalisation).toEqual(stored.get(c.id)!.normalisation);
      });
    } finally {
      reopened.close();
    }
  });

  /** The clips the fused detector flags that are not labelled with a known class (what Discover groups). */
  const flaggedToGroup = () => fusedFlags(store, 1, KNOWN).toGroup;

  it('Discover groups the clips the fused detector flags', async () => {
    const flagged = flaggedToGroup();
    const triplet = store.listPredictions(1).filter((p) => p.decision.kind === 'unknown' || p.decision.kind === 'ambiguous-unknown');
    const d = await discoverUnknownClusters(store);
    expect(d.flagged).toBe(flagged.length);
    expect(d.flaggedBy).toMatchObject({ detector: 'fusion', label: 'Fusion (MSP + OpenMax + Mahalanobis)' });
    expect(d.flaggedBy!.tripletOnly).toBe(triplet.filter((p) => !fusedVerdictOf(p.decision)!.unknown).length);
    const grouped = [...d.clusters.flatMap((c) => c.clipIds), ...d.singles].sort((a, b) => a - b);
    expect(grouped).toEqual(flagged.map((p) => p.clipId).sort((a, b) => a - b));
  });

  it('Discover leaves out a flagged clip already labelled with a class the model knows, and counts it', async () => {
    const flagged = flaggedToGroup();
    const labelledBefore = (await discoverUnknownClusters(store)).flaggedBy!.labelledKnown ?? 0;
    const id = flagged[0].clipId;
    const before = store.db.prepare('SELECT import_label, current_label FROM clips WHERE id = ?').get(id) as { import_label: string; current_label: string };
    store.write(() => store.db.prepare("UPDATE clips SET import_label = 'anger', current_label = 'anger' WHERE id = ?").run(id));
    try {
      const d = await discoverUnknownClusters(store);
      expect(d.flagged).toBe(flagged.length - 1);
      expect(d.flaggedBy!.labelledKnown).toBe(labelledBefore + 1);
      expect([...d.clusters.flatMap((c) => c.clipIds), ...d.singles]).not.toContain(id);
    } finally {
      store.write(() => store.db.prepare('UPDATE clips SET import_label = ?, current_label = ? WHERE id = ?').run(before.import_label, before.current_label, id));
    }
  });

  it('an old bundle without it still loads and Discover falls back to the triplet rule, saying so', async () => {
    const v1 = store.getModelVersion(1);
    const { fusedDetector: _none, ...oldBundle } = v1.bundle as ModelBundle;
    const { unknownDetector: _info, ...oldMetrics } = v1.metrics as ModelMetrics;
    const old = store.write(() => {
      const saved = store.insertModelVersion({ parentId: null, name: 'before the fused detector', classes: KNOWN, bundle: oldBundle, thresholds: v1.thresholds, settings: v1.settings, metrics: oldMetrics });
      store.upsertPredictions(saved.id, store.listPredictions(1));
      return saved;
    });
    const { bundle } = loadVersion(store.getModelVersion(old.id));
    expect(loadFusedDetector(bundle)).toBeNull();
    const triplet = store.listPredictions(old.id).filter((p) => p.decision.kind === 'unknown' || p.decision.kind === 'ambiguous-unknown');
    const d = await discoverUnknownClusters(store, { versionId: old.id });
    expect(d.flagged).toBe(triplet.length);
    expect(d.flaggedBy).toMatchObject({ detector: 'triplet', reason: 'this version was made before the fused detector was stored' });
  });

  it('a fine-tune refits it for the grown head: the new class is known', async () => {
    const fear = projectClips(store).filter((c) => c.label === 'fear').map((c) => c.id);
    const grown = await addClassAndFinetune(store, { name: 'fear', clipIds: fear, baseVersionId: 1, activate: false });
    const g = grown.bundle as ModelBundle;
    const base = store.getModelVersion(1).bundle as ModelBundle;
    expect(g.fusedDetector).toBeDefined();
    expect(g.fusedDetector!.openmax.means).toHaveLength(6);
    expect(g.fusedDetector!.refs).not.toEqual(base.fusedDetector!.refs);
    expect((grown.metrics as ModelMetrics).unknownDetector).toMatchObject({ name: 'fusion' });
    expect(store.listPredictions(grown.id).every((p) => fusedVerdictOf(p.decision) !== undefined)).toBe(true);
  }, 300_000);

  it("a training or fine-tune that asks for the triplet rule fits no fused detector and says so", async () => {
    const v = await trainModel(store, { known: KNOWN, crossValidate: false, unknownDetector: 'triplet', activate: false });
    expect((v.bundle as ModelBundle).fusedDetector).toBeUndefined();
    expect((v.metrics as ModelMetrics).unknownDetector).toMatchObject({ name: 'triplet', reason: expect.stringContaining('asked for the triplet rule') });
    expect(store.listPredictions(v.id).some((p) => fusedVerdictOf(p.decision) !== undefined)).toBe(false);
    const fear = projectClips(store).filter((c) => c.label === 'fear').map((c) => c.id);
    const grown = await addClassAndFinetune(store, { name: 'fear', clipIds: fear, baseVersionId: v.id, activate: false, unknownDetector: 'triplet' });
    expect((grown.bundle as ModelBundle).fusedDetector).toBeUndefined();
  }, 300_000);
});
