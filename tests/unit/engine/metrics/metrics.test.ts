import { describe, expect, it } from 'vitest';
import { auroc, binaryPRF, ccc, cccPad, confusionMatrix, macroF1, microF1, unweightedAccuracy, weightedAccuracy } from '../../../../src-main/engine/metrics';

describe('binary PRF (unknown = positive)', () => {
  it('matches hand counts', () => {
    // truth: T T T F F ; pred: T F T T F → tp 2, fn 1, fp 1, tn 1
    const r = binaryPRF([true, true, true, false, false], [true, false, true, true, false]);
    expect(r).toMatchObject({ tp: 2, fn: 1, fp: 1, tn: 1 });
    expect(r.precision).toBeCloseTo(2 / 3);
    expect(r.recall).toBeCloseTo(2 / 3);
    expect(r.f1).toBeCloseTo(2 / 3);
  });
  it('gives 0 instead of NaN when nothing is predicted positive', () => {
    expect(binaryPRF([true, false], [false, false]).f1).toBe(0);
  });
});

describe('WA, UA, micro-F1, macro-F1, confusion', () => {
  const truth = [0, 0, 0, 0, 1, 1, 2, 2];
  const pred = [0, 0, 0, 1, 1, 0, 2, 1];
  it('WA = 5/8, UA = (3/4 + 1/2 + 1/2)/3', () => {
    expect(weightedAccuracy(truth, pred)).toBeCloseTo(5 / 8);
    expect(unweightedAccuracy(truth, pred)).toBeCloseTo((0.75 + 0.5 + 0.5) / 3);
  });
  it('micro-F1 over all classes equals accuracy; restricted to {0,1} by hand', () => {
    expect(microF1(truth, pred)).toBeCloseTo(5 / 8);
    // labels {0,1}: tp = 4 (0,0,0,1); fp: pred∈{0,1} wrong = (t0→1),(t1→0),(t2→1) = 3; fn: truth∈{0,1} wrong = 2
    expect(microF1(truth, pred, [0, 1])).toBeCloseTo((2 * 4) / (2 * 4 + 3 + 2));
  });
  it('macro-F1 by hand', () => {
    // class 0: tp3 fp1 fn1 → 0.75; class 1: tp1 fp2 fn1 → 0.4; class 2: tp1 fp0 fn1 → 2/3
    expect(macroF1(truth, pred)).toBeCloseTo((0.75 + 0.4 + 2 / 3) / 3);
  });
  it('confusion matrix', () => {
    expect(confusionMatrix(truth, pred, 3)).toEqual([
      [3, 1, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    expect(() => confusionMatrix([0], [3], 3)).toThrow();
  });
});

describe('CCC', () => {
  it('is 1 for identical, reduced by a bias, -1 for mirrored', () => {
    expect(ccc([1, 2, 3], [1, 2, 3])).toBeCloseTo(1);
    // x = 1,2,3; y = x+1: var 2/3 each, cov 2/3, mean diff 1 → 2·(2/3)/(4/3 + 1) = 4/7
    expect(ccc([1, 2, 3], [2, 3, 4])).toBeCloseTo(4 / 7);
    expect(ccc([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1);
  });
  it('per PAD axis', () => {
    const r = cccPad([[0, 0, 0], [1, 1, 1], [2, 2, 2]], [[0, 1, 0], [1, 2, 1], [2, 3, 2]]);
    expect(r.p).toBeCloseTo(1);
    expect(r.d).toBeCloseTo(1);
    // a: x = 0,1,2; y = x+1 → 2·(2/3)/(4/3 + 1) = 4/7
    expect(r.a).toBeCloseTo(4 / 7);
    expect(r.mean).toBeCloseTo((2 + 4 / 7) / 3);
  });
});

describe('AUROC', () => {
  it('1 for perfect ranking, 0.5 for all ties, hand value with a tie', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(auroc([0.5, 0.5, 0.5, 0.5], [false, true, false, true])).toBe(0.5);
    // pos {0.8, 0.4}, neg {0.4, 0.1}: pairs (0.8>0.4)=1, (0.8>0.1)=1, (0.4=0.4)=0.5, (0.4>0.1)=1 → 3.5/4
    expect(auroc([0.8, 0.4, 0.4, 0.1], [true, true, false, false])).toBeCloseTo(3.5 / 4);
    expect(auroc([1, 2], [true, true])).toBeNaN();
  });
});

