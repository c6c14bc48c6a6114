// The evaluation's settings that are not the defaults' path: held-out triplet statistics, fused detector,
// cluster space and distance, the automatic mode's silhouette gate, and the three purity readings.
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../../src-main/evaluation/aggregate';
import type { FoldResult } from '../../../src-main/evaluation/fold';
import { evaluateRows } from '../../../src-main/evaluation/run';
import { DETECTORS, resolveSettings } from '../../../src-main/evaluation/settings';
import { synthetic } from './synthetic';

describe('evaluation variants on separable synthetic speakers', () => {
  const data = synthetic({ speakers: 4, perClass: 10 });
  const base = { unknown: ['disgust', 'fear'], head: { epochs: 60 } };
  const heldout = resolveSettings({ ...base, thresholdSource: 'heldout', detector: 'fusion', clusterSpace: 'logits', clusterDistance: 'cosine', minClusterSizeForK: 3 });
  const report = aggregate(evaluateRows(data, heldout), heldout, { seconds: 0 });

  it('detects unknowns with held-out triplet statistics and with the fused detector', () => {
    const prevalence = 2 / 7;
    const allUnknownF1 = (2 * prevalence) / (1 + prevalence);
    expect(report.unknown_detection.triplet.f1).toBeGreaterThan(allUnknownF1);
    expect(report.unknown_detection.fusion.f1).toBeGreaterThan(allUnknownF1 + 0.2);
    expect(report.unknown_detection.fusion.auroc).toBeGreaterThan(0.8);
  });

  it('orders the three purity readings: pooling known classes can only raise purity', () => {
    const d = report.unknown_discovery;
    expect(d.groups).toBeGreaterThan(0);
    expect(d.purity_pooled).toBeGreaterThanOrEqual(d.purity_strict - 1e-12);
    for (const v of [d.purity_strict, d.purity_pooled, d.purity_unknown_only]) expect(v).toBeGreaterThan(0), expect(v).toBeLessThanOrEqual(1);
    expect(d.sizes.reduce((a, b) => a + b, 0) + d.singles).toBe(d.flagged);
    const k = d.automatic_clusters;
    expect(k.clusters).toBeGreaterThan(0);
    expect(k.purity_known_pooled).toBeGreaterThanOrEqual(k.purity - 1e-12);
  });

  it('creates no automatic class when the silhouette gate cannot be met, leaving the known-only predictions', () => {
    const gated = resolveSettings({ ...base, minClusterSilhouette: 1.01 });
    const folds = evaluateRows(data, gated);
    for (const f of folds) {
      expect(f.newClasses.automatic).toEqual([]);
      expect(f.predictions.automatic).toEqual(f.predictions.knownOnly);
      expect(f.predictions.automaticMapped).toEqual(f.predictions.knownOnly);
    }
  });
});

describe('purity readings by hand', () => {
  // One fold, known classes anger and sadness, unknown fear and disgust. Cluster 1: anger, anger, sadness,
  // fear; cluster 2: fear, fear, disgust, whose PAD points sit at Table 1's Fearful.
  const fold = {
    testSpeakers: ['s'],
    knownClasses: ['anger', 'sadness'],
    truth: ['anger', 'anger', 'sadness', 'fear', 'fear', 'fear', 'disgust'],
    isUnknown: [false, false, false, true, true, true, true],
    // The same two groups for discovery's grouping: logit directions near (1, 0) and (0, 1).
    flagged: {
      clips: [0, 1, 2, 3, 4, 5, 6],
      logits: [[1, 0], [1, 0.05], [1, -0.05], [1, 0.02], [0, 1], [0.05, 1], [-0.05, 1]],
      pads: [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [-0.9, 1.3, -0.6], [-0.95, 1.3, -0.65], [-0.9, 1.25, -0.6]],
    },
    discovery: [
      { members: [0, 1, 2, 3], words: [], pad: [0, 0, 0], silhouette: 0 },
      { members: [4, 5, 6], words: [], pad: [0, 0, 0], silhouette: 0 },
    ],
  } as unknown as FoldResult;
  // Only discovery is read for purity; fill the rest with what aggregate needs.
  const empty = { scores: [0, 0, 0, 0, 0, 0, 0], threshold: 0, flagged: [false, false, false, false, false, false, false] };
  const s = resolveSettings({ unknown: ['fear', 'disgust'] });
  const full = {
    ...fold,
    detection: Object.fromEntries(DETECTORS.map((d) => [d, empty])),
    tuned: { epsilon: 0.7, rho: 0.5, f1: 0, simulatedCases: 0 },
    labelling: Object.fromEntries(['convex', 'convex-novel', 'ridge-novel', 'ridge-cluster'].map((v) => [v, { clips: [], words: [], correct: [], pads: [], truePads: [] }])),
    predictions: Object.fromEntries(['knownOnly', 'closedSet', 'automatic', 'automaticMapped', 'confirmed'].map((k) => [k, fold.truth])),
    newClasses: { automatic: [], confirmed: [] },
    fitted: { automatic: [], confirmed: [] },
  } as unknown as FoldResult;
  const d = aggregate([full], s, { seconds: 0 }).unknown_discovery;
  it('counts flagged known clips with their own label, pooled, or not at all', () => {
    const k = d.automatic_clusters;
    expect(k.purity).toBeCloseTo((2 + 2) / 7); // majorities anger (2 of 4) and fear (2 of 3)
    expect(k.purity_known_pooled).toBeCloseTo((3 + 2) / 7); // cluster 1's majority is "known" (3 of 4)
    expect(k.purity_unknown_only).toBeCloseTo((1 + 2) / 4); // unknown clips: fear alone in 1, fear fear disgust in 2
  });
  it('groups the same way and prices the groups in decisions', () => {
    expect(d.sizes).toEqual([4, 3]);
    expect(d.singles).toBe(0);
    expect(d.purity_strict).toBeCloseTo((2 + 2) / 7);
    expect(d.purity_pooled).toBeCloseTo((3 + 2) / 7);
    expect(d.purity_unknown_only).toBeCloseTo((1 + 2) / 4);
    // Group 1: one decision + sadness and fear taken out; group 2: one + disgust taken out.
    expect(d.decisions).toBe(1 + 2 + 1 + 1);
    expect(d.groups_unknown_majority).toBe(1);
    // Group 2's mean PAD point is nearest to Table 1's Fearful: the suggestion is right.
    expect(d.common_word_top1).toBe(1);
    expect(d.common_word_top3).toBe(1);
  });
});
