// Honest scores after the incremental step (issue 10): a test clip the fine-tuning was fitted on (a confirmed
// flagged clip, or a member of a cluster that became a class) is never scored as "unseen", and the "dataset
// labels right" figure counts the annotator's clips as right with one decision each.
import { describe, expect, it } from 'vitest';
import { aggregate, datasetLabels, unseenClips } from '../../../src-main/evaluation/aggregate';
import type { FoldResult } from '../../../src-main/evaluation/fold';
import { formatReport } from '../../../src-main/evaluation/report-table';
import { evaluateRows } from '../../../src-main/evaluation/run';
import { DETECTORS, LABELLING_VARIANTS, resolveSettings } from '../../../src-main/evaluation/settings';
import { synthetic } from './synthetic';

const settings = resolveSettings({ unknown: ['disgust', 'fear'], head: { epochs: 60 } });

/** A fold of 6 test clips: the detector flags clips 0-2 (the annotator labels them); the rest it left. */
function fold(): FoldResult {
  const truth = ['fear', 'fear', 'anger', 'fear', 'anger', 'sadness'];
  const flagged = [true, true, true, false, false, false];
  const detection = {} as FoldResult['detection'];
  for (const d of DETECTORS) detection[d] = { scores: flagged.map((f) => (f ? 1 : 0)), threshold: 0.5, flagged };
  const labelling = {} as FoldResult['labelling'];
  for (const v of LABELLING_VARIANTS) labelling[v] = { clips: [], words: [], correct: [], pads: [], truePads: [] };
  return {
    testSpeakers: ['s0'],
    knownClasses: ['anger', 'sadness'],
    truth,
    isUnknown: truth.map((l) => l === 'fear'),
    detection,
    tuned: { epsilon: 0.7, rho: 0.5, f1: 0, simulatedCases: 0 },
    labelling,
    flagged: { clips: [0, 1, 2], logits: [[1, 0], [1, 0.1], [0, 1]], pads: [[0, 0, 0], [0, 0, 0], [0, 0, 0]] },
    discovery: [{ members: [0, 1], words: ['Fearful'], pad: [0, 0, 0], silhouette: 0.5 }],
    predictions: {
      knownOnly: ['anger', 'anger', 'anger', 'sadness', 'anger', 'sadness'],
      closedSet: ['fear', 'fear', 'anger', 'fear', 'anger', 'sadness'],
      // Right on every clip it was fitted on, wrong on the unseen fear clip and the unseen anger clip.
      automatic: ['fear', 'fear', 'anger', 'anger', 'sadness', 'sadness'],
      automaticMapped: ['fear', 'fear', 'anger', 'anger', 'sadness', 'sadness'],
      // Wrong on a clip the annotator labelled (1) and on the unseen fear clip (3).
      confirmed: ['fear', 'anger', 'anger', 'anger', 'anger', 'sadness'],
    },
    fitted: { automatic: [0, 1], confirmed: [0, 1, 2] },
    newClasses: { automatic: [{ word: 'Fearful', label: 'fear', size: 2, majority: 'fear' }], confirmed: ['fear'] },
  };
}

describe('unseen and dataset-labels scores', () => {
  it('leaves the fitted clips out of "unseen" and counts the annotated clips right', () => {
    const r = fold();
    expect(unseenClips(r, 'confirmed')).toEqual([3, 4, 5]);
    expect(unseenClips(r, 'automatic')).toEqual([2, 3, 4, 5]);
    // The annotator's answers replace the head's prediction on the flagged clips (clip 1: anger → fear).
    expect(datasetLabels(r, 'confirmed')).toEqual(['fear', 'fear', 'anger', 'anger', 'anger', 'sadness']);
    expect(datasetLabels(r, 'automatic')).toEqual(r.predictions.automatic);

    const rep = aggregate([r], settings, { seconds: 0 });
    const c = rep.after_incremental.confirmed;
    expect(c.wa).toBeCloseTo(4 / 6); // every clip, the fitted ones included (the old figure)
    expect(c.unseen).toMatchObject({ clips: 3, wa: 2 / 3 }); // fear (3) wrong, anger and sadness right
    expect(c.unseen.ua).toBeCloseTo((0 + 1 + 1) / 3);
    expect(c.dataset_labels).toMatchObject({ decisions: 3, wa: 5 / 6 }); // only the unseen fear clip stays wrong
    const a = rep.after_incremental.automatic;
    expect(a.unseen).toMatchObject({ clips: 4, wa: 2 / 4 });
    expect(a.dataset_labels).toMatchObject({ decisions: 0, wa: a.wa, ua: a.ua });
    expect(rep.closed_set_baseline.unseen_confirmed).toMatchObject({ clips: 3, wa: 1 });
    expect(rep.per_fold[0]).toMatchObject({ confirmed_unseen_ua: c.unseen.ua, automatic_unseen_ua: a.unseen.ua });
    const text = formatReport({ ...rep, settings: { ...rep.settings, encoder: 'test' } });
    expect(text).toMatch(/unseen: the 3 clips the annotator left\s+0\.667\s+0\.667/);
    expect(text).toMatch(/dataset labels right \(3 decisions\)\s+0\.833/);
  });

  it('never scores a clip the fine-tuning used as unseen, on real folds', () => {
    const data = synthetic({ speakers: 3, perClass: 8, seed: 9 });
    // The detection head at L2 0.1: on this pool its groups pass the automatic mode's gates, so both modes
    // fine-tune on clips of their own (at the default 0.01 none passes and the automatic mode has none).
    const s = resolveSettings({ unknown: ['disgust', 'fear'], head: { epochs: 60 }, detectorHead: { l2: 0.1 } });
    const folds = evaluateRows(data, s);
    const rep = aggregate(folds, s, { seconds: 0 });
    let flaggedN = 0, clusterN = 0;
    for (const r of folds) {
      const flagged = r.truth.map((_, i) => i).filter((i) => r.detection[s.detector].flagged[i]);
      flaggedN += flagged.length;
      // Confirmed fine-tunes on exactly the flagged clips (the annotator labels each of them).
      expect(r.fitted.confirmed).toEqual(flagged);
      const members = new Set(r.discovery.flatMap((c) => c.members));
      for (const i of r.fitted.automatic) expect(members.has(i)).toBe(true);
      clusterN += r.fitted.automatic.length;
      for (const m of ['automatic', 'confirmed'] as const) {
        const unseen = unseenClips(r, m);
        for (const i of r.fitted[m]) expect(unseen).not.toContain(i);
        expect(unseen.length + r.fitted[m].length).toBe(r.truth.length);
      }
      const labels = datasetLabels(r, 'confirmed');
      for (const i of flagged) expect(labels[i]).toBe(r.truth[i]);
    }
    expect(flaggedN).toBeGreaterThan(0);
    expect(clusterN).toBeGreaterThan(0); // the automatic mode created classes too
    expect(rep.after_incremental.confirmed.unseen.clips).toBe(rep.clips - flaggedN);
    expect(rep.after_incremental.automatic.unseen.clips).toBe(rep.clips - clusterN);
    expect(rep.after_incremental.confirmed.dataset_labels.decisions).toBe(flaggedN);
    expect(rep.after_incremental.automatic.dataset_labels.decisions).toBe(0);
    // Counting the annotator's clips as right can only help.
    expect(rep.after_incremental.confirmed.dataset_labels.wa).toBeGreaterThanOrEqual(rep.after_incremental.confirmed.wa);
  });
});
