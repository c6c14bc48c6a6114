// Training on soft labels (issue 14): `trainModel({ labels: 'distribution' })` fits both heads on the votes'
// distribution where two or more annotators voted (one row per voted known class, weight = its share), every
// other clip as before. On the demo project with scripted votes of three annotators: the rows and weights
// (trainingRows, written out by hand here), the class balance counted by weight, and a training run end to end
// whose heads are fitted on exactly those rows.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTrain } from '../../../src-main/cli/commands/train';
import { Head } from '../../../src-main/engine/odn';
import { trainModel } from '../../../src-main/pipeline';
import { balancedSampleWeights, projectClips, projectVotes, trainingRows } from '../../../src-main/pipeline/project-data';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

let store: ProjectStore;
const KNOWN = ['anger', 'boredom', 'fear', 'happiness', 'neutral', 'sadness']; // disgust left out

beforeAll(async () => {
  store = ProjectStore.create(join(tempDir('eodn-soft-train-'), 'votes.eodn'), { name: 'votes' });
  await importDataset(store, DEMO_MANIFEST);
  store.annotateMany([
    // 1: fear 2 of 3 (majority)
    { clipId: 1, annotator: 'ada', action: 'relabel', label: 'fear' },
    { clipId: 1, annotator: 'ben', action: 'relabel', label: 'anger' },
    { clipId: 1, annotator: 'cy', action: 'accept', label: 'fear' },
    // 2: a three-way split (unresolved: no label)
    { clipId: 2, annotator: 'ada', action: 'relabel', label: 'anger' },
    { clipId: 2, annotator: 'ben', action: 'relabel', label: 'fear' },
    { clipId: 2, annotator: 'cy', action: 'relabel', label: 'sadness' },
    // 3: a tie settled by an adjudicator (the rows follow the votes)
    { clipId: 3, annotator: 'ada', action: 'relabel', label: 'neutral' },
    { clipId: 3, annotator: 'ben', action: 'relabel', label: 'boredom' },
    { clipId: 3, annotator: 'judge', action: 'relabel', label: 'neutral', adjudicated: true },
    // 4: one annotator alone
    { clipId: 4, annotator: 'ada', action: 'relabel', label: 'happiness' },
    // 5: a vote for a class outside the known ones (disgust): its share is dropped
    { clipId: 5, annotator: 'ada', action: 'relabel', label: 'disgust' },
    { clipId: 5, annotator: 'ben', action: 'relabel', label: 'sadness' },
    { clipId: 5, annotator: 'cy', action: 'relabel', label: 'disgust' },
    // 6: a reject beside one vote: one voter, so one row of the label
    { clipId: 6, annotator: 'ada', action: 'reject', label: null },
    { clipId: 6, annotator: 'ben', action: 'relabel', label: 'boredom' },
  ]);
});
afterAll(() => store.close());

const near = (rows: { clipId: number; label: string; weight: number }[]) => rows.map((r) => ({ ...r, weight: Number(r.weight.toFixed(12)) }));

