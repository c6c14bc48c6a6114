// eodn discover: Discover's groups for the active version, each with its clips' current labels, from the CLI.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiscover, runDiscover } from '../../../src-main/cli/commands/discover';
import { trainModel } from '../../../src-main/pipeline';
import { discoverUnknownClusters } from '../../../src-main/pipeline/discover';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

describe('eodn discover', () => {
  it("says when there is no model, then reports Discover's groups with their clips' labels", async () => {
    const file = join(tempDir('eodn-discover-'), 'demo.eodn');
    const store = ProjectStore.create(file, { name: 'demo' });
    await importDataset(store, DEMO_MANIFEST);
    store.close();
    expect(formatDiscover(await runDiscover(file))).toContain('no model version yet');

    const s = ProjectStore.open(file);
    await trainModel(s, { known: ['anger', 'boredom', 'happiness', 'neutral', 'sadness'] });
    const direct = await discoverUnknownClusters(s);
    s.close();
    const r = await runDiscover(file);
    expect(r.clusters.map((c) => c.clipIds)).toEqual(direct.clusters.map((c) => c.clipIds));
    expect(r.labels).toHaveLength(r.clusters.length);
    r.labels.forEach((ls, i) => expect(ls.reduce((a, x) => a + x.clips, 0)).toBe(r.clusters[i].clipIds.length));
    // The demo's flagged clips carry their imported labels (disgust and fear): the share is a real count.
    const named = r.labels.flat().filter((x) => x.label !== '');
    const top = r.labels.reduce((a, ls) => a + (ls.find((x) => x.label !== '')?.clips ?? 0), 0);
    expect(r.majority_share).toBeCloseTo(top / named.reduce((a, x) => a + x.clips, 0), 12);
    const text = formatDiscover(r);
    expect(text).toContain(`${r.flagged} clips flagged by Fusion (MSP + OpenMax + Mahalanobis)`);
    expect(text).toContain(`${r.singles.length} singles`);
  }, 300_000);
});
