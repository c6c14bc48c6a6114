import { describe, expect, it } from 'vitest';
import { groupClips } from '../../../../src-main/engine/discovery/groups';
import { makeGaussian, makeRng } from '../../../../src-main/engine/odn/rng';

// scipy.cluster.hierarchy: fcluster(linkage(X, 'average', metric='cosine'), 0.3, 'distance') on these rows
// gives the partition {0} {1,2} {3,6,7} {4} {5} {8,9,10} {11}.
const X = [[2.04, -2.56, 0.42], [-0.57, -0.45, -0.22], [-2.02, -0.23, -0.87], [3.32, 0.23, -0.35], [-0.28, -0.67, -1.06], [-0.39, 0.48, -0.24], [0.96, -0.2, 0.02], [1.55, 0.55, -0.51], [-0.18, 0.54, 1.94], [-0.27, -0.24, 1.0], [-0.89, -0.29, 0.88], [0.58, 0.09, 0.67]];

/** Rows around a few directions, `per` each, plus noise. */
function blobs(dirs: number[][], per: number, noise: number, seed = 1): number[][] {
  const g = makeGaussian(makeRng(seed));
  return dirs.flatMap((d) => Array.from({ length: per }, () => d.map((v) => v + noise * g())));
}

describe('groupClips', () => {
  it('cuts the average-linkage tree as scipy does, and leaves small parts as singles', () => {
    const r = groupClips(X, { cut: 0.3, minGroupSize: 2, stabilityRounds: 0 });
    const sets = r.groups.map((g) => [...g.members].sort((a, b) => a - b));
    expect(sets).toEqual([[3, 6, 7], [8, 9, 10], [1, 2]]);
    expect(r.singles).toEqual([0, 4, 5, 11]);
    const three = groupClips(X, { cut: 0.3, minGroupSize: 3, stabilityRounds: 0 });
    expect(three.groups).toHaveLength(2);
    expect(three.singles).toEqual([0, 1, 2, 4, 5, 11]);
  });

  it('lists the medoid first and the farthest member last', () => {
    const rows = [[1, 0], [1, 0.1], [1, -0.1], [1, 0.35]];
    const [g] = groupClips(rows, { cut: 0.5, minGroupSize: 3, stabilityRounds: 0 }).groups;
    expect(g.members[0]).toBe(1); // the row with the smallest summed distance to the others
    expect(g.members.at(-1)).toBe(3);
    expect(g.distances[0]).toBe(0);
    expect(g.distances).toEqual([...g.distances].sort((a, b) => a - b));
  });

  it('separated directions form stable, pure groups; noise-only rows stay singles', () => {
    const rows = blobs([[5, 0, 0, 0], [0, 5, 0, 0], [0, 0, 5, 0]], 8, 0.5);
    rows.push([1, 1, 1, 1], [-1, 1, -1, 1]);
    const r = groupClips(rows, { cut: 0.2, minGroupSize: 3, stabilityRounds: 10, seed: 3 });
    expect(r.groups).toHaveLength(3);
    for (const g of r.groups) {
      const blob = Math.floor(g.members[0] / 8);
      expect(g.members.every((i) => Math.floor(i / 8) === blob)).toBe(true);
      expect(g.stability).toBeGreaterThan(0.9);
    }
    expect(r.singles).toEqual([24, 25]);
  });

  it('cannot-link splits a group and must-link joins rows that would stay apart', () => {
    const rows = [[1, 0], [1, 0.05], [1, -0.05], [1, 0.02], [0, 1], [0.05, 1], [-0.05, 1]];
    const base = groupClips(rows, { cut: 0.3, minGroupSize: 2, stabilityRounds: 0 });
    expect(base.groups.map((g) => g.members.length)).toEqual([4, 3]);
    const apart = groupClips(rows, { cut: 0.3, minGroupSize: 1, stabilityRounds: 0, cannotLink: [[0, 1], [0, 2], [0, 3]] });
    expect(apart.singles).toEqual([0]);
    expect(apart.groups.map((g) => g.members.length)).toEqual([3, 3]);
    const joined = groupClips([[1, 0], [0, 1], [0.02, 1]], { cut: 0.3, minGroupSize: 2, stabilityRounds: 0, mustLink: [[0, 1], [0, 2]] });
    expect(joined.groups).toHaveLength(1);
    expect(joined.groups[0].members.sort()).toEqual([0, 1, 2]);
  });

  it('handles no rows, one row, and a bad cut', () => {
    expect(groupClips([], { cut: 0.2, minGroupSize: 3 })).toEqual({ groups: [], singles: [] });
    expect(groupClips([[1, 2]], { cut: 0.2, minGroupSize: 3 })).toEqual({ groups: [], singles: [0] });
    expect(() => groupClips([[1, 2]], { cut: 0, minGroupSize: 3 })).toThrow(/cut/);
  });
});
