import { describe, expect, it } from 'vitest';
import type { Pad } from '../../../../shared/domain';
import { EODN_TABLE1 } from '../../../../shared/pad-tables';
import { PadRidge, classPadsFor, labelGroup, nearestTerms, padFromProbs } from '../../../../src-main/engine/pad';
import { makeGaussian, makeRng } from '../../../../src-main/engine/odn';

describe('eq. 4 and eq. 5', () => {
  const pads = classPadsFor(['anger', 'sadness', 'happiness'], EODN_TABLE1) as Pad[];
  it('looks the known classes up by name', () => {
    expect(pads).toEqual([[-1.98, 1.1, 0.6], [-0.89, 0.17, -0.7], [2.77, 1.21, 1.42]]);
    expect(classPadsFor(['frustrated'], EODN_TABLE1)).toEqual([null]);
  });
  it('f = Σ p_j F_j on one vector', () => {
    const f = padFromProbs([0.5, 0.5, 0], pads);
    expect(f[0]).toBeCloseTo(-1.435);
    expect(f[1]).toBeCloseTo(0.635);
    expect(f[2]).toBeCloseTo(-0.05);
  });
  it('nearest terms with Euclidean distances; known words can be excluded', () => {
    const near = nearestTerms([-1.98, 1.1, 0.6], EODN_TABLE1, { k: 3 });
    expect(near.map((n) => n.term.name)).toEqual(['Anger', 'Animosity', 'Disgusted']);
    expect(near[0].distance).toBe(0);
    // Animosity: (−0.1, −0.1, 0.52) → √(0.01 + 0.01 + 0.2704)
    expect(near[1].distance).toBeCloseTo(Math.sqrt(0.2904));
    const ex = nearestTerms([-1.98, 1.1, 0.6], EODN_TABLE1, { k: 1, exclude: ['anger'] });
    expect(ex[0].term.name).toBe('Animosity');
  });
  it('labels a group by its mean point', () => {
    const g = labelGroup([[-1, 1.3, -0.6], [-0.86, 1.3, -0.68]], EODN_TABLE1, { k: 2 });
    expect(g.pad[0]).toBeCloseTo(-0.93);
    expect(g.nearest[0].term.name).toBe('Fearful');
  });
});

describe('PadRidge', () => {
  // Targets are a linear map of the features plus small noise; ridge must recover it, primal and dual alike.
  const rng = makeRng(4);
  const g = makeGaussian(rng);
  const make = (n: number, d: number) => {
    const X = Array.from({ length: n }, () => Float32Array.from({ length: d }, () => g()));
    const Y = X.map((x) => [x[0] + 0.5 * x[1] + 1, -x[2], 2 * x[0] - 0.5] as Pad);
    return { X, Y };
  };
  it('recovers an exact linear map (n ≥ d, primal)', () => {
    const { X, Y } = make(200, 5);
    const r = new PadRidge({ lambda: 0.01 }).fit(X, Y);
    const p = r.predict([Float32Array.of(1, 2, 3, 0, 0)])[0];
    expect(p[0]).toBeCloseTo(3, 2);
    expect(p[1]).toBeCloseTo(-3, 2);
    expect(p[2]).toBeCloseTo(1.5, 2);
  });
  it('gives the same solution through the dual (n < d) as the primal', () => {
    const { X, Y } = make(12, 20);
    const dual = new PadRidge({ lambda: 1 }).fit(X, Y);
    // the primal on the same data: duplicate the rows' information via a wider n is not possible; instead check
    // the normal equations: (XcᵀXc + λI) w = Xcᵀ yc for axis 0
    const d = 20, n = 12;
    const xm = new Float64Array(d);
    X.forEach((x) => x.forEach((v, j) => (xm[j] += v / n)));
    const ym = Y.reduce((s, y) => s + y[0] / n, 0);
    for (let a = 0; a < d; a++) {
      let lhs = 1 * dual.W_[a * 3];
      let rhs = 0;
      X.forEach((x, i) => {
        let xw = 0;
        for (let b = 0; b < d; b++) xw += (x[b] - xm[b]) * dual.W_[b * 3];
        lhs += (x[a] - xm[a]) * xw;
        rhs += (x[a] - xm[a]) * (Y[i][0] - ym);
      });
      expect(lhs).toBeCloseTo(rhs, 6);
    }
  });
  it('can leave the known classes’ convex hull (eq. 4 cannot) and round-trips JSON', () => {
    // Two classes with standard vectors A and B as targets; features of B's clips sit at +1 on x0, A's at -1.
    const A: Pad = [-2, 1, 0.6], B: Pad = [0, 0, 0];
    const X = Array.from({ length: 40 }, (_, i) => Float32Array.of(i < 20 ? -1 : 1, g() * 0.1));
    const Y = X.map((_, i) => (i < 20 ? A : B));
    const r = new PadRidge({ lambda: 0.01 }).fit(X, Y);
    const beyond = r.predict([Float32Array.of(3, 0)])[0]; // further along the A→B direction than B
    expect(beyond[0]).toBeGreaterThan(1.5); // ≈ +2: outside the segment [A, B]
    expect(beyond[1]).toBeLessThan(-0.5);
    const back = PadRidge.fromJSON(JSON.parse(JSON.stringify(r.toJSON())));
    expect(back.predict(X.slice(0, 3))).toEqual(r.predict(X.slice(0, 3)));
  });
});
