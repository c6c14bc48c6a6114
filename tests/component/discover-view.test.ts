import { describe, expect, it } from 'vitest';
import type { Pad } from '../../shared/domain';
import { classNameProblem, clusterCloud, createPlan, createPlanText, defaultClassName, followGroup, formatPad, labelSummary, majorityText, step } from '../../src-renderer/lib/discover-view';

const cluster = { suggestions: [{ name: 'Fearful', distance: 0.4, source: 'common' as const }, { name: 'Anxiety', distance: 0.6, source: 'common' as const }, { name: 'Shy', distance: 0.9, source: 'table' as const }] };

describe('Discover view helpers', () => {
  it('prefills the top word that is not already a class', () => {
    expect(defaultClassName(cluster, ['anger', 'sadness'])).toBe('Fearful');
    expect(defaultClassName(cluster, ['fearful'])).toBe('Anxiety');
    expect(defaultClassName(cluster, ['Fearful', 'anxiety', 'SHY'])).toBe('new class');
  });

  it('refuses an empty name or one the model already has', () => {
    expect(classNameProblem('  ', ['anger'])).toMatch(/name/);
    expect(classNameProblem('Anger', ['anger'])).toMatch(/already has/);
    expect(classNameProblem('x'.repeat(101), [])).toMatch(/100/);
    expect(classNameProblem(' Fearful ', ['anger'])).toBeNull();
  });

  it('summarises labels most frequent first and formats PAD points', () => {
    expect(labelSummary({ disgust: 7, fear: 9, '': 1 })).toBe('fear 9 · disgust 7 · unlabelled 1');
    expect(formatPad([-0.1655, 0.1739, 0] as Pad)).toBe('P −0.17 · A +0.17 · D +0.00');
  });

  it('labels the cloud by group (0: single), and clamps keyboard steps', () => {
    const pts = [{ clipId: 3, pad: [0, 1, 0] as Pad, cluster: 2 }, { clipId: 4, pad: [0, 0, 1] as Pad, cluster: 0 }];
    expect(clusterCloud(pts)).toEqual([{ pad: [0, 1, 0], label: 'group 2' }, { pad: [0, 0, 1], label: 'single' }]);
    expect(clusterCloud(pts, new Map([[3, 'a.wav']]))[0].label).toBe('group 2 · a.wav');
    expect([step(0, -1, 5), step(4, 1, 5), step(2, 1, 5), step(0, 1, 0)]).toEqual([0, 4, 3, 0]);
  });
});

describe('creating a class from a cluster says what will change (issue 18)', () => {
  const rows = new Map([
    [1, { name: 'a.wav', currentLabel: null, reviewed: false }],
    [2, { name: 'b.wav', currentLabel: 'fear', reviewed: false }],
    [3, { name: 'c.wav', currentLabel: 'fear', reviewed: false }],
    [4, { name: 'd.wav', currentLabel: 'anger', reviewed: true }],
    [5, { name: 'e.wav', currentLabel: 'Disgust', reviewed: true }],
  ]);

  it('counts the clips that get the label and names those that had another one', () => {
    const p = createPlan(' disgust ', [1, 2, 3, 4], rows, ['anger', 'fear']);
    expect(p).toMatchObject({ name: 'disgust', changed: 4, exists: false });
    expect(p.relabelled.map((r) => [r.name, r.from, r.source])).toEqual([
      ['b.wav', 'fear', 'imported'],
      ['c.wav', 'fear', 'imported'],
      ['d.wav', 'anger', 'answered'],
    ]);
    expect(createPlanText(p)).toEqual([
      '4 clips get the label “disgust”.',
      '3 of them had another label, which this replaces: 2 imported as fear, 1 answered anger.',
    ]);
  });

  it('says when the name exists: the clips are added to it, under its spelling', () => {
    const p = createPlan('disgust', [1, 5], rows, ['anger', 'Disgust']);
    expect(p).toMatchObject({ name: 'Disgust', changed: 1, exists: true, relabelled: [] });
    expect(createPlanText(p)).toEqual(['“Disgust” exists: the clips will be added to it.', '1 clip gets the label “Disgust”.', 'None of them had another label.']);
  });
});

describe('groups (issue 13)', () => {
  it('prints a group\'s majority share among its labelled clips, or nothing when none is labelled', () => {
    expect(majorityText({ fear: 8, disgust: 3, '': 1 })).toBe('mostly fear: 8 of 12 (67 %)');
    expect(majorityText({ '': 5 })).toBeNull();
    expect(majorityText({})).toBeNull();
  });

  it('follows a group made again to the one holding its first clip, skipping the clip taken out', () => {
    const groups = [{ id: 1, clipIds: [7, 8, 9] }, { id: 2, clipIds: [1, 2, 3] }, { id: 3, clipIds: [4, 5, 6] }];
    expect(followGroup([2, 5], null, groups)?.id).toBe(2);
    expect(followGroup([2, 5], 2, groups)?.id).toBe(3);
    expect(followGroup([10, 11], null, groups)).toBeNull();
  });
});

describe("Discover's header: what flagged the clips and what was left out", () => {
  it('names the detector, the flagged clips already labelled with a known class, and the triplet-only unknowns', async () => {
    const { flaggedByText } = await import('../../src-renderer/lib/unknown-detector');
    const fusion = { detector: 'fusion' as const, label: 'Fusion (MSP + OpenMax + Mahalanobis)' };
    expect(flaggedByText(23, fusion)).toBe('23 clips flagged by Fusion (MSP + OpenMax + Mahalanobis)');
    expect(flaggedByText(136, { ...fusion, labelledKnown: 15, tripletOnly: 12 })).toBe(
      '136 clips flagged by Fusion (MSP + OpenMax + Mahalanobis); 15 more flagged already carry a label the model knows, so they are not grouped; 12 more the triplet rule calls unknown are not grouped (they stay in Review)',
    );
    expect(flaggedByText(1, { detector: 'triplet', label: 'the triplet rule (paper, eqs. 1-3)', reason: 'this version has no fused detector' })).toBe(
      '1 clip flagged by the triplet rule (paper, eqs. 1-3) (no fused detector: this version has no fused detector)',
    );
  });
});
