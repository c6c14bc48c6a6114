import { describe, expect, it } from 'vitest';
import { fitWeibull, weibullCdf } from '../../../../src-main/engine/detectors';
import { makeRng } from '../../../../src-main/engine/odn';

// Inverse-CDF sampling: x = λ (−ln(1 − u))^(1/k).
function sample(k: number, lambda: number, n: number, seed: number): number[] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => lambda * Math.pow(-Math.log(1 - rng()), 1 / k));
}

describe('Weibull MLE', () => {
  it.each([
    [0.8, 2],
    [2.5, 10],
    [6, 0.3],
  ])('recovers shape %s and scale %s from 5000 seeded samples', (k, lambda) => {
    const w = fitWeibull(sample(k, lambda, 5000, 17));
    expect(Math.abs(w.shape - k) / k).toBeLessThan(0.05);
    expect(Math.abs(w.scale - lambda) / lambda).toBeLessThan(0.05);
  });

  it('satisfies the likelihood equation at the fitted shape', () => {
    const x = sample(1.7, 3, 400, 5);
    const { shape: k, scale } = fitWeibull(x);
    const sk = x.reduce((s, v) => s + v ** k, 0);
    const skl = x.reduce((s, v) => s + v ** k * Math.log(v), 0);
    const ml = x.reduce((s, v) => s + Math.log(v), 0) / x.length;
    expect(skl / sk - 1 / k - ml).toBeCloseTo(0, 8);
    expect(scale).toBeCloseTo(Math.pow(sk / x.length, 1 / k), 8);
  });

  it('CDF: 0 at 0, 1 − 1/e at the scale, and rejects degenerate input', () => {
    const w = { shape: 2, scale: 3 };
    expect(weibullCdf(0, w)).toBe(0);
    expect(weibullCdf(3, w)).toBeCloseTo(1 - Math.exp(-1));
    expect(() => fitWeibull([1])).toThrow();
    expect(() => fitWeibull([2, 2, 2])).toThrow();
  });
});
