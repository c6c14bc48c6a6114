import { describe, expect, it } from 'vitest';
import { computeThresholds, decide, isUnknown, tripletScore, withEpsilonRho } from '../../../../src-main/engine/odn';

// 3-class toy. Class 0 correct samples: [0.8,0.1,0.1], [0.6,0.3,0.1]; one class-0 sample wrong.
// Class 1 correct: [0.2,0.7,0.1]. Class 2: never correct → fallback.
const probs = [
  [0.8, 0.1, 0.1],
  [0.6, 0.3, 0.1],
  [0.3, 0.5, 0.2], // class 0 misclassified: ignored
  [0.2, 0.7, 0.1],
  [0.5, 0.2, 0.3], // class 2 misclassified
];
const labels = [0, 0, 0, 1, 2];

describe('thresholds (eqs. 1-3)', () => {
  const t = computeThresholds(probs, labels, { epsilon: 0.5, rho: 2 });
  it('uses only correctly classified samples', () => {
    expect(t.classes[0].eta).toBeCloseTo(0.7); // (0.8 + 0.6)/2
    expect(t.classes[0].mu).toBeCloseTo(0.35); // ε·η
    expect(t.classes[0].meanMargin).toBeCloseTo(0.5); // ((0.8−0.1) + (0.6−0.3))/2
    expect(t.classes[0].delta).toBeCloseTo(1.0); // ρ·0.5
    expect(t.classes[0].support).toBe(2);
    expect(t.classes[1].eta).toBeCloseTo(0.7);
    expect(t.classes[1].meanMargin).toBeCloseTo(0.5);
  });
  it('falls back to the mean of the other classes for a class with no correct sample', () => {
    expect(t.classes[2].fallback).toBe(true);
    expect(t.classes[2].support).toBe(0);
    expect(t.classes[2].eta).toBeCloseTo(0.7);
    expect(t.classes[2].delta).toBeCloseTo(1.0);
    const fixed = computeThresholds(probs, labels, { fallback: 'fixed', fixedEta: 0.9, fixedMargin: 0.4, epsilon: 0.5, rho: 1 });
    expect(fixed.classes[2]).toMatchObject({ eta: 0.9, mu: 0.45, delta: 0.4 });
  });
  it('re-derives μ, δ for other ε, ρ and validates them', () => {
    const t2 = withEpsilonRho(t, 0.8, 0.5);
    expect(t2.classes[0].mu).toBeCloseTo(0.56);
    expect(t2.classes[0].delta).toBeCloseTo(0.25);
    expect(() => computeThresholds(probs, labels, { epsilon: 1.5 })).toThrow();
    expect(() => computeThresholds(probs, labels, { rho: 0 })).toThrow();
  });
});

describe('decide', () => {
  // Hand-set thresholds: anger η 0.81, μ 0.57, δ 0.31.
  const th = {
    epsilon: 0.7,
    rho: 1,
    classes: [
      { eta: 0.81, mu: 0.567, delta: 0.31, meanMargin: 0.31, support: 10, fallback: false },
      { eta: 0.9, mu: 0.63, delta: 0.5, meanMargin: 0.5, support: 10, fallback: false },
      { eta: 0.7, mu: 0.3, delta: 0.2, meanMargin: 0.2, support: 10, fallback: false },
    ],
  };
  const names = ['anger', 'sadness', 'neutral'];

  it('accepts when p ≥ η', () => {
    const d = decide([0.85, 0.1, 0.05], th, names);
    expect(d).toMatchObject({ kind: 'accepted', label: 'anger', top1: 0, top2: 1, eta: 0.81 });
    expect(d.reason).toBe('0.85 ≥ η(anger)=0.81 → anger');
  });
  it('accepts in between when the margin reaches δ', () => {
    const d = decide([0.62, 0.22, 0.16], th, names);
    expect(d.kind).toBe('ambiguous-accepted');
    expect(d.label).toBe('anger');
    expect(d.reason).toBe('0.62 is below η(anger)=0.81 but above μ=0.57; margin 0.40 ≥ δ=0.31 → anger');
  });
  it('rejects in between when the margin is below δ', () => {
    const d = decide([0.6, 0.35, 0.05], th, names);
    expect(d.kind).toBe('ambiguous-unknown');
    expect(d.label).toBeNull();
    expect(d.reason).toContain('margin 0.25 < δ=0.31 → unknown');
  });
  it('calls unknown when all probabilities are below μ', () => {
    const d = decide([0.5, 0.3, 0.2], th, names);
    expect(d.kind).toBe('unknown');
    expect(isUnknown(d)).toBe(true);
    expect(d.mu).toBeCloseTo(0.567);
  });
  it('applies the μ rule: min over classes is more lenient, max stricter', () => {
    // p1 = 0.5 for anger: μ_top1 = 0.567 → unknown; μ_min = 0.3 → between (margin 0.3 < 0.31 → ambiguous-unknown)
    expect(decide([0.5, 0.2, 0.3], th, names, { muRule: 'min' }).kind).toBe('ambiguous-unknown');
    expect(decide([0.55, 0.1, 0.35], th, names, { muRule: 'min' }).mu).toBeCloseTo(0.3);
    // neutral p1 = 0.6 with μ_top1 = 0.3 → margin 0.4 ≥ 0.2 → accepted; with μ_max = 0.63 → unknown
    expect(decide([0.2, 0.2, 0.6], th, names).kind).toBe('ambiguous-accepted');
    expect(decide([0.2, 0.2, 0.6], th, names, { muRule: 'max' }).kind).toBe('unknown');
  });
  it('tripletScore > 0 exactly when decide says unknown', () => {
    const vectors = [
      [0.85, 0.1, 0.05], [0.62, 0.22, 0.16], [0.6, 0.35, 0.05], [0.5, 0.3, 0.2], [0.1, 0.4, 0.5], [0.34, 0.33, 0.33], [0.05, 0.92, 0.03],
    ];
    for (const rule of ['top1', 'min', 'max'] as const)
      for (const p of vectors) expect(tripletScore(p, th, rule) > 0).toBe(isUnknown(decide(p, th, names, { muRule: rule })));
  });
  it('rejects mismatched lengths', () => {
    expect(() => decide([0.5, 0.5], th, names)).toThrow();
    expect(() => decide([0.5, 0.3, 0.2], th, ['a', 'b'])).toThrow();
  });
});
