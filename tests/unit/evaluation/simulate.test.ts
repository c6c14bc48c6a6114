// eodn simulate: the decision accounting, the pooled curves, the annotator, and the whole simulation on a pool
// whose answer is known by construction (separable clusters), where the studio's loop must label every clip
// right in a handful of decisions per speaker while labelling by hand takes one decision per clip.
import { describe, expect, it } from 'vitest';
import { SimulatedAnnotator } from '../../../src-main/evaluation/simulate/annotator';
import { areaUnderCurve, decisionsTo, labelAccuracy, pooledCurve } from '../../../src-main/evaluation/simulate/curves';
import { actCost, DecisionLedger } from '../../../src-main/evaluation/simulate/ledger';
import { simulateOnTemplate } from '../../../src-main/evaluation/simulate/run';
import { tempDir } from '../store/helpers';
import { KNOWN, separableTemplate, SYNTH_ENCODER, UNKNOWN } from './simulate-fixture';

describe('decision accounting', () => {
  it('each act costs what is stated', () => {
    expect(actCost('review')).toBe(1);
    expect(actCost('name-cluster')).toBe(1);
    expect(actCost('name-cluster', 3)).toBe(4); // + 1 per clip taken out
    expect(actCost('dismiss-cluster')).toBe(1);
    expect(actCost('batch-accept', 2)).toBe(3); // + 1 per clip corrected
    expect(() => actCost('batch-accept', -1)).toThrow();
  });

  it('books each decision of an act with the labels it leaves', () => {
    const l = new DecisionLedger([null, null, null, 'x']);
    // A cluster of three: one clip taken out (answered "b"), then the other two named "a".
    l.record('name-cluster', [
      [null, null, 'b', 'x'],
      ['a', 'a', 'b', 'x'],
    ]);
    expect(l.spent).toBe(2);
    expect(l.labelsAt(0)).toEqual([null, null, null, 'x']);
    expect(l.labelsAt(1)).toEqual([null, null, 'b', 'x']);
    expect(l.labelsAt(2)).toEqual(['a', 'a', 'b', 'x']);
    l.record('review', [['a', 'a', 'c', 'x']]);
    expect(l.spent).toBe(3);
    expect(l.labelsAt(99)).toEqual(['a', 'a', 'c', 'x']); // the loop stopped: labels stay
    expect(l.costByAct()).toEqual({ review: 1, 'name-cluster': 2, 'dismiss-cluster': 0, 'batch-accept': 0 });
    expect(() => l.record('review', [['a']])).toThrow(/labels for a pool of 4/);
    expect(() => l.record('review', [])).toThrow();
    expect(() => l.record('review', [l.current, l.current])).toThrow(/a review is one decision/);
  });
});

describe('curves', () => {
  it('pool the folds: a budget spread in proportion to each pool', () => {
    const truth = (n: number, l: string) => Array.from({ length: n }, () => l);
    // Fold A: 2 clips of "a", each decision labels one. Fold B: 4 clips of "b", all right from the start.
    const a = new DecisionLedger([null, null]);
    a.record('review', [['a', null]]);
    a.record('review', [['a', 'a']]);
    const curve = pooledCurve([
      { truth: truth(2, 'a'), labelsAt: (d) => a.labelsAt(d) },
      { truth: truth(4, 'b'), labelsAt: () => ['b', 'b', 'b', 'b'] },
    ]);
    expect(curve[0]).toEqual({ decisions: 0, wa: 4 / 6, ua: 0.5 });
    expect(curve.at(-1)).toEqual({ decisions: 6, wa: 1, ua: 1 });
    expect(decisionsTo(curve, 1)).toBe(curve.find((p) => p.ua === 1)!.decisions);
    expect(areaUnderCurve([{ decisions: 0, wa: 0, ua: 0 }, { decisions: 10, wa: 1, ua: 1 }])).toBeCloseTo(0.5);
    expect(decisionsTo([{ decisions: 0, wa: 0, ua: 0.5 }], 0.9)).toBeNull();
    expect(labelAccuracy(['a', 'a', 'b'], ['a', null, 'b'])).toEqual({ wa: 2 / 3, ua: 0.75 });
  });
});

