// Discovering new classes among clips flagged unknown: cluster them (seeded k-means++, k chosen by the mean
// silhouette over k = 2..min(maxK, floor(n/3))), then describe each cluster by its members' mean PAD point and
// the nearest table terms (cluster-level labelling).

import type { Pad, PadTerm } from '../../../shared/domain';
import { labelGroup, type NearestTerm } from '../pad/project';
import type { Rows } from '../odn/rows';
import { kmeans, silhouette } from './kmeans';

export interface DiscoveredCluster {
  /** Indices into the rows passed in. */
  members: number[];
  pad: Pad;
  suggestions: NearestTerm[];
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
}

/**
 * `features`: the flagged clips' (standardised) features to cluster; `pads`: each clip's PAD point (eq. 4 or
 * the ridge regressor); `table`: the candidate words.
 */
export function discoverClusters(features: Rows, pads: readonly Pad[], table: readonly PadTerm[], opts: DiscoverOptions = {}): Discovery {
  const n = features.length;
  if (n === 0) throw new Error('no clips to cluster');
  if (pads.length !== n) throw new Error(`${n} rows but ${pads.length} PAD points`);
  const seed = opts.seed ?? 11;
  const maxK = Math.min(opts.maxK ?? 8, Math.floor(n / 3));
  const tried: Discovery['tried'] = [];
  let best: { k: number; silhouette: number; assignments: Int32Array } = { k: 1, silhouette: 0, assignments: new Int32Array(n) };
  for (let k = 2; k <= maxK; k++) {
    const res = kmeans(features, k, { seed });
    const s = silhouette(features, res.assignments);
    tried.push({ k, silhouette: s });
    if (s > best.silhouette) best = { k, silhouette: s, assignments: res.assignments };
  }
  if (best.silhouette < (opts.minSilhouette ?? 0.1)) best = { k: 1, silhouette: 0, assignments: new Int32Array(n) };
  const clusters: DiscoveredCluster[] = [];
  for (let c = 0; c < best.k; c++) {
    const members = [];
    for (let i = 0; i < n; i++) if (best.assignments[i] === c) members.push(i);
    if (members.length === 0) continue;
    const g = labelGroup(members.map((i) => pads[i]), table, { k: opts.topWords ?? 3, exclude: opts.exclude });
    clusters.push({ members, pad: g.pad, suggestions: g.nearest });
  }
  clusters.sort((a, b) => b.members.length - a.members.length);
  return { k: clusters.length, silhouette: best.silhouette, tried, clusters };
}
