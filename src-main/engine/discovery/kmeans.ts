// Seeded k-means with k-means++ seeding (Arthur & Vassilvitskii 2007), best of a few restarts by inertia.

import { makeRng } from '../odn/rng';
import { columnCount, type Rows } from '../odn/rows';

export interface KMeansResult {
  k: number;
  assignments: Int32Array;
  centroids: Float64Array[];
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
}

export function sqDist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
  return s;
}

export function kmeans(X: Rows, k: number, opts: { seed?: number; restarts?: number; maxIter?: number } = {}): KMeansResult {
  const n = X.length;
  if (!(k >= 1 && k <= n)) throw new Error(`k = ${k} must be in 1..${n}`);
  columnCount(X);
  const rng = makeRng(opts.seed ?? 11);
  let best: KMeansResult | null = null;
  for (let r = 0; r < (opts.restarts ?? 4); r++) {
    const res = lloyd(X, seedPlusPlus(X, k, rng), opts.maxIter ?? 100);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best!;
}

function seedPlusPlus(X: Rows, k: number, rng: () => number): Float64Array[] {
  const n = X.length;
  const centroids = [Float64Array.from(X[Math.floor(rng() * n)])];
  const d2 = Float64Array.from(X, (x) => sqDist(x, centroids[0]));
  while (centroids.length < k) {
    const total = d2.reduce((a, b) => a + b, 0);
    let pick = 0;
    if (total > 0) {
      let t = rng() * total;
      for (pick = 0; pick < n - 1; pick++) {
        t -= d2[pick];
        if (t < 0) break;
      }
    } else pick = Math.floor(rng() * n); // all points coincide with centroids
    const c = Float64Array.from(X[pick]);
    centroids.push(c);
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i], sqDist(X[i], c));
  }
  return centroids;
}

function lloyd(X: Rows, centroids: Float64Array[], maxIter: number): KMeansResult {
  const n = X.length, k = centroids.length, d = X[0].length;
  const assign = new Int32Array(n).fill(-1);
  for (let it = 0; it < maxIter; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let bc = 0, bd = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = sqDist(X[i], centroids[c]);
        if (dd < bd) {
          bd = dd;
          bc = c;
        }
      }
      if (assign[i] !== bc) {
        assign[i] = bc;
        changed = true;
      }
    }
    if (!changed) break;
    const counts = new Int32Array(k);
    const sums = Array.from({ length: k }, () => new Float64Array(d));
    for (let i = 0; i < n; i++) {
      counts[assign[i]]++;
      for (let j = 0; j < d; j++) sums[assign[i]][j] += X[i][j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // an emptied cluster keeps its old centroid
      for (let j = 0; j < d; j++) centroids[c][j] = sums[c][j] / counts[c];
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(X[i], centroids[assign[i]]);
  return { k, assignments: assign, centroids, inertia };
}

/**
 * Mean silhouette (Rousseeuw 1987) with Euclidean distance: s_i = (b − a) / max(a, b), a = mean distance to
 * the own cluster, b = smallest mean distance to another cluster; s_i = 0 for a singleton cluster.
 */
export function silhouette(X: Rows, assignments: ArrayLike<number>): number {
  const s = silhouetteSamples(X, assignments);
  return s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0;
}

/** Each point's silhouette s_i (all 0 when there is a single cluster). */
export function silhouetteSamples(X: Rows, assignments: ArrayLike<number>): Float64Array {
  const n = X.length;
  const out = new Float64Array(n);
  const k = Math.max(...Array.from(assignments)) + 1;
  if (k < 2) return out;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[assignments[i]]++;
  const sum = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    sum.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sum[assignments[j]] += Math.sqrt(sqDist(X[i], X[j]));
    const own = assignments[i];
    if (sizes[own] <= 1) continue;
    const a = sum[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sum[c] / sizes[c]);
    const m = Math.max(a, b);
    out[i] = m > 0 ? (b - a) / m : 0;
  }
  return out;
}
