// Discovery on the 80 real demo clips: a model trained on five classes flags clips as unknown (its fused
// detector; fused-detector.test.ts covers the triplet fallback of older versions); grouping them
// on the version's label-head logits gives groups and singles that partition exactly those clips, each group
// with a mean PAD point, three suggested words that are not the known classes' words, a stability, and its
// clips in listening order; "not like the others" keeps a clip away from its group the next time.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { padTable } from '../../../shared/pad-tables';
import { meanPad } from '../../../src-main/engine/pad';
import { trainModel } from '../../../src-main/pipeline';
import { discoverUnknownClusters } from '../../../src-main/pipeline/discover';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { fusedFlags } from './fused-flags';
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

  it('groups exactly the clips the active version flags as unknown (its fused detector), the rest as singles', async () => {
    await trainModel(store, { known: KNOWN });
    // Every demo clip is labelled: a flagged clip of a known class (a training clip the detector finds atypical)
    // is counted apart, not grouped.
    const { all: flaggedAll, toGroup: flagged } = fusedFlags(store, 1, KNOWN);
    expect(flagged.length).toBeGreaterThan(5);

    const d = await discoverUnknownClusters(store);
    expect(d.versionId).toBe(1);
    expect(d.flaggedBy?.detector).toBe('fusion');
    expect(d.classes).toEqual(KNOWN);
    expect(d.flagged).toBe(flagged.length);
    expect(d.flaggedBy?.labelledKnown).toBe(flaggedAll.length - flagged.length);
    expect(d.clustered).toBe(flagged.length);
    expect(d.clusters.length).toBeGreaterThanOrEqual(1);
    // Groups and singles partition the flagged clips; largest group first, ids 1..k.
    const all = [...d.clusters.flatMap((c) => c.clipIds), ...d.singles].sort((a, b) => a - b);
    expect(all).toEqual(flagged.map((p) => p.clipId).sort((a, b) => a - b));
    expect(d.clusters.map((c) => c.id)).toEqual(d.clusters.map((_, i) => i + 1));
    for (let i = 1; i < d.clusters.length; i++) expect(d.clusters[i - 1].clipIds.length).toBeGreaterThanOrEqual(d.clusters[i].clipIds.length);

    const termNames = new Set(padTable('combined').map((t) => t.name));
    for (const c of d.clusters) {
      expect(c.clipIds.length).toBeGreaterThanOrEqual(3);
      expect(c.stability).toBeGreaterThanOrEqual(0);
      expect(c.stability).toBeLessThanOrEqual(1);
      expect(c.spread).toBeLessThanOrEqual(0.2 + 1e-9); // average linkage cut at the default 0.2
      // The mean PAD point is the mean of its clips' stored points.
      const pads = store.listPredictions(1, c.clipIds).map((p) => p.pad!);
      const m = meanPad(pads);
      for (let j = 0; j < 3; j++) expect(c.pad[j]).toBeCloseTo(m[j], 3);
      // Words: the project's classes the model does not know (disgust, fear), then Table 1, then the table.
      expect(c.suggestions).toHaveLength(3);
      for (const [i, s] of c.suggestions.entries()) {
        if (s.source === 'class') expect(['disgust', 'fear']).toContain(s.name);
        else expect(termNames.has(s.name)).toBe(true);
        if (s.source === 'common') expect(padTable('eodn').map((t) => t.name)).toContain(s.name);
        expect(KNOWN_WORDS).not.toContain(s.name.toLowerCase());
        if (i > 0 && c.suggestions[i - 1].source === 'table') expect(s.source).toBe('table'); // the table only fills
      }
      // Within the first two tiers, nearest first.
      const firstTiers = c.suggestions.filter((s) => s.source !== 'table').map((s) => s.distance);
      expect(firstTiers).toEqual([...firstTiers].sort((a, b) => a - b));
      expect(Object.values(c.labels).reduce((a, b) => a + b, 0)).toBe(c.clipIds.length);
    }
    expect(d.points).toHaveLength(flagged.length);
    for (const p of d.points) {
      if (p.cluster === 0) expect(d.singles).toContain(p.clipId);
      else expect(d.clusters.find((c) => c.id === p.cluster)!.clipIds).toContain(p.clipId);
    }
  });

  it('keeps a clip taken out of a group ("not like the others") away from that group', async () => {
    const d = await discoverUnknownClusters(store, { includeReviewed: true, decisions: ['accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown'] });
    const g = d.clusters[0];
    expect(g.clipIds.length).toBeGreaterThanOrEqual(3);
    const out = g.clipIds[0];
    const from = g.clipIds.slice(1);
    const again = await discoverUnknownClusters(store, { includeReviewed: true, decisions: ['accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown'], apart: [{ clipId: out, from }] });
    const home = again.clusters.find((c) => c.clipIds.includes(out));
    if (home) for (const id of from) expect(home.clipIds).not.toContain(id);
    else expect(again.singles).toContain(out);
  });

  it('leaves out clips the annotator already answered, unless asked', async () => {
    const before = await discoverUnknownClusters(store);
    const answered = before.clusters[0].clipIds.slice(0, 2);
    store.annotateMany(answered.map((clipId) => ({ clipId, annotator: 't', action: 'relabel' as const, label: 'anger' })));
    const after = await discoverUnknownClusters(store);
    expect(after.flagged).toBe(before.flagged - 2);
    expect(after.clusters.flatMap((c) => c.clipIds)).not.toContain(answered[0]);
    // Asked for reviewed clips too, every flagged clip is grouped, those labelled with a known class included.
    const withReviewed = await discoverUnknownClusters(store, { includeReviewed: true });
    expect(withReviewed.flagged).toBe(before.flagged + (before.flaggedBy!.labelledKnown ?? 0));
  });

  it('groups a sample and adds the rest to the nearest group within the cut, or as singles, when there are many clips', async () => {
    const full = await discoverUnknownClusters(store, { includeReviewed: true, decisions: ['accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown'] });
    expect(full.flagged).toBe(80);
    const sampled = await discoverUnknownClusters(store, { includeReviewed: true, decisions: ['accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown'], maxClustered: 30 });
    expect(sampled.clustered).toBe(80);
    const ids = (r: typeof full) => [...r.clusters.flatMap((c) => c.clipIds), ...r.singles].sort((a, b) => a - b);
    expect(ids(sampled)).toEqual(ids(full));
    expect(new Set(ids(sampled)).size).toBe(80);
  });
  it('takes answers as links: clips answered differently never share a group', async () => {
    const all = ['accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown'] as const;
    const before = await discoverUnknownClusters(store, { includeReviewed: true, decisions: [...all] });
    const g = before.clusters.find((c) => c.clipIds.length >= 3)!;
    const [a, b] = g.clipIds;
    store.annotateMany([
      { clipId: a, annotator: 't', action: 'relabel' as const, label: 'fear' },
      { clipId: b, annotator: 't', action: 'relabel' as const, label: 'disgust' },
    ]);
    const after = await discoverUnknownClusters(store, { includeReviewed: true, decisions: [...all] });
    for (const c of after.clusters) expect(c.clipIds.includes(a) && c.clipIds.includes(b)).toBe(false);
  });
});
