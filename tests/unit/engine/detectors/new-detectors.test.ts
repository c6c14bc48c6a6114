// The detectors of issue 12 (kNN, energy, ViM, class Gaussians in a PCA space, temperature-scaled MSP), the
// PCA they stand on, and the threshold guard: each on synthetic data where the unknown class is far from the
// known ones (AUROC near 1) and where it overlaps one of them, and each formula on a hand-checked example.
import { describe, expect, it } from 'vitest';
import {
  ClassGaussianDetector,
  EnergyDetector,
  KnnDetector,
  TemperatureMspDetector,
  VimDetector,
  axesForFraction,
  detectorInput,
  fitTemperature,
  guardedThreshold,
  kthSmallest,
  leadingAxes,
  logSumExp,
  principalAxes,
  symmetricEigen,
  temperatureNll,
  thresholdMaxF1,
  zScoreBySpeaker,
  type UnknownDetector,
} from '../../../../src-main/engine/detectors';
import { auroc } from '../../../../src-main/engine/metrics';
import { Head } from '../../../../src-main/engine/odn';
import { makeGaussian, makeRng } from '../../../../src-main/engine/odn/rng';
import { makeBlobs, pick } from '../blobs';

/** 4 known blobs and a fifth as the unknown; `overlap`: the unknown blob sits 35 % of the way from class 0 to class 1. */
function scenario(overlap: boolean) {
  const dim = 16;
  const all = makeBlobs(5, 80, dim, { seed: 7, sep: 2.5, spread: 1 });
  if (overlap) {
    // Move the unknown blob's centre to c0 + 0.35·(c1 − c0): its clips mingle with class 0's edge.
    const shift = Float64Array.from(all.centres[0], (c, j) => c + 0.35 * (all.centres[1][j] - c) - all.centres[4][j]);
    all.X.forEach((x, i) => all.y[i] === 4 && x.forEach((_, j) => (x[j] += shift[j])));
  }
  const known = pick(all, [0, 1, 2, 3]);
  const isTrain = (i: number) => i % 80 < 50;
  const trX = known.X.filter((_, i) => isTrain(i));
  const trY = known.y.filter((_, i) => isTrain(i));
  const teX = [...known.X.filter((_, i) => !isTrain(i)), ...pick(all, [4]).X.slice(0, 30)];
  const isU = teX.map((_, i) => i >= teX.length - 30);
  const head = new Head({ epochs: 80, seed: 1, l2: 1e-2 });
  head.fit(trX, trY);
  return { head, trIn: { ...detectorInput(head, trX), labels: trY }, teIn: detectorInput(head, teX), isU };
}

const makers: [string, (h: Head) => UnknownDetector][] = [
  ['knn', () => new KnnDetector({ k: 5 })],
  ['energy', () => new EnergyDetector()],
  ['vim', (h) => new VimDetector(h)],
  ['gaussian-pca', () => new ClassGaussianDetector({ dims: 8 })],
  ['msp-t', () => new TemperatureMspDetector({ temperature: 2 })],
];

describe('new detectors on Gaussian blobs', () => {
  const far = scenario(false);
  const near = scenario(true);
  it.each(makers)('%s: a far unknown class scores higher than every known one (AUROC > 0.95)', (_, make) => {
    const det = make(far.head).fit(far.trIn);
    const s = det.score(far.teIn);
    expect(s).toHaveLength(far.isU.length);
    expect(s.every(Number.isFinite)).toBe(true);
    expect(auroc(s, far.isU)).toBeGreaterThan(0.95);
  });
  it.each(makers)('%s: an unknown class overlapping a known one is harder, yet above chance', (_, make) => {
    const a = auroc(make(near.head).fit(near.trIn).score(near.teIn), near.isU);
    expect(a).toBeGreaterThan(0.55);
    expect(a).toBeLessThan(auroc(make(far.head).fit(far.trIn).score(far.teIn), far.isU) + 1e-9);
  });
});

