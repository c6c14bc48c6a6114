import { describe, expect, it } from 'vitest';
import type { Pad } from '../../../../shared/domain';
import { EODN_TABLE1 } from '../../../../shared/pad-tables';
import { discoverClusters, kmeans, silhouette } from '../../../../src-main/engine/discovery';
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
});
