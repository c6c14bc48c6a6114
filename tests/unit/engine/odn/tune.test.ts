import { describe, expect, it } from 'vitest';
import { Head, chooseEpsilonRho, innerFolds, outOfFoldProbabilities, simulateUnknownCases, tuneEpsilonRho, type TuneCase } from '../../../../src-main/engine/odn';
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

  it("builds 'heldout' cases whose statistics are the held-out known clips' probabilities", () => {
    const b = makeBlobs(4, 30, 6, { seed: 3 });
    const speakers = Array.from(b.y, (_, i) => `s${i % 5}`);
    const make = () => new Head({ epochs: 30, seed: 1 });
    const train = simulateUnknownCases(b.X, b.y, speakers, make, { folds: 3, seed: 1 });
    const held = simulateUnknownCases(b.X, b.y, speakers, make, { folds: 3, seed: 1, thresholdSource: 'heldout' });
    expect(held).toHaveLength(train.length);
    held.forEach((c, k) => {
      // Same simulation, same evaluation rows; statistics from its known rows only.
      expect(c.evalProbs).toEqual(train[k].evalProbs);
      const known = Array.from(c.evalUnknown).filter((u) => !u).length;
      expect(c.thresholdProbs).toHaveLength(known);
      expect(c.thresholdLabels).toHaveLength(known);
      c.thresholdProbs.forEach((p, j) => expect(p).toEqual(c.evalProbs[Array.from(c.evalUnknown).map((u, i) => (u ? -1 : i)).filter((i) => i >= 0)[j]]));
    });
  });

  it('gives every row a probability from a head that did not train on it', () => {
    const b = makeBlobs(3, 20, 4, { seed: 5 });
    const speakers = Array.from(b.y, (_, i) => `s${i % 4}`);
    const folds = innerFolds(b.X.length, speakers, { folds: 3, seed: 2 });
    expect(new Set(folds).size).toBe(3);
    // Rows of one speaker share a fold.
    for (let i = 4; i < folds.length; i++) expect(folds[i]).toBe(folds[i - 4]);
    const make = () => new Head({ epochs: 30, seed: 1 });
    const oof = outOfFoldProbabilities(b.X, b.y, folds, 3, make);
    expect(oof).toHaveLength(b.X.length);
    // Fold 0's rows equal a head fitted on the other folds, not one fitted on everything.
    const tr = [...folds.keys()].filter((i) => folds[i] !== 0);
    const ev = [...folds.keys()].filter((i) => folds[i] === 0);
    const h = make();
    h.fit(tr.map((i) => b.X[i]), Int32Array.from(tr, (i) => b.y[i]), { nClasses: 3 });
    const p = h.predictProba(ev.map((i) => b.X[i]));
    ev.forEach((i, j) => expect(Array.from(oof[i])).toEqual(Array.from(p[j])));
  });
});
