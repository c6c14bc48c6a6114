// Renaming and merging classes (issue 18, item 4): as appended history, nothing lost. Every clip whose label
// was the old name carries the new one (through its import label or an appended relabel), the old answers stay
// in the history, model versions keep their own class names and their suggestions are read under the new name,
// and the project still checks clean.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../../shared/domain';
import { checkProject } from '../../../src-main/store/check';
import { ProjectStore } from '../../../src-main/store/project-store';
import { tempDir } from './helpers';

const dir = tempDir();
let store: ProjectStore;
let n = 0;
const A = { annotator: 'ann' };

beforeEach(() => {
  store = ProjectStore.create(join(dir, `r${n++}.eodn`), { name: 'r' });
  store.ensureClasses(['anger', 'fear', 'joy'], 'import');
  // c0, c1 imported as anger; c2 imported as fear; c3 without a label; c4 imported as joy.
  store.insertClips(
    ['anger', 'anger', 'fear', null, 'joy'].map((label, i) => ({
      path: `/r/c${i}.wav`, hash: `h${i}`, sizeBytes: 1, durationSec: 1, sampleRate: 16000, channels: 1, importLabel: label, speaker: 's',
    })),
  );
  return () => store.close();
});

const ids = () => store.clipIds();
const labels = () => store.listClipRows({ offset: 0, limit: 10 }).rows.map((r) => r.currentLabel);
const reviewed = () => store.listClipRows({ offset: 0, limit: 10 }).rows.map((r) => r.reviewed);
const names = () => store.classes().map((c) => c.name);
const checkClean = () => {
  store.close();
  expect(checkProject(store.file)).toMatchObject({ ok: true, problems: [] });
};

describe('renaming a class', () => {
  it('relabels every clip of the old name, by import label or appended answer, and keeps the history', () => {
    const [c0, c1, c2, c3] = ids();
    store.annotate(c1, { ...A, action: 'accept', label: 'anger' });
    store.annotate(c2, { ...A, action: 'relabel', label: 'anger' });
    store.annotate(c3, { ...A, action: 'new-class', label: 'weary' });
    expect(labels()).toEqual(['anger', 'anger', 'anger', 'weary', 'joy']);
    const before = reviewed();

    const change = store.changeClass('rename', 'anger', 'rage', 'lead');
    expect(change).toMatchObject({ kind: 'rename', from: 'anger', to: 'rage', clips: 3, keptOldClass: true });
    expect(labels()).toEqual(['rage', 'rage', 'rage', 'weary', 'joy']);
    // Nothing became reviewed that was not: c0 changed through its import label alone.
    expect(reviewed()).toEqual(before);
    expect(store.clipHistory(c0)).toEqual([]);
    expect(store.getClip(c0).importLabel).toBe('rage');
    expect(store.clipHistory(c2).map((a) => [a.annotator, a.action, a.label])).toEqual([
      ['ann', 'relabel', 'anger'],
      ['lead', 'relabel', 'rage'],
    ]);
    expect(change.importLabelClipIds).toEqual([c0, c1]);
    expect(change.annotatedClipIds).toEqual([c1, c2]);
    // The old name stays in the table (standing answers name it: an undo brings them back), chosen nowhere.
    expect(names()).toContain('anger');
    expect([...store.renamedAwayClasses()]).toEqual(['anger']);
    expect(store.formerClassNames()).toEqual(new Map([['rage', ['anger']]]));
    expect(store.classChanges()).toHaveLength(1);
    // "rage" keeps anger's place in PAD space (the table's Anger term), so plots still show it.
    expect(store.classes().find((c) => c.name === 'rage')!.pad).toEqual([-1.98, 1.1, 0.6]);
    // Undoing the appended relabel brings the old answer back, whole.
    store.annotate(c2, { ...A, action: 'undo', label: null });
    expect(labels()[2]).toBe('anger');
    expect(store.renamedAwayClasses().size).toBe(0);
    checkClean();
  });

  it('deletes the old class when nothing uses it, and keeps its PAD and origin on the new one', () => {
    store.addClass({ name: 'weary', pad: [-0.2, -0.4, -0.3], origin: 'discovered' });
    store.annotate(ids()[3], { ...A, action: 'relabel', label: 'weary' });
    store.changeClass('rename', 'fear', 'dread', 'lead');
    expect(names()).not.toContain('fear');
    store.changeClass('rename', 'weary', 'tired', 'lead');
    expect(store.classes().find((c) => c.name === 'tired')).toMatchObject({ pad: [-0.2, -0.4, -0.3], origin: 'discovered' });
    expect(labels()).toEqual(['anger', 'anger', 'dread', 'tired', 'joy']);
    checkClean();
  });

  it('follows a rename where other annotators voted the old name (an adjudication)', () => {
    const c0 = ids()[0];
    store.annotate(c0, { annotator: 'ann', action: 'accept', label: 'anger' });
    store.annotate(c0, { annotator: 'bob', action: 'accept', label: 'anger' });
    store.changeClass('rename', 'anger', 'rage', 'lead');
    expect(labels()[0]).toBe('rage');
    expect(store.clipHistory(c0).at(-1)).toMatchObject({ annotator: 'lead', action: 'relabel', label: 'rage', adjudicated: true });
    checkClean();
  });

  it('keeps a clip whose import label was rejected without a label', () => {
    const c0 = ids()[0];
    store.annotate(c0, { ...A, action: 'reject', label: 'anger' });
    expect(labels()[0]).toBeNull();
    store.changeClass('rename', 'anger', 'rage', 'lead');
    expect(labels()).toEqual([null, 'rage', 'fear', null, 'joy']);
    checkClean();
  });

  it('refuses a name that exists, an unknown class and the same name, changing nothing', () => {
    expect(() => store.changeClass('rename', 'anger', 'joy', 'lead')).toThrow(/"joy" already exists: merge/);
    expect(() => store.changeClass('rename', 'nope', 'x', 'lead')).toThrow(/no class "nope"/);
    expect(() => store.changeClass('rename', 'anger', ' anger ', 'lead')).toThrow(/already called/);
    expect(labels()).toEqual(['anger', 'anger', 'fear', null, 'joy']);
    expect(store.classChanges()).toEqual([]);
  });
});