describe('training rows', () => {
  it('majority: one row per clip labelled with a known class, weight 1 (as training always did)', () => {
    const clips = projectClips(store);
    const rows = trainingRows(clips, projectVotes(store), KNOWN, 'majority');
    const labelled = clips.filter((c) => c.label !== null && KNOWN.includes(c.label));
    expect(rows.map((r) => [r.clipId, r.label])).toEqual(labelled.map((c) => [c.id, c.label]));
    expect(rows.every((r) => r.weight === 1)).toBe(true);
    expect(rows.some((r) => r.clipId === 2)).toBe(false); // unresolved: no label, no row
  });

  it('distribution: a row per voted known class weighted by its share where two or more voted', () => {
    const clips = projectClips(store);
    const votes = projectVotes(store);
    expect(votes.get(3)!.map((v) => v.annotator)).toEqual(['ada', 'ben']); // the adjudication is not a vote
    const rows = trainingRows(clips, votes, KNOWN, 'distribution');
    const of = (id: number) => near(rows.filter((r) => r.clipId === id).map(({ clipId, label, weight }) => ({ clipId, label, weight })));
    const w = (x: number) => Number(x.toFixed(12));
    // Known-class order within a clip.
    expect(of(1)).toEqual([{ clipId: 1, label: 'anger', weight: w(1 / 3) }, { clipId: 1, label: 'fear', weight: w(2 / 3) }]);
    expect(of(2)).toEqual([{ clipId: 2, label: 'anger', weight: w(1 / 3) }, { clipId: 2, label: 'fear', weight: w(1 / 3) }, { clipId: 2, label: 'sadness', weight: w(1 / 3) }]);
    expect(of(3)).toEqual([{ clipId: 3, label: 'boredom', weight: 0.5 }, { clipId: 3, label: 'neutral', weight: 0.5 }]);
    expect(of(4)).toEqual([{ clipId: 4, label: 'happiness', weight: 1 }]);
    expect(of(5)).toEqual([{ clipId: 5, label: 'sadness', weight: w(1 / 3) }]);
    expect(of(6)).toEqual([{ clipId: 6, label: 'boredom', weight: 1 }]);
    // Every other clip exactly as with the majority, speakers carried.
    const majority = trainingRows(clips, votes, KNOWN, 'majority');
    const rest = (rs: typeof rows) => rs.filter((r) => r.clipId > 6);
    expect(rest(rows)).toEqual(rest(majority));
    expect(rows.every((r) => r.speaker === clips.find((c) => c.id === r.clipId)!.speaker)).toBe(true);
    // In clip order, so the rows of a clip stay together.
    expect(rows.map((r) => r.clipId)).toEqual([...rows.map((r) => r.clipId)].sort((a, b) => a - b));
  });

  it('class balance counted by weight: each class weighs the same in all, whatever its rows', () => {
    const y = Int32Array.from([0, 0, 0, 1, 1, 2]);
    const w = Float64Array.from([1, 1 / 3, 1 / 3, 1, 0.5, 1]);
    const sw = balancedSampleWeights(y, w, 3);
    // Head.fit's own balancing factor n / (classes × rows of the class), times these weights.
    const rowsOf = [3, 2, 1];
    const eff = [...sw].map((s, i) => (s * y.length) / (3 * rowsOf[y[i]]));
    const perClass = [0, 1, 2].map((c) => eff.reduce((a, e, i) => a + (y[i] === c ? e : 0), 0));
    const mass = w.reduce((a, b) => a + b, 0);
    for (const p of perClass) expect(p).toBeCloseTo(mass / 3, 12);
    // Within a class, rows keep their proportions.
    expect(eff[1] / eff[0]).toBeCloseTo(1 / 3, 12);
    // Unweighted rows: ones.
    expect([...balancedSampleWeights(y, new Float64Array(6).fill(1), 3)]).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe('trainModel with labels: distribution', () => {
  it('fits both heads on the distribution rows and makes a version end to end', async () => {
    const clips = projectClips(store);
    const rows = trainingRows(clips, projectVotes(store), KNOWN, 'distribution');
    const fit = vi.spyOn(Head.prototype, 'fit');
    try {
      const v = await trainModel(store, { known: KNOWN, labels: 'distribution', encoder: { kind: 'functionals' }, crossValidate: false, head: { epochs: 20 }, detectorHead: { epochs: 20 } });
      expect(v.classes).toEqual(KNOWN);
      expect((v.settings as { labels?: string }).labels).toBe('distribution');
      expect(store.listPredictions(v.id)).toHaveLength(clips.length);
      expect(store.activeModelVersionId()).toBe(v.id);
      // The two heads (no cross-validation, thresholds from training probabilities: no other fit).
      const heads = fit.mock.calls.filter((c) => c[2]?.sampleWeight);
      expect(heads).toHaveLength(2);
      for (const [X, y, o] of heads) {
        expect(X).toHaveLength(rows.length);
        expect(Array.from(y)).toEqual(rows.map((r) => KNOWN.indexOf(r.label)));
        // Balanced heads: the shares scaled so that classes count by weight.
        const want = balancedSampleWeights(Int32Array.from(rows, (r) => KNOWN.indexOf(r.label)), Float64Array.from(rows, (r) => r.weight), KNOWN.length);
        expect(Array.from(o!.sampleWeight!)).toEqual([...want]);
      }
    } finally {
      fit.mockRestore();
    }
    // The default stays the majority: no weights, one row per labelled clip.
    const fit2 = vi.spyOn(Head.prototype, 'fit');
    try {
      const v = await trainModel(store, { known: KNOWN, encoder: { kind: 'functionals' }, crossValidate: false, head: { epochs: 20 }, detectorHead: { epochs: 20 } });
      expect((v.settings as { labels?: string }).labels).toBeUndefined();
      const majority = trainingRows(clips, projectVotes(store), KNOWN, 'majority');
      // The two heads; the other fits are the fused detector's simulations (one known class held out: 4 classes).
      const heads2 = fit2.mock.calls.filter((c) => c[2]?.nClasses === KNOWN.length);
      expect(heads2).toHaveLength(2);
      expect(fit2.mock.calls.every((c) => c[2]?.nClasses === KNOWN.length || (c[2]?.nClasses === KNOWN.length - 1 && !c[2]?.sampleWeight))).toBe(true);
      for (const [X, , o] of heads2) {
        expect(X).toHaveLength(majority.length);
        expect(o?.sampleWeight).toBeUndefined();
      }
    } finally {
      fit2.mockRestore();
    }
  }, 120_000);
});

describe('eodn train --labels', () => {
  it('takes majority or distribution, and refuses anything else before opening the project', async () => {
    await expect(runTrain({ project: store.file, labels: 'soft', log: () => {} })).rejects.toThrow('--labels is "soft": expected majority or distribution');
  });
});