describe('the simulated annotator', () => {
  it('answers the truth, or at its error rate another label, the same whoever asks first', () => {
    const truth = new Map(Array.from({ length: 2000 }, (_, i) => [i + 1, i % 2 ? 'anger' : 'fear'] as [number, string]));
    expect([...truth.keys()].every((id) => new SimulatedAnnotator(truth, ['anger', 'fear'], 0, 1).label(id) === truth.get(id))).toBe(true);
    const a = new SimulatedAnnotator(truth, ['anger', 'fear', 'joy'], 0.2, 1);
    const b = new SimulatedAnnotator(truth, ['anger', 'fear', 'joy'], 0.2, 1);
    const backwards = [...truth.keys()].reverse().map((id) => b.label(id)).reverse();
    expect([...truth.keys()].map((id) => a.label(id))).toEqual(backwards);
    expect(a.wrongAnswers(truth) / truth.size).toBeGreaterThan(0.17);
    expect(a.wrongAnswers(truth) / truth.size).toBeLessThan(0.23);
  });
});

describe('simulation on separable clusters (answer known by construction)', () => {
  it('the studio labels every pool right in a few decisions per speaker; by hand takes one per clip', async () => {
    const dir = tempDir('eodn-simulate-');
    const template = separableTemplate(dir, { speakers: 3, perClass: 8 });
    const r = await simulateOnTemplate(template, dir, 'separable', { unknown: UNKNOWN, encoder: SYNTH_ENCODER, noise: [0.1], loop: { clustersFirst: true } });
    const pool = template.clips.length; // 3 speakers × 7 classes × 8
    expect(r.pool_clips).toBe(pool);
    expect(r.known).toEqual(KNOWN);
    // Studio: one batch accept of the known clips, then each unknown class named as one cluster.
    const studioFull = decisionsTo(r.curves.studio, 1);
    expect(studioFull).not.toBeNull();
    expect(studioFull!).toBeLessThanOrEqual(4 * r.folds);
    expect(r.per_fold.every((f) => f.classes_added.sort().join() === 'disgust,fear')).toBe(true);
    // By hand: one decision per clip, so 100 % only with the last one.
    expect(decisionsTo(r.curves.hand, 1)).toBe(pool);
    // Closed-set review must still answer every unknown clip one by one.
    expect(decisionsTo(r.curves.closed_set_review, 1)!).toBeGreaterThanOrEqual(UNKNOWN.length * 8 * r.folds);
    // The studio's curve is never below the baselines on this pool once the curator has made a decision. At 0
    // decisions the automatic baseline can be ahead: it counts the suggested word of each unknown clip as its
    // label (the studio shows the same word only as a suggestion), and since the suggestions prefer Table 1's
    // common words they name this pool's fear and disgust clips more often.
    for (const p of ['hand', 'closed_set_review', 'automatic'] as const) {
      const other = r.curves[p];
      for (const pt of r.curves.studio.filter((q) => q.decisions > 0 || p !== 'automatic')) {
        const at = [...other].reverse().find((q) => q.decisions <= pt.decisions)!;
        expect(pt.ua, `${p} at ${pt.decisions}`).toBeGreaterThanOrEqual(at.ua - 1e-9);
      }
    }
    // Every decision the studio spent is booked by kind, and the noisy run is reported too.
    expect(Object.values(r.studio_decisions).reduce((a, b) => a + b, 0)).toBe(r.per_fold.reduce((s, f) => s + f.studio_decisions, 0));
    expect(r['noisy_0.1'].wrong_answers).toBeGreaterThan(0);
    expect(r.calibration.clips).toBe(pool);
    // Every fold's first model was cross-validated, so each has a calibration map; both ECEs are measured.
    expect(r.calibration.calibrated_folds).toBe(r.folds);
    expect(r.calibration.known_classes.clips).toBe(KNOWN.length * 8 * r.folds);
    for (const e of [r.calibration.ece, r.calibration.ece_raw, r.calibration.known_classes.ece]) expect(e).toBeGreaterThanOrEqual(0);
    expect(r.calibration.estimate.right).toBeCloseTo(KNOWN.length / (KNOWN.length + UNKNOWN.length), 1);
  });
});