describe('formulas on hand examples', () => {
  it('energy is −T·logsumexp(z/T)', () => {
    const z = [1, 2, 3];
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)); // 3.40760596
    expect(logSumExp(z)).toBeCloseTo(lse, 12);
    const e = new EnergyDetector({ temperature: 2 }).score({ features: [[0]], probs: [[1]], logits: [z] })[0];
    expect(e).toBeCloseTo(-2 * Math.log(Math.exp(0.5) + Math.exp(1) + Math.exp(1.5)), 12);
    expect(new EnergyDetector().score({ features: [[0]], probs: [[1]], logits: [z] })[0]).toBeCloseTo(-lse, 12);
  });

  it('temperature MSP is 1 − max softmax(z/T); T = 1 is the plain MSP', () => {
    const z = [2, 0];
    const s1 = new TemperatureMspDetector().score({ features: [[0]], probs: [[1]], logits: [z] })[0];
    expect(s1).toBeCloseTo(1 - 1 / (1 + Math.exp(-2)), 12);
    const s2 = new TemperatureMspDetector({ temperature: 2 }).score({ features: [[0]], probs: [[1]], logits: [z] })[0];
    expect(s2).toBeCloseTo(1 - 1 / (1 + Math.exp(-1)), 12);
  });

  it('fitTemperature minimises the held-out NLL (over-confident logits get T > 1)', () => {
    const g = makeGaussian(makeRng(3));
    // True logits z, labels drawn from softmax(z); the "head" reports 3·z, so T ≈ 3 undoes it.
    const logits: number[][] = [];
    const labels: number[] = [];
    const rng = makeRng(9);
    for (let i = 0; i < 3000; i++) {
      const z = [g(), g(), g()];
      const p = z.map(Math.exp);
      const s = p.reduce((a, b) => a + b, 0);
      let u = rng() * s, c = 0;
      while (c < 2 && u > p[c]) u -= p[c++];
      labels.push(c);
      logits.push(z.map((v) => 3 * v));
    }
    const T = fitTemperature(logits, labels);
    expect(T).toBeGreaterThan(2.5);
    expect(T).toBeLessThan(3.5);
    expect(temperatureNll(logits, labels, T)).toBeLessThan(temperatureNll(logits, labels, 1));
  });

  it('kNN: distance to the k-th nearest unit-length training row', () => {
    const train = [[1, 0], [0, 1], [-1, 0]];
    const det = new KnnDetector({ k: 2 }).fit({ features: train, probs: [[1], [1], [1]], logits: [[0], [0], [0]], labels: [0, 0, 0] });
    // x = (2, 0) → unit (1, 0): distances 0, √2, 2 → the 2nd is √2. Scaling x does not matter.
    const s = det.score({ features: [[2, 0], [0.5, 0]], probs: [[1], [1]], logits: [[0], [0]] });
    expect(s[0]).toBeCloseTo(Math.SQRT2, 12);
    expect(s[1]).toBeCloseTo(Math.SQRT2, 12);
    expect(kthSmallest([5, 1, 4, 2, 3], 1)).toBe(1);
    expect(kthSmallest([5, 1, 4, 2, 3], 4)).toBe(4);
  });

  it('ViM: origin, residual off the principal subspace and α on a 3-d example', () => {
    // A head without hidden layer on 3 features and 2 classes: logits = [x0 + 1, x1 − 1].
    const head = new Head({ epochs: 1 });
    head.initialize(3, 2);
    head.W_ = Float64Array.from([1, 0, 0, 1, 0, 0]); // row-major 3 × 2
    head.b_ = Float64Array.from([1, -1]);
    const det = new VimDetector(head, { dims: 1 });
    // o = −W (WᵀW)⁻¹ b = (−1, 1, 0): there both logits are 0.
    const o = det.origin();
    expect(Array.from(o).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-1, 1, 0]);
    // Training rows about o vary mostly along x0 (±3) and a little along x2 (±1): the 1-d subspace is x0.
    const X = [[2, 1, 1], [-4, 1, -1], [2, 1, -1], [-4, 1, 1]];
    const input = detectorInput(head, X);
    det.fit({ ...input, labels: [0, 1, 0, 1] });
    // residuals: |x2 − 0| = 1 for every row; max logits: 3, 0, 3, 0 → mean 1.5; α = 1.5 / 1.
    expect(det.alpha_).toBeCloseTo(1.5, 9);
    const t = [[-1, 1, 4]]; // at o plus 4 along the discarded axis: logits 0, 0
    const s = det.score(detectorInput(head, t))[0];
    expect(s).toBeCloseTo(1.5 * 4 - Math.log(2), 9);
  });

  it('class Gaussians: the score is the smallest Mahalanobis distance plus log det over classes', () => {
    // 1-d, two classes with variances 1 and 4 (shrinkage 0: each keeps its own).
    const X = [[-1], [1], [8], [12]];
    const det = new ClassGaussianDetector({ dims: 1, shrinkage: 0 }).fit({ features: X, probs: X, logits: X, labels: [0, 0, 1, 1] });
    // Along the one axis (centred at 5): class 0 mean −5 var 1, class 1 mean 5 var 4 (up to the axis's sign).
    const s = det.score({ features: [[0], [10]], probs: [[0], [0]], logits: [[0], [0]] });
    const q = (x: number) => Math.min((x - 0) ** 2 / 1 + Math.log(1), (x - 10) ** 2 / 4 + Math.log(4));
    expect(s[0]).toBeCloseTo(q(0), 4);
    expect(s[1]).toBeCloseTo(q(10), 4);
  });
});

