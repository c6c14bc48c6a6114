// Discovery on the 80 real demo clips: a model trained on five classes flags clips as unknown; clustering
// them on the version's standardized embeddings gives clusters that partition exactly those clips, each with
// a mean PAD point and three suggested words that are not the known classes' words.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { padTable } from '../../../shared/pad-tables';
import { meanPad } from '../../../src-main/engine/pad';
import { trainModel } from '../../../src-main/pipeline';
import { discoverUnknownClusters } from '../../../src-main/pipeline/discover';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

const KNOWN = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
const KNOWN_WORDS = ['anger', 'boring', 'happy', 'neutral', 'sad'];
let store: ProjectStore;

beforeAll(async () => {
  store = ProjectStore.create(join(tempDir('eodn-discover-'), 'demo.eodn'), { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
});

describe('discoverUnknownClusters', () => {
  it('returns nothing to discover before there is a model', async () => {
    const d = await discoverUnknownClusters(store);
    expect(d).toMatchObject({ versionId: null, flagged: 0, clusters: [], points: [] });
  });

  it('clusters exactly the clips the active version calls unknown', async () => {
    await trainModel(store, { known: KNOWN });
    const flagged = store.listPredictions(1).filter((p) => p.decision.kind === 'unknown' || p.decision.kind === 'ambiguous-unknown');
    expect(flagged.length).toBeGreaterThan(5);

    const d = await discoverUnknownClusters(store);
    expect(d.versionId).toBe(1);
    expect(d.classes).toEqual(KNOWN);
    expect(d.flagged).toBe(flagged.length);
    expect(d.clustered).toBe(flagged.length);
    expect(d.clusters.length).toBeGreaterThanOrEqual(1);
    // A partition of the flagged clips, largest cluster first, ids 1..k.
    const all = d.clusters.flatMap((c) => c.clipIds).sort((a, b) => a - b);
    expect(all).toEqual(flagged.map((p) => p.clipId).sort((a, b) => a - b));
    expect(d.clusters.map((c) => c.id)).toEqual(d.clusters.map((_, i) => i + 1));
    for (let i = 1; i < d.clusters.length; i++) expect(d.clusters[i - 1].clipIds.length).toBeGreaterThanOrEqual(d.clusters[i].clipIds.length);
    if (d.clusters.length > 1) expect(d.silhouette).toBeGreaterThanOrEqual(0.1);

    const termNames = new Set(padTable('combined').map((t) => t.name));
    for (const c of d.clusters) {
      // The mean PAD point is the mean of its clips' stored points.
      const pads = store.listPredictions(1, c.clipIds).map((p) => p.pad!);
      const m = meanPad(pads);
      for (let j = 0; j < 3; j++) expect(c.pad[j]).toBeCloseTo(m[j], 3);
      expect(c.suggestions).toHaveLength(3);
      for (const s of c.suggestions) {
        expect(termNames.has(s.name)).toBe(true);
        expect(KNOWN_WORDS).not.toContain(s.name.toLowerCase());
      }
      expect(Object.values(c.labels).reduce((a, b) => a + b, 0)).toBe(c.clipIds.length);
    }
    expect(d.points).toHaveLength(flagged.length);
    for (const p of d.points) expect(d.clusters.find((c) => c.id === p.cluster)!.clipIds).toContain(p.clipId);
    // Each cluster reports its own silhouette; weighted by size they make the clustering's mean silhouette.
    if (d.clusters.length > 1) {
      for (const c of d.clusters) {
        expect(c.clipIds.length).toBeGreaterThanOrEqual(3);
        expect(Math.abs(c.silhouette)).toBeLessThanOrEqual(1);
      }
      const weighted = d.clusters.reduce((a, c) => a + c.silhouette * c.clipIds.length, 0) / d.clustered;
      expect(weighted).toBeCloseTo(d.silhouette, 3);
    } else {
      expect(d.clusters[0].silhouette).toBe(0);
    }
  });

  it('leaves out clips the annotator already answered, unless asked', async () => {
    const before = await discoverUnknownClusters(store);
    const answered = before.clusters[0].clipIds.slice(0, 2);
    store.annotateMany(answered.map((clipId) => ({ clipId, annotator: 't', action: 'relabel' as const, label: 'anger' })));
    const after = await discoverUnknownClusters(store);
    expect(after.flagged).toBe(before.flagged - 2);
    expect(after.clusters.flatMap((c) => c.clipIds)).not.toContain(answered[0]);
    const withReviewed = await discoverUnknownClusters(store, { includeReviewed: true });
    expect(withReviewed.flagged).toBe(before.flagged);
  });

  it('clusters a sample and assigns the rest to the nearest centroid when there are many clips', async () => {
    const full = await discoverUnknownClusters(store, { includeReviewed: true, decisions: ['accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown'] });
    expect(full.flagged).toBe(80);
    const sampled = await discoverUnknownClusters(store, { includeReviewed: true, decisions: ['accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown'], maxClustered: 30 });
    expect(sampled.clustered).toBe(80);
    expect(sampled.clusters.flatMap((c) => c.clipIds).sort((a, b) => a - b)).toEqual(full.clusters.flatMap((c) => c.clipIds).sort((a, b) => a - b));
  });
});
