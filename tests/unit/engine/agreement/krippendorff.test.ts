import { describe, expect, it } from 'vitest';
import { alphaFromCounts, alphaFromMatrix, coincidenceMatrix, intervalDistance } from '../../../../src-main/engine/agreement';

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers, 12 units,
// missing values; published: nominal α = 0.743, interval α = 0.849. Rows are units, columns observers A-D.
const _ = null;
const K2011 = [
  [1, 1, _, 1],
  [2, 2, 3, 2],
  [3, 3, 3, 3],
  [3, 3, 3, 3],
  [2, 2, 2, 2],
  [1, 2, 3, 4],
  [4, 4, 4, 4],
  [1, 1, 2, 1],
  [2, 2, 2, 2],
  [_, 5, 5, 5],
  [_, _, 1, 1],
  [_, 3, _, _], // one value: not pairable, drops out
];

// Wikipedia's computational example (3 coders, 15 units), whose α the `krippendorff` Python package's docs
// reproduce: nominal 0.691, interval 0.811.
const WIKI = [
  [_, 1, _], [_, _, _], [_, 2, 2], [_, 1, 1], [_, 3, 3], [3, 3, 4], [4, 4, 4], [1, 3, _],
  [2, _, 2], [1, _, 1], [1, _, 1], [3, _, 3], [3, _, 3], [_, _, _], [3, _, 4],
];

/** Alpha by its pair definition, without a coincidence matrix: every ordered pair of values within a unit. */
function alphaByPairs(matrix: (number | null)[][], d: (a: number, b: number) => number): number {
  const units = matrix.map((r) => r.filter((v): v is number => v !== null)).filter((u) => u.length >= 2);
  const all = units.flat();
  const n = all.length;
  let Do = 0;
  for (const u of units) {
    let s = 0;
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j) s += d(u[i], u[j]);
    Do += s / (u.length - 1);
  }
  let De = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) De += d(all[i], all[j]);
  return 1 - (Do / n) / (De / (n * (n - 1)));
}

describe("Krippendorff's alpha", () => {
  it('reproduces Krippendorff (2011): nominal 0.743, interval 0.849', () => {
    const nominal = alphaFromMatrix(K2011, 'nominal');
    expect(nominal.alpha).toBeCloseTo(0.743, 3);
    expect(nominal.pairable).toBe(40); // the paper's n = 40 pairable values
    expect(nominal.units).toBe(11);
    expect(alphaFromMatrix(K2011, 'interval').alpha).toBeCloseTo(0.849, 3);
  });

  it("reproduces Wikipedia's example: nominal 0.691, interval 0.811", () => {
    expect(alphaFromMatrix(WIKI, 'nominal').alpha).toBeCloseTo(0.691, 3);
    expect(alphaFromMatrix(WIKI, 'interval').alpha).toBeCloseTo(0.811, 3);
  });

  it('agrees with the pair definition on random data with missing values', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 20; t++) {
      const m = Array.from({ length: 30 }, () => Array.from({ length: 5 }, () => (rnd() < 0.3 ? null : 1 + Math.floor(rnd() * 4))));
      expect(alphaFromMatrix(m, 'nominal').alpha).toBeCloseTo(alphaByPairs(m, (a, b) => (a === b ? 0 : 1)), 10);
      expect(alphaFromMatrix(m, 'interval').alpha).toBeCloseTo(alphaByPairs(m, (a, b) => (a - b) ** 2), 10);
    }
  });

  it('gives the same alpha from a votes-per-category table as from the coder matrix', () => {
    // K2011 as counts of values 1..5 per unit: no coder identities needed.
    const counts = K2011.map((row) => [1, 2, 3, 4, 5].map((v) => row.filter((x) => x === v).length));
    expect(alphaFromCounts(counts, 5).alpha).toBeCloseTo(alphaFromMatrix(K2011).alpha, 12);
    expect(alphaFromCounts(counts, 5, intervalDistance([1, 2, 3, 4, 5])).alpha).toBeCloseTo(alphaFromMatrix(K2011, 'interval').alpha, 12);
  });

  it('builds the coincidence matrix of the 2011 example (symmetric; n_c = the values counted: 9, 13, 10, 5, 3)', () => {
    const counts = K2011.map((row) => [1, 2, 3, 4, 5].map((v) => row.filter((x) => x === v).length));
    const o = coincidenceMatrix(counts, 5);
    for (let c = 0; c < 5; c++) for (let k = 0; k < 5; k++) expect(o[c][k]).toBeCloseTo(o[k][c], 12);
    expect(o.map((r) => r.reduce((s, v) => s + v, 0))).toEqual([9, 13, 10, 5, 3].map((v) => expect.closeTo(v, 10)));
    expect(o[0][0]).toBeCloseTo(7, 10);
  });

  it('is 1 for perfect agreement and undefined (NaN) when only one value occurs', () => {
    expect(alphaFromMatrix([[1, 1], [2, 2], [3, 3]]).alpha).toBe(1);
    expect(alphaFromMatrix([[1, 1], [1, 1]]).alpha).toBeNaN();
    expect(alphaFromMatrix([[1, _], [_, 2]]).alpha).toBeNaN();
  });

  it('refuses non-numbers on an interval scale and bad counts', () => {
    expect(() => alphaFromMatrix([['a', 'b']], 'interval')).toThrow(/numbers/);
    expect(() => alphaFromCounts([[1, -1]], 2)).toThrow(/non-negative/);
    expect(() => alphaFromCounts([[1, 2, 3]], 2)).toThrow(/expected 2/);
  });
});
