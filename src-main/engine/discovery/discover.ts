// Discovering new classes among clips flagged unknown: cluster them (seeded k-means++, k chosen by the mean
// silhouette over k = 2..min(maxK, floor(n/3)), optionally only among clusterings whose clusters all have
// `minClusterSize` members), then describe each cluster by its members' mean PAD point and the nearest table
// terms (cluster-level labelling). 'cosine' clusters unit-length rows: the direction of a standardized feature
// vector, not its length (loud, extreme clips otherwise form clusters of their own).

import type { Pad, PadTerm } from '../../../shared/domain';
import { labelGroup, type NearestTerm } from '../pad/project';
import type { Rows } from '../odn/rows';
import { kmeans, silhouetteSamples } from './kmeans';

export interface DiscoveredCluster {
  /** Indices into the rows passed in. */
  members: number[];
  pad: Pad;
  suggestions: NearestTerm[];
  /** Mean silhouette of the members (how well the cluster stands apart; 0 when k = 1). */
  silhouette: number;
}

export interface Discovery {
  k: number;
  /** Mean silhouette of the chosen clustering (0 when k = 1). */
  silhouette: number;
  /** Silhouette of every k tried. */
  tried: { k: number; silhouette: number }[];
  clusters: DiscoveredCluster[];
}

export interface DiscoverOptions {
  maxK?: number;
  seed?: number;
  /** Words per cluster (default 3). */
  topWords?: number;
  /** Term names left out of the suggestions (e.g. the known classes' words). */
  exclude?: readonly string[];
  /** Keep a single cluster unless the best silhouette reaches this (default 0.1). */
  minSilhouette?: number;
  /** 'euclidean' (default) or 'cosine' (rows scaled to unit length first). */
  distance?: 'euclidean' | 'cosine';
  /** A k whose clustering has a smaller cluster is not chosen (default 1). */
  minClusterSize?: number;
}

/** Rows scaled to unit length (a zero row stays zero). */
export function unitRows(X: Rows): Float64Array[] {
  return X.map((x) => {
    let n = 0;
    for (let j = 0; j < x.length; j++) n += x[j] * x[j];
    const s = n > 0 ? 1 / Math.sqrt(n) : 0;
    return Float64Array.from(x, (v) => v * s);
  });
}

/**
 * `features`: the flagged clips' (standardized) features to cluster; `pads`: each clip's PAD point (eq. 4 or
 * the ridge regressor); `table`: the candidate words.
 */
export function discoverClusters(rows: Rows, pads: readonly Pad[], table: readonly PadTerm[], opts: DiscoverOptions = {}): Discovery {
  const n = rows.length;
  const features = opts.distance === 'cosine' ? unitRows(rows) : rows;
  const minSize = opts.minClusterSize ?? 1;
  if (n === 0) throw new Error('no clips to cluster');
  if (pads.length !== n) throw new Error(`${n} rows but ${pads.length} PAD points`);
  const seed = opts.seed ?? 11;
  const maxK = Math.min(opts.maxK ?? 8, Math.floor(n / 3));
  const tried: Discovery['tried'] = [];
  const one: { k: number; silhouette: number; assignments: Int32Array; samples: Float64Array } = { k: 1, silhouette: 0, assignments: new Int32Array(n), samples: new Float64Array(n) };
  let best = one;
  for (let k = 2; k <= maxK; k++) {
    const res = kmeans(features, k, { seed });
    const samples = silhouetteSamples(features, res.assignments);
    const s = samples.reduce((a, b) => a + b, 0) / n;
    tried.push({ k, silhouette: s });
    const sizes = new Int32Array(k);
    for (const a of res.assignments) sizes[a]++;
    if (sizes.some((c) => c < minSize)) continue;
    if (s > best.silhouette) best = { k, silhouette: s, assignments: res.assignments, samples };
  }
  if (best.silhouette < (opts.minSilhouette ?? 0.1)) best = one;
  const clusters: DiscoveredCluster[] = [];
  for (let c = 0; c < best.k; c++) {
    const members = [];
    for (let i = 0; i < n; i++) if (best.assignments[i] === c) members.push(i);
    if (members.length === 0) continue;
    const g = labelGroup(members.map((i) => pads[i]), table, { k: opts.topWords ?? 3, exclude: opts.exclude });
    const sil = members.reduce((a, i) => a + best.samples[i], 0) / members.length;
    clusters.push({ members, pad: g.pad, suggestions: g.nearest, silhouette: sil });
  }
  clusters.sort((a, b) => b.members.length - a.members.length);
  return { k: clusters.length, silhouette: best.silhouette, tried, clusters };
}
