// `eodn evaluate --unknown-splits pairs`: every pair of classes as the unknowns, detection only, inner fits
// shared between splits, both score normalisations from the same fits; and the threshold guard's record.
import { describe, expect, it } from 'vitest';
import { ceilingFlags } from '../../../src-main/evaluation/aggregate';
import { detectFold, evaluateSplitsRows, summariseSplits, unknownPairs } from '../../../src-main/evaluation/unknown-splits';
import { fitDetectorSuite } from '../../../src-main/evaluation/detection';
import { DETECTORS, resolveSettings } from '../../../src-main/evaluation/settings';
import { Head } from '../../../src-main/engine/odn/head';
import { NAMES, synthetic } from './synthetic';

const data = synthetic({ speakers: 3, perClass: 8, dim: 10 });
const base = { head: { epochs: 30 } };

describe('unknown splits', () => {
  it('lists every pair of classes once: 21 for 7 classes', () => {
    const pairs = unknownPairs(data.labels);
    expect(pairs).toHaveLength(21);
    expect(new Set(pairs.map((p) => p.join('+'))).size).toBe(21);
    for (const p of pairs) expect(p[0] < p[1] && NAMES.includes(p[0]) && NAMES.includes(p[1])).toBe(true);
  });

  it('a shared inner-fit cache gives exactly the scores and thresholds of fitting afresh', () => {
    const tr: number[] = [];
    const te: number[] = [];
    data.speakers.forEach((s, i) => (s === 's0' ? te : tr).push(i));
    const part = (idx: number[]) => ({ X: idx.map((i) => data.X[i]), labels: idx.map((i) => data.labels[i]), speakers: idx.map((i) => data.speakers[i]) });
    const cache = new Map();
    // disgust+fear first fills the cache; anger+disgust then reuses the fits that exclude anger, disgust, fear.
    detectFold(part(tr), part(te), resolveSettings({ ...base, unknown: ['disgust', 'fear'] }), { cache, trainIds: tr });
    const before = cache.size;
    const s = resolveSettings({ ...base, unknown: ['anger', 'disgust'] });
    const shared = detectFold(part(tr), part(te), s, { cache, trainIds: tr });
    expect(cache.size).toBeLessThan(before * 2);
    const fresh = detectFold(part(tr), part(te), s);
    for (const d of DETECTORS) {
      expect(shared.detection[d].threshold).toBe(fresh.detection[d].threshold);
      expect(shared.detection[d].scores).toEqual(fresh.detection[d].scores);
      expect(shared.other!.detection[d].scores).toEqual(fresh.other!.detection[d].scores);
    }
  });

  it('summarises each detector over splits, for both score normalisations, beside flagging everything', () => {
    const splits = [['disgust', 'fear'], ['anger', 'sadness'], ['boredom', 'neutral']];
    const { splits: res, folds } = evaluateSplitsRows(data, base, splits);
    expect(folds).toBe(3);
    expect(res.map((r) => r.unknown)).toEqual(splits);
    for (const r of res) {
      expect(r.clips).toBe(data.X.length);
      expect(r.unknown_clips).toBe(3 * 2 * 8);
      expect(r.flag_everything_f1).toBeCloseTo((2 * (2 / 7)) / (1 + 2 / 7), 12);
      for (const d of DETECTORS) expect(r.unknown_detection_other_norm[d]).toBeDefined();
    }
    const { summary, best } = summariseSplits(res, folds);
    for (const d of DETECTORS) {
      const v = summary[d];
      expect(v.f1_min).toBeLessThanOrEqual(v.f1_mean + 1e-12);
      expect(v.f1_sd).toBeGreaterThanOrEqual(0);
      expect(v.folds).toBe(9);
      expect(v.fallback_folds).toBeLessThanOrEqual(9);
      // the ceiling picks each fold's threshold on its test labels: never below the detector's own F1
      expect(v.f1_ceiling_mean).toBeGreaterThanOrEqual(v.f1_mean - 1e-12);
      expect(v.f1_ceiling_mean).toBeLessThanOrEqual(1);
    }
    // Separable synthetic classes: the best detector is far above flagging everything, on every split.
    expect(summary[best].f1_mean).toBeGreaterThan(res[0].flag_everything_f1 + 0.2);
    expect(summary[best].auroc_mean).toBeGreaterThan(0.85);
    const other = summariseSplits(res, folds, 'unknown_detection_other_norm');
    expect(Number.isFinite(other.summary.knn.f1_mean)).toBe(true);
  });
});

describe('the detector suite', () => {
  it('records which thresholds fell back, and the triplet rules never do', () => {
    const known = data.labels.map((l, i) => i).filter((i) => !['disgust', 'fear'].includes(data.labels[i]));
    const names = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
    const suite = fitDetectorSuite(
      known.map((i) => data.X[i]),
      Int32Array.from(known, (i) => names.indexOf(data.labels[i])),
      known.map((i) => data.speakers[i]),
      5,
      () => new Head({ epochs: 30, l2: 0.1, seed: 1 }),
      { innerFolds: 3, seed: 1 },
    );
    for (const d of DETECTORS) expect(typeof suite.fallback[d]).toBe('boolean');
    expect(suite.fallback.triplet).toBe(false);
    expect(suite.fallback['triplet-tuned']).toBe(false);
    for (const d of DETECTORS.filter((x) => !x.startsWith('triplet'))) {
      expect(suite.poolFlagged[d]).toBeGreaterThanOrEqual(0.05);
      expect(suite.poolFlagged[d]).toBeLessThanOrEqual(0.8 + 1e-9);
    }
    expect(suite.temperature).toBeGreaterThan(0);
    expect(suite.fusionMembers.length).toBeGreaterThanOrEqual(1);
    expect(() => suite.score(data.X.slice(0, 3))).not.toThrow();
  });

  it('per-speaker normalisation needs the speakers of the rows it scores', () => {
    const idx = data.labels.map((_, i) => i).filter((i) => !['disgust', 'fear'].includes(data.labels[i]));
    const names = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
    const suite = fitDetectorSuite(
      idx.map((i) => data.X[i]),
      Int32Array.from(idx, (i) => names.indexOf(data.labels[i])),
      idx.map((i) => data.speakers[i]),
      5,
      () => new Head({ epochs: 30, l2: 0.1, seed: 1 }),
      { innerFolds: 3, seed: 1, scoreNorm: 'per-speaker' },
    );
    expect(() => suite.score(data.X.slice(0, 3))).toThrow(/speaker/);
    const z = suite.score(data.X.slice(0, 4), ['a', 'a', 'b', 'b']);
    // z-scores of two clips per speaker are ±1 (or 0 when equal).
    for (const v of z.knn) expect(v === 0 || Math.abs(Math.abs(v) - 1) < 1e-6).toBe(true);
  });
});

describe('the F1 ceiling', () => {
  it("flags each fold at the threshold best on its own labels: ties together, nothing in a fold without unknowns", () => {
    // perfect separation: flags exactly the positives
    expect(ceilingFlags([0.9, 0.1, 0.8, 0.2], [true, false, true, false])).toEqual([true, false, true, false]);
    // ties are flagged together: flagging the tied pair (1 tp, 1 fp) beats flagging nothing
    expect(ceilingFlags([0.5, 0.5, 0.1], [true, false, false])).toEqual([true, true, false]);
    // no positives: flag nothing
    expect(ceilingFlags([0.3, 0.2], [false, false])).toEqual([false, false]);
  });
});
