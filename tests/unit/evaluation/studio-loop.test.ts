// The studio's loop, act by act, on one fold of the separable pool: a batch of both decision kinds is one act
// costing 1 + the corrections, the model is re-trained right after it, and the oracle queue (a diagnostic)
// asks only about clips whose label is wrong.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECTOR_HEAD_OVERRIDES } from '../../../shared/defaults';
import { loadVersion } from '../../../src-main/pipeline';
import { SimulatedAnnotator } from '../../../src-main/evaluation/simulate/annotator';
import { foldProject } from '../../../src-main/evaluation/simulate/fold-project';
import { poolLabels } from '../../../src-main/evaluation/simulate/pool-state';
import { DEFAULT_STUDIO_LOOP, runStudioLoop, SIM_ANNOTATOR } from '../../../src-main/evaluation/simulate/studio-loop';
import { ProjectStore } from '../../../src-main/store/project-store';
import { tempDir } from '../store/helpers';
import { KNOWN, separableTemplate, SYNTH_ENCODER, UNKNOWN } from './simulate-fixture';

async function fold(seed: number) {
  const dir = tempDir('eodn-loop-');
  const template = separableTemplate(dir, { speakers: 3, perClass: 8, seed });
  const file = join(dir, 'fold.eodn');
  const { poolIds } = await foldProject(template, file, { testSpeaker: 's0', known: KNOWN, encoder: SYNTH_ENCODER, unknownDetector: 'triplet' });
  const truth = new Map(template.clips.filter((c) => poolIds.includes(c.id)).map((c) => [c.id, c.label]));
  return { store: ProjectStore.open(file), poolIds, truth };
}

describe('the studio loop', () => {
  it('trains the first model and every re-training with the detection head L2 it is given (simulate --detector-l2)', async () => {
    const dir = tempDir('eodn-loop-l2-');
    const template = separableTemplate(dir, { speakers: 3, perClass: 8, seed: 2 });
    const l2Of = (store: ProjectStore) => store.listModelVersions().map((v) => loadVersion(store.getModelVersion(v.id)).settings.detectorHead?.l2);
    const file = join(dir, 'fold.eodn');
    const { poolIds } = await foldProject(template, file, { testSpeaker: 's0', known: KNOWN, encoder: SYNTH_ENCODER, unknownDetector: 'triplet', detectorHead: { l2: 0.5 } });
    const truth = new Map(template.clips.filter((c) => poolIds.includes(c.id)).map((c) => [c.id, c.label]));
    const store = ProjectStore.open(file);
    try {
      const annotator = new SimulatedAnnotator(truth, [...KNOWN, ...UNKNOWN], 0, 1);
      await runStudioLoop(store, poolIds, annotator, { ...DEFAULT_STUDIO_LOOP, minNewClassClips: 1000 }, { detectorHead: { l2: 0.5 } });
      expect(store.listModelVersions().length).toBeGreaterThan(2);
      expect(new Set(l2Of(store))).toEqual(new Set([0.5]));
    } finally {
      store.close();
    }
    // Without it, the studio's default.
    const plain = await fold(2);
    try {
      expect(l2Of(plain.store)).toEqual([DETECTOR_HEAD_OVERRIDES.l2]);
    } finally {
      plain.store.close();
    }
  });

  it('books a batch of both kinds as one act (1 + corrections) and re-trains right after it', async () => {
    const { store, poolIds, truth } = await fold(3);
    try {
      const first = store.activeModelVersionId()!;
      const kinds = new Map(store.listPredictions(first, poolIds).map((p) => [p.clipId, p.decision.kind]));
      const annotator = new SimulatedAnnotator(truth, [...KNOWN, ...UNKNOWN], 0.2, 11);
      const r = await runStudioLoop(store, poolIds, annotator, { ...DEFAULT_STUDIO_LOOP, batchEvery: 0, retrainEvery: 0, minNewClassClips: 1000, retrainAfterBatch: true });
      const batches = r.ledger.acts.filter((a) => a.act === 'batch-accept');
      expect(batches).toHaveLength(1);
      expect(r.ledger.acts[0].act).toBe('batch-accept');
      // The batch's clips: accepted under the first model, at their kind's bar.
      const batched = poolIds.filter((id) => store.clipHistory(id).some((a) => a.action === 'accept' && a.annotator === SIM_ANNOTATOR && a.modelVersionId === first));
      const byKind = (k: string) => batched.filter((id) => kinds.get(id) === k).length;
      expect(byKind('accepted')).toBeGreaterThan(0);
      expect(byKind('ambiguous-accepted')).toBeGreaterThan(0);
      expect(byKind('accepted') + byKind('ambiguous-accepted')).toBe(batched.length);
      // Each clip of it the annotator disagreed with cost one decision more.
      const shown = new Map(store.listPredictions(first, batched).map((p) => [p.clipId, p.decision.label]));
      const corrected = batched.filter((id) => annotator.label(id) !== shown.get(id)).length;
      expect(corrected).toBeGreaterThan(0);
      expect(batches[0].cost).toBe(1 + corrected);
      // A new model was trained on the batch before the first review.
      const versions = store.listModelVersions();
      expect(versions.map((v) => v.name)).toContain('re-trained after a batch');
      expect(store.activeModelVersionId()).not.toBe(first);
    } finally {
      store.close();
    }
  });

  it('the oracle queue (a diagnostic) asks only about clips whose label is wrong, until every label is right', async () => {
    const { store, poolIds, truth } = await fold(5);
    try {
      const annotator = new SimulatedAnnotator(truth, [...KNOWN, ...UNKNOWN], 0, 1);
      const wrongAtStart = poolLabels(store, poolIds).filter((l, i) => l !== truth.get(poolIds[i])).length;
      const r = await runStudioLoop(store, poolIds, annotator, { ...DEFAULT_STUDIO_LOOP, oracleQueue: true, batchFirst: false, batchEvery: 0, retrainEvery: 0, retrainAfterBatch: false, minNewClassClips: 1000 });
      const reviews = r.ledger.acts.filter((a) => a.act === 'review');
      expect(reviews.length).toBe(r.ledger.acts.length);
      expect(reviews.length).toBe(wrongAtStart); // no model change between reviews: each fixes exactly one label
      expect(reviews.every((a) => a.labelled === 1)).toBe(true);
      expect(r.ledger.current).toEqual(poolIds.map((id) => truth.get(id)));
    } finally {
      store.close();
    }
  });
});
