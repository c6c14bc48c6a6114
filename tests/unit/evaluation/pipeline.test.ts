import { describe, expect, it } from 'vitest';
import { aggregate, accuracyOf } from '../../../src-main/evaluation/aggregate';
import { evaluateFold } from '../../../src-main/evaluation/fold';
import { evaluateRows } from '../../../src-main/evaluation/run';
import { DETECTORS, LABELLING_VARIANTS, resolveSettings } from '../../../src-main/evaluation/settings';
import { ecdf } from '../../../src-main/evaluation/detection';
import { synthetic } from './synthetic';

const settings = resolveSettings({ unknown: ['disgust', 'fear'], head: { epochs: 60 } });

describe('accuracyOf', () => {
  it('computes WA, UA and micro-F1 over the truth classes', () => {
    const a = accuracyOf(['a', 'a', 'a', 'b'], ['a', 'a', 'b', 'x']);
    expect(a.wa).toBeCloseTo(0.5);
    expect(a.ua).toBeCloseTo((2 / 3 + 0) / 2);
    // tp 2; fp: 'b' predicted for an 'a' (x is not a truth class); fn 2
    expect(a.micro_f1).toBeCloseTo((2 * 2) / (2 * 2 + 1 + 2));
  });
});

describe('ecdf', () => {
  it('places a score within a sorted reference, ties counting one half', () => {
    const ref = Float64Array.from([1, 2, 2, 3]);
    expect(ecdf(ref, 0)).toBe(0);
    expect(ecdf(ref, 2)).toBeCloseTo(0.5);
    expect(ecdf(ref, 10)).toBe(1);
  });
});

describe('evaluateFold on separable synthetic speakers', () => {
  const data = synthetic({ speakers: 4, perClass: 10 });
  const folds = evaluateRows(data, settings);
  const report = aggregate(folds, settings, { seconds: 0 });

  it('has one fold per speaker and tests every clip once', () => {
    expect(folds).toHaveLength(4);
    expect(report.clips).toBe(data.X.length);
    expect(report.unknown_clips).toBe(4 * 2 * 10);
    for (const f of folds) expect(f.knownClasses).toEqual(['anger', 'boredom', 'happiness', 'neutral', 'sadness']);
  });

  it('detects unknowns far better than flagging everything', () => {
    const prevalence = 2 / 7;
    const allUnknownF1 = (2 * prevalence) / (1 + prevalence);
    const best = Math.max(...DETECTORS.map((d) => report.unknown_detection[d].f1));
    expect(best).toBeGreaterThan(allUnknownF1 + 0.2);
    expect(report.unknown_detection[settings.detector].auroc).toBeGreaterThan(0.8);
    for (const d of DETECTORS) {
      const v = report.unknown_detection[d];
      for (const x of [v.f1, v.precision, v.recall]) expect(x).toBeGreaterThanOrEqual(0), expect(x).toBeLessThanOrEqual(1);
    }
  });

  it('learns the new classes when an annotator confirms them, and beats the known-only head', () => {
    expect(report.after_incremental.confirmed.ua).toBeGreaterThan(0.85);
    expect(report.after_incremental.confirmed.ua).toBeGreaterThan(report.known_only_baseline.ua + 0.15);
    // The known-only head can never name an unknown clip: UA at most 5/7.
    expect(report.known_only_baseline.ua).toBeLessThanOrEqual(5 / 7 + 1e-9);
    expect(report.closed_set_baseline.ua).toBeGreaterThan(0.9);
  });

  it('groups flagged clips mostly by class', () => {
    expect(report.unknown_discovery.automatic_clusters.clusters).toBeGreaterThan(0);
    expect(report.unknown_discovery.automatic_clusters.purity).toBeGreaterThan(0.6);
    expect(report.unknown_discovery.groups).toBeGreaterThan(0);
    expect(report.unknown_discovery.purity_strict).toBeGreaterThan(0.6);
    expect(report.unknown_discovery.decisions_per_flagged).toBeLessThan(1);
  });

  it('reports every labelling variant over the unknown clips', () => {
    for (const v of LABELLING_VARIANTS) {
      expect(report.unknown_labelling[v].clips).toBe(report.unknown_clips);
      expect(report.unknown_labelling[v].mean_pad_distance).toBeGreaterThan(0);
    }
    // eq. 4 stays inside the known classes' hull: with known words allowed it names a known class's word,
    // which is never right for an unknown clip, so its accuracy is low.
    expect(report.unknown_labelling.convex.pad_word_accuracy).toBeLessThan(0.5);
  });

  it('refuses an unknown class missing from the data', () => {
    expect(() => evaluateRows(data, resolveSettings({ unknown: ['surprise'] }))).toThrow(/not in the dataset/);
  });

  it('is deterministic for a seed', () => {
    const again = evaluateFold(
      { X: data.X.filter((_, i) => data.speakers[i] !== 's0'), labels: data.labels.filter((_, i) => data.speakers[i] !== 's0'), speakers: data.speakers.filter((s) => s !== 's0') },
      { X: data.X.filter((_, i) => data.speakers[i] === 's0'), labels: data.labels.filter((_, i) => data.speakers[i] === 's0'), speakers: data.speakers.filter((s) => s === 's0') },
      settings,
    );
    expect(again.predictions).toEqual(folds[0].predictions);
  });
});
