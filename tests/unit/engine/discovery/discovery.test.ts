import { describe, expect, it } from 'vitest';
import type { Pad } from '../../../../shared/domain';
import { EODN_TABLE1 } from '../../../../shared/pad-tables';
import { discoverClusters, kmeans, silhouette, silhouetteSamples, unitRows } from '../../../../src-main/engine/discovery';
import { makeBlobs } from '../blobs';

describe('k-means++ and silhouette', () => {
  it('separates well-separated blobs, deterministically', () => {
    const b = makeBlobs(3, 20, 4, { seed: 8, sep: 6, spread: 0.5 });
    const r = kmeans(b.X, 3, { seed: 1 });
    for (let c = 0; c < 3; c++) {
      const got = new Set(Array.from(b.y).map((_, i) => i).filter((i) => b.y[i] === c).map((i) => r.assignments[i]));
      expect(got.size).toBe(1); // each true blob lands in a single cluster
    }
    expect(kmeans(b.X, 3, { seed: 1 }).assignments).toEqual(r.assignments);
    expect(silhouette(b.X, r.assignments)).toBeGreaterThan(0.6);
  });
  it('silhouette by hand on a 1-d toy', () => {
    // points 0, 1 | 10, 11: for 0: a = 1, b = 10.5 → 0.9048; symmetric
    const s = silhouette([[0], [1], [10], [11]], [0, 0, 1, 1]);
    const s0 = (10.5 - 1) / 10.5, s1 = (9.5 - 1) / 9.5;
    expect(s).toBeCloseTo((s0 + s1 + s1 + s0) / 4);
  });
});

describe('discoverClusters', () => {
  it('chooses k from the data and labels each cluster by its mean PAD point', () => {
    const b = makeBlobs(2, 15, 5, { seed: 3, sep: 6, spread: 0.5 });
    // PAD points: blob 0 near Fearful, blob 1 near Boring
    const pads: Pad[] = Array.from(b.y, (c) => (c === 0 ? [-0.9, 1.3, -0.6] : [-0.5, -1.2, -0.8]) as Pad);
    const d = discoverClusters(b.X, pads, EODN_TABLE1, { seed: 1 });
    expect(d.k).toBe(2);
    expect(d.tried[0].k).toBe(2);
    const words = d.clusters.map((c) => c.suggestions[0].term.name).sort();
    expect(words).toEqual(['Boring', 'Fearful']);
    expect(d.clusters.every((c) => c.suggestions.length === 3 && c.members.length === 15)).toBe(true);
  });
  it('keeps one cluster when the data has no structure', () => {
    const b = makeBlobs(1, 12, 3, { seed: 4 });
    const d = discoverClusters(b.X, b.X.map(() => [0, 0, 0] as Pad), EODN_TABLE1, { minSilhouette: 0.5 });
    expect(d.k).toBe(1);
    expect(d.clusters[0].suggestions[0].term.name).toBe('Neutral');
  });
  it('reports each cluster\'s own silhouette', () => {
    const b = makeBlobs(2, 15, 5, { seed: 3, sep: 6, spread: 0.5 });
    const d = discoverClusters(b.X, b.X.map(() => [0, 0, 0] as Pad), EODN_TABLE1, { seed: 1 });
    for (const c of d.clusters) expect(c.silhouette).toBeGreaterThan(0.5);
    const mean = d.clusters.reduce((a, c) => a + c.silhouette * c.members.length, 0) / b.X.length;
    expect(mean).toBeCloseTo(d.silhouette);
  });
  it('skips a k whose clustering has a cluster below the minimum size', () => {
    // Two blobs of 15 and one outlier pair far away: k = 3 isolates the pair (best silhouette), unless
    // clusters must have at least 5 members.
    const b = makeBlobs(2, 15, 3, { seed: 6, sep: 6, spread: 0.5 });
    const X = [...b.X, [60, 60, 60], [61, 60, 60]];
    const pads = X.map(() => [0, 0, 0] as Pad);
    const free = discoverClusters(X, pads, EODN_TABLE1, { seed: 1, maxK: 3 });
    expect(Math.min(...free.clusters.map((c) => c.members.length))).toBeLessThan(5);
    const sized = discoverClusters(X, pads, EODN_TABLE1, { seed: 1, maxK: 3, minClusterSize: 5 });
    expect(Math.min(...sized.clusters.map((c) => c.members.length))).toBeGreaterThanOrEqual(5);
  });
  it('cosine distance clusters directions, not lengths', () => {
    // Two directions, each with short and long vectors: euclidean k = 2 splits by length, cosine by direction.
    const X: number[][] = [];
    for (let i = 0; i < 10; i++) {
      const r = i < 5 ? 1 : 20;
      X.push([r, 0.05 * i], [0.05 * i, r]);
    }
    const dirOf = X.map((x) => (x[0] > x[1] ? 0 : 1));
    const d = discoverClusters(X, X.map(() => [0, 0, 0] as Pad), EODN_TABLE1, { seed: 1, maxK: 2, distance: 'cosine' });
    expect(d.k).toBe(2);
    for (const c of d.clusters) expect(new Set(c.members.map((i) => dirOf[i])).size).toBe(1);
    const u = unitRows([[3, 4], [0, 0]]);
    expect(u[0][0]).toBeCloseTo(0.6);
    expect(u[0][1]).toBeCloseTo(0.8);
    expect(Array.from(u[1])).toEqual([0, 0]);
  });
  it('silhouetteSamples gives per-point values whose mean is the silhouette', () => {
    const X = [[0], [1], [10], [11], [12]];
    const a = [0, 0, 1, 1, 1];
    const s = silhouetteSamples(X, a);
    expect(s.reduce((x, y) => x + y, 0) / 5).toBeCloseTo(silhouette(X, a));
    expect(Array.from(silhouetteSamples(X, [0, 0, 0, 0, 0]))).toEqual([0, 0, 0, 0, 0]);
  });
});
