import { describe, expect, it } from 'vitest';
import { alphaFromCounts, cohenFromConfusion, cohenKappa, confusionOf, fleissKappa, pairwiseCohen } from '../../../../src-main/engine/agreement';

// Wikipedia's Fleiss' kappa worked example: 10 subjects, 14 raters each, 5 categories.
// Published: p_j = 0.143 0.200 0.279 0.150 0.229, P̄ = 0.378, P̄_e = 0.213, κ = 0.210.
const FLEISS_WIKI = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

/** Fleiss' quantities by their pair definition, from explicit rating lists (an independent computation). */
function fleissByPairs(units: number[][], k: number) {
  const rated = units.filter((u) => u.length >= 2);
  const pBar = rated.reduce((s, u) => {
    let agree = 0;
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j && u[i] === u[j]) agree++;
    return s + agree / (u.length * (u.length - 1));
  }, 0) / rated.length;
  const all = rated.flat();
  const p = Array.from({ length: k }, (_, j) => all.filter((v) => v === j).length / all.length);
  const pe = p.reduce((s, v) => s + v * v, 0);
  return (pBar - pe) / (1 - pe);
}

describe("Fleiss' kappa", () => {
  it("reproduces Wikipedia's worked example (κ = 0.210)", () => {
    const r = fleissKappa(FLEISS_WIKI, 5);
    expect(r.kappa).toBeCloseTo(0.21, 3);
    expect(r.observedAgreement).toBeCloseTo(0.378, 3);
    expect(r.expectedAgreement).toBeCloseTo(0.213, 3);
    expect(r.perCategory.map((c) => c.proportion)).toEqual([0.143, 0.2, 0.279, 0.15, 0.229].map((v) => expect.closeTo(v, 3)));
    expect(r.ratersPerUnit).toEqual({ min: 14, max: 14, mean: 14 });
    expect(r.units).toBe(10);
    expect(r.ratings).toBe(140);
  });

  it('per-category κ_j matches Fleiss (1971) eq. 20 for constant n, and its p_j-weighted mean is κ', () => {
    const r = fleissKappa(FLEISS_WIKI, 5);
    const N = 10, n = 14;
    r.perCategory.forEach((c, j) => {
      const num = FLEISS_WIKI.reduce((s, x) => s + x[j] * (n - x[j]), 0);
      expect(c.kappa).toBeCloseTo(1 - num / (N * n * (n - 1) * c.proportion * (1 - c.proportion)), 12);
    });
    // Fleiss (1971): κ = Σ p_j q_j κ_j / Σ p_j q_j.
    const w = r.perCategory.map((c) => c.proportion * (1 - c.proportion));
    const pooled = r.perCategory.reduce((s, c, j) => s + w[j] * c.kappa, 0) / w.reduce((s, v) => s + v, 0);
    expect(pooled).toBeCloseTo(r.kappa, 12);
  });

  it('handles a varying number of raters per unit as its pair definition does, and skips units with < 2', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 20; t++) {
      const units = Array.from({ length: 40 }, () => Array.from({ length: Math.floor(rnd() * 12) }, () => Math.floor(rnd() * 3 + rnd() * 2)));
      const counts = units.map((u) => [0, 1, 2, 3, 4].map((j) => u.filter((v) => v === j).length));
      const r = fleissKappa(counts, 5);
      expect(r.kappa).toBeCloseTo(fleissByPairs(units, 5), 10);
      // The generalised κ_j keep Fleiss' identity κ = Σ p_j q_j κ_j / Σ p_j q_j with a varying n_i.
      const w = r.perCategory.map((c) => c.proportion * (1 - c.proportion));
      expect(r.perCategory.reduce((s, c, j) => s + (w[j] ? w[j] * c.kappa : 0), 0) / w.reduce((s, v) => s + v, 0)).toBeCloseTo(r.kappa, 10);
    }
  });

  it('is close to nominal alpha on large tables (alpha corrects for n only by (n − 1)/n)', () => {
    const r = fleissKappa(FLEISS_WIKI, 5);
    const a = alphaFromCounts(FLEISS_WIKI, 5).alpha;
    expect(Math.abs(a - r.kappa)).toBeLessThan(0.02);
  });

  it('specific agreement is 2a / (2a + b + c) for two raters', () => {
    // Two raters, 50 units: yes/yes 20, yes/no 5, no/yes 10, no/no 15 (as counts of [yes, no] per unit).
    const units = [...Array(20).fill([2, 0]), ...Array(15).fill([1, 1]), ...Array(15).fill([0, 2])];
    const r = fleissKappa(units, 2);
    expect(r.perCategory[0].specificAgreement).toBeCloseTo((2 * 20) / (2 * 20 + 5 + 10), 12);
    expect(r.perCategory[1].specificAgreement).toBeCloseTo((2 * 15) / (2 * 15 + 5 + 10), 12);
  });

  it('leaves κ_j undefined for a category nobody chose', () => {
    const r = fleissKappa([[2, 0], [1, 1]], 2);
    expect(fleissKappa([[2, 0, 0], [1, 1, 0]], 3).perCategory[2].kappa).toBeNaN();
    expect(Number.isFinite(r.kappa)).toBe(true);
  });
});

describe("Cohen's kappa", () => {
  it("reproduces Wikipedia's example: 50 proposals, p_o = 0.7, p_e = 0.5, κ = 0.4", () => {
    const r = cohenFromConfusion([[20, 5], [10, 15]]);
    expect(r.observedAgreement).toBeCloseTo(0.7, 12);
    expect(r.expectedAgreement).toBeCloseTo(0.5, 12);
    expect(r.kappa).toBeCloseTo(0.4, 12);
  });

  it("reproduces Cohen (1960)'s three-category example: p_o = .70, p_c = .41, κ = .492", () => {
    // Proportions of 200 units: .44 .07 .09 / .05 .20 .05 / .01 .03 .06.
    const r = cohenFromConfusion([[88, 14, 18], [10, 40, 10], [2, 6, 12]]);
    expect(r.observedAgreement).toBeCloseTo(0.7, 12);
    expect(r.expectedAgreement).toBeCloseTo(0.41, 12);
    expect(r.kappa).toBeCloseTo(0.492, 3);
  });

  it('builds the confusion matrix from label lists, skipping units either left empty', () => {
    const a = ['x', 'x', 'y', null, 'y', 'z'];
    const b = ['x', 'y', 'y', 'x', null, 'z'];
    const c = confusionOf(a, b, ['z', 'y', 'x']);
    expect(c.labels).toEqual(['z', 'y', 'x']);
    expect(c.n).toBe(4);
    expect(c.matrix).toEqual([[1, 0, 0], [0, 1, 0], [0, 1, 1]]);
    expect(cohenKappa(a, b).kappa).toBeCloseTo(cohenFromConfusion(c.matrix).kappa, 12);
  });

  it('pairs every two coders of a units × coders matrix', () => {
    const m = [['a', 'a', 'b'], ['b', 'b', 'b'], ['a', 'a', null], ['b', 'a', 'b']];
    const pairs = pairwiseCohen(m, ['p', 'q', 'r']);
    expect(pairs.map((p) => `${p.a}-${p.b}:${p.n}`)).toEqual(['p-q:4', 'p-r:3', 'q-r:3']);
    // p vs q: agree on 3 of 4; marginals p (a 2, b 2), q (a 3, b 1): p_e = (2·3 + 2·1)/16 = 0.5, κ = 0.5.
    expect(pairs[0].kappa).toBeCloseTo(0.5, 12);
  });
});
