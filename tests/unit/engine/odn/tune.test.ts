import { describe, expect, it } from 'vitest';
import { Head, chooseEpsilonRho, tuneEpsilonRho, type TuneCase } from '../../../../src-main/engine/odn';
import { makeBlobs } from '../blobs';

describe('choosing ε and ρ', () => {
  it('picks the grid point with the best unknown-F1 on hand-made cases', () => {
    // Thresholds from two confident correct samples per class: η = 0.9, margin 0.8.
    const c: TuneCase = {
      thresholdProbs: [[0.9, 0.1], [0.9, 0.1], [0.1, 0.9], [0.1, 0.9]],
      thresholdLabels: [0, 0, 1, 1],
      // known: p1 0.7 (margin 0.4); unknown: p1 0.55 (margin 0.1)
      evalProbs: [[0.7, 0.3], [0.3, 0.7], [0.55, 0.45], [0.45, 0.55]],
      evalUnknown: [false, false, true, true],
    };
    // ε = 0.5 → μ = 0.45: everything is "between"; ρ = 0.25 → δ = 0.2 separates margins 0.4 vs 0.1 perfectly.
    const r = tuneEpsilonRho([c], { epsilons: [0.5], rhos: [0.25, 1] });
    expect(r).toMatchObject({ epsilon: 0.5, rho: 0.25, f1: 1 });
    expect(r.table).toHaveLength(2);
    expect(r.table[1].f1).toBeCloseTo(2 / 3); // δ = 0.8: all flagged → P 0.5, R 1
  });

  it('runs inner cross-validation with simulated unknowns on blob data', () => {
    const b = makeBlobs(4, 30, 6, { seed: 3 });
    const speakers = Array.from(b.y, (_, i) => `s${i % 5}`);
    const r = chooseEpsilonRho(b.X, b.y, speakers, () => new Head({ epochs: 30, seed: 1 }), { folds: 3, seed: 1 });
    expect(r.f1).toBeGreaterThan(0.5);
    expect(r.table.length).toBe(10 * 7);
    expect(() => chooseEpsilonRho(b.X.slice(0, 60), b.y.slice(0, 60), null, () => new Head())).toThrow(/3 known classes/);
  });
});