describe('merging a class', () => {
  it('relabels every clip of A to B and deletes A when empty', () => {
    store.annotate(ids()[2], { ...A, action: 'accept', label: 'fear' });
    const change = store.changeClass('merge', 'fear', 'anger', 'lead');
    expect(change).toMatchObject({ kind: 'merge', clips: 1 });
    expect(labels()).toEqual(['anger', 'anger', 'anger', null, 'joy']);
    // fear is in a standing answer (under the relabel): kept for history, chosen nowhere.
    expect([...store.renamedAwayClasses()]).toEqual(['fear']);
    expect(() => store.changeClass('merge', 'joy', 'nope', 'lead')).toThrow(/no class "nope"/);
    store.changeClass('merge', 'joy', 'anger', 'lead');
    expect(names()).not.toContain('joy');
    checkClean();
  });
});

describe('a model that knows the old name', () => {
  it('keeps its class names; its suggestions are shown and accepted under the new name', () => {
    const v = store.insertModelVersion({ parentId: null, name: 'v1', classes: ['anger', 'joy'], bundle: {}, thresholds: {}, settings: {}, metrics: {} });
    const decision = (label: string | null, top1: number): Decision => ({ kind: label ? 'accepted' : 'unknown', top1, top2: 1 - top1, p1: 0.9, p2: 0.1, eta: 0.8, mu: 0.5, delta: 0.1, label, reason: '' });
    const [c0, , c2, c3] = ids();
    store.upsertPredictions(v.id, [
      { clipId: c2, probs: [0.9, 0.1], decision: decision('anger', 0), pad: null, nearest: [] },
      { clipId: c3, probs: [0.6, 0.4], decision: decision(null, 0), pad: null, nearest: [] },
      { clipId: c0, probs: [0.2, 0.8], decision: decision('joy', 1), pad: null, nearest: [] },
    ]);
    store.setActiveModelVersion(v.id);
    store.changeClass('rename', 'anger', 'rage', 'lead');
    expect(store.getModelVersion(v.id).classes).toEqual(['anger', 'joy']);
    expect(names()).toContain('anger');
    // The Library's predicted class (top-1, also for an unknown) under the name the class has now.
    expect(store.listClipRows({ offset: 0, limit: 10 }).rows.map((r) => r.predicted)).toEqual(['joy', null, 'rage', 'rage', null]);
    // Accepting the old model's suggestion labels the clip with the new name.
    store.annotate(c2, { ...A, action: 'accept', label: 'anger', modelVersionId: v.id });
    expect(labels()[2]).toBe('rage');
    store.annotateMany([{ clipId: c3, ...A, action: 'accept', label: 'anger' }]);
    expect(labels()[3]).toBe('rage');
    expect(store.currentClassName('anger')).toBe('rage');
    expect(store.currentClassName('joy')).toBe('joy');
    checkClean();
  });
});
