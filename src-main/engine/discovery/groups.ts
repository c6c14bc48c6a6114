// Small, pure groups of flagged clips that one decision can name (issue #13). Instead of choosing a k that
// splits every clip into a few big clusters, clips are merged bottom-up (average linkage on cosine distance,
// ml-hclust) only while a group's members stay close on average (`cut`); a group smaller than
// `minGroupSize` dissolves into singles, which the annotator reviews one by one. Answers steer the next
// grouping: a must-link pair is at distance 0, a cannot-link pair beyond any cosine distance, so average
// linkage keeps them apart unless the rest of two groups is very close (a soft constraint, stated as such).
// Each group reports its bootstrap stability (Hennig 2007: the mean Jaccard overlap of the group with its
// best match when 80 % of the clips are grouped again) and its members in listening order: the medoid first,
// then by distance to it, so the most doubtful clips come last.
import { agnes } from 'ml-hclust';
import { makeRng } from '../odn/rng';
import type { Rows } from '../odn/rows';
import { unitRows } from './discover';

export interface GroupingOptions {
  /** Largest mean cosine distance between two groups that are still merged (0..2). */
  cut: number;
  /** Groups with fewer members are dissolved into singles. */
  minGroupSize: number;
  /** Bootstrap rounds for each group's stability (0: not computed, reported as NaN). */
  stabilityRounds?: number;
  seed?: number;
  /** Pairs of row indices known to belong together (e.g. both answered with the same new class). */
  mustLink?: readonly (readonly [number, number])[];
  /** Pairs known to differ (e.g. one taken out of the other's group, or answered differently). */
  cannotLink?: readonly (readonly [number, number])[];
}

export interface ClipGroup {
  /** Row indices in listening order: the medoid first, then by cosine distance to it. */
  members: number[];
  /** Each member's cosine distance to the medoid, in the same order. */
  distances: number[];
  /** Bootstrap stability in [0, 1] (NaN when not computed). */
  stability: number;
  /** Mean cosine distance between members (how tight the group is). */
  spread: number;
}

export interface Grouping {
  /** Largest first. */
  groups: ClipGroup[];
  /** Rows in no group, ascending. */
  singles: number[];
}

/** Beyond any cosine distance (≤ 2): a cannot-link pair. */
const APART = 4;

/** Cosine distance matrix of the rows (rows need not be unit length). */
export function cosineDistances(rows: Rows): number[][] {
  const U = unitRows(rows);
  return U.map((a) => U.map((b) => {
    let dot = 0;
    for (let j = 0; j < a.length; j++) dot += a[j] * b[j];
    return Math.max(0, 1 - dot);
  }));
}

/** Groups of rows by average linkage cut at `cut` (indices into D), before the size rule. */
function cutTree(D: number[][], cut: number): number[][] {
  if (D.length === 1) return [[0]];
  return agnes(D, { isDistanceMatrix: true, method: 'average' }).cut(cut).map((c) => c.indices());
}

function withConstraints(D: number[][], opts: GroupingOptions): number[][] {
  const out = D.map((r) => r.slice());
  const set = (pairs: GroupingOptions['mustLink'], v: number) => {
    for (const [a, b] of pairs ?? []) {
      if (a === b || out[a] === undefined || out[b] === undefined) continue;
      out[a][b] = out[b][a] = v;
    }
  };
  set(opts.mustLink, 0);
  set(opts.cannotLink, APART); // last: a pair in both lists stays apart
  return out;
}

export function groupClips(rows: Rows, opts: GroupingOptions): Grouping {
  const n = rows.length;
  if (n === 0) return { groups: [], singles: [] };
  if (!(opts.cut > 0)) throw new Error(`cut must be > 0, got ${opts.cut}`);
  const D0 = cosineDistances(rows);
  const D = withConstraints(D0, opts);
  const parts = cutTree(D, opts.cut);
  const kept = parts.filter((p) => p.length >= Math.max(2, opts.minGroupSize));
  const inGroup = new Set(kept.flat());
  const singles = Array.from({ length: n }, (_, i) => i).filter((i) => !inGroup.has(i));
  const stability = groupStability(D, kept, opts);
  const groups = kept.map((members, g) => describe(D0, members, stability[g])).sort((a, b) => b.members.length - a.members.length || a.members[0] - b.members[0]);
  return { groups, singles };
}

function describe(D: number[][], members: number[], stability: number): ClipGroup {
  let medoid = members[0];
  let best = Infinity;
  let pairSum = 0;
  for (const i of members) {
    let s = 0;
    for (const j of members) s += D[i][j];
    pairSum += s;
    if (s < best) [best, medoid] = [s, i];
  }
  const ordered = [...members].sort((a, b) => D[medoid][a] - D[medoid][b] || a - b);
  const m = members.length;
  return { members: ordered, distances: ordered.map((i) => D[medoid][i]), stability, spread: m > 1 ? pairSum / (m * (m - 1)) : 0 };
}

/** Mean Jaccard overlap of each group with its best-matching group on 80 % subsamples (Hennig 2007). */
function groupStability(D: number[][], groups: number[][], opts: GroupingOptions): number[] {
  const rounds = opts.stabilityRounds ?? 20;
  if (rounds <= 0 || groups.length === 0) return groups.map(() => NaN);
  const n = D.length;
  const rng = makeRng(opts.seed ?? 11);
  const sum = new Float64Array(groups.length);
  const seen = new Int32Array(groups.length);
  const take = Math.max(2, Math.round(0.8 * n));
  for (let r = 0; r < rounds; r++) {
    const idx = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    const sample = idx.slice(0, take).sort((a, b) => a - b);
    const sub = sample.map((i) => sample.map((j) => D[i][j]));
    const parts = cutTree(sub, opts.cut).map((p) => new Set(p.map((k) => sample[k])));
    const inSample = new Set(sample);
    groups.forEach((g, gi) => {
      const present = g.filter((i) => inSample.has(i));
      if (present.length === 0) return;
      let bestJ = 0;
      for (const p of parts) {
        let both = 0;
        for (const i of present) if (p.has(i)) both++;
        if (both === 0) continue;
        bestJ = Math.max(bestJ, both / (present.length + p.size - both));
      }
      sum[gi] += bestJ;
      seen[gi]++;
    });
  }
  return groups.map((_, gi) => (seen[gi] ? sum[gi] / seen[gi] : NaN));
}