describe('principal axes', () => {
  it('symmetricEigen on a 2×2 matrix', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0][0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0][0] * vectors[0][1]).toBeGreaterThan(0);
  });

  it('Gram and covariance routes agree, and randomised leading axes match them', () => {
    const g = makeGaussian(makeRng(4));
    const scales = [5, 3, 2, 1, 0.5, 0.2];
    const rows = (n: number) => Array.from({ length: n }, () => Float64Array.from(scales, (s) => g() * s));
    const few = rows(5); // n < d: Gram route
    const many = rows(200); // n ≥ d: covariance route
    const a = principalAxes(few);
    expect(a.moments.length).toBeLessThanOrEqual(4); // 5 centred rows span ≤ 4 dimensions
    expect(a.moments.reduce((s, v) => s + v, 0)).toBeCloseTo(a.total, 9);
    const b = principalAxes(many);
    const c = leadingAxes(many, 3);
    for (let r = 0; r < 3; r++) {
      expect(c.moments[r]).toBeCloseTo(b.moments[r], 6);
      const dot = b.axes[r].reduce((s, v, j) => s + v * c.axes[r][j], 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 6);
    }
    expect(axesForFraction(b, 0.999)).toBeGreaterThanOrEqual(axesForFraction(b, 0.5));
  });
});

describe('the threshold guard', () => {
  const scores = Float64Array.from({ length: 100 }, (_, i) => i / 100);
  it('keeps a max-F1 threshold that flags between 5 % and 80 %', () => {
    const isU = Array.from(scores, (s) => s >= 0.8);
    const g = guardedThreshold(scores, isU);
    expect(g.fallback).toBe(false);
    expect(g.threshold).toBe(thresholdMaxF1(scores, isU).threshold);
    expect(g.flagged).toBeCloseTo(0.2, 9);
  });

  it('refuses a flag-everything threshold and falls back to the 15 % known false-positive rate', () => {
    // Unknowns spread evenly among known clips: flagging everything maximises F1.
    const isU = Array.from(scores, (_, i) => i % 2 === 0);
    expect(thresholdMaxF1(scores, isU).threshold).toBeLessThan(0);
    const g = guardedThreshold(scores, isU);
    expect(g.fallback).toBe(true);
    expect(g.refusedFlagged).toBe(1);
    const knownFlagged = Array.from(scores).filter((s, i) => !isU[i] && s > g.threshold).length / 50;
    // The 0.85 quantile of the known scores 0.01, 0.03, …, 0.99 is 0.843: 8 of 50 lie above it.
    expect(g.threshold).toBeCloseTo(0.843, 9);
    expect(knownFlagged).toBeCloseTo(0.16, 9);
    expect(g.flagged).toBeGreaterThanOrEqual(0.05);
    expect(g.flagged).toBeLessThanOrEqual(0.8);
  });

  it('z-scores within each speaker without labels', () => {
    const z = zScoreBySpeaker([1, 3, 10, 30, 7], ['a', 'a', 'b', 'b', 'c']);
    expect(Array.from(z)).toEqual([-1, 1, -1, 1, 0]);
  });
});
