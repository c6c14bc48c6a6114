// Deleting a class (issue 18): only a class nothing uses can go — no clip carries it (now or by import), no
// answer still standing gives it, no model version knows it. Annotations are append-only: the undone answers
// that named it stay in the history, and the project still checks clean.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkProject } from '../../../src-main/store/check';
import { ProjectStore } from '../../../src-main/store/project-store';
import { tempDir } from './helpers';

const dir = tempDir();
let store: ProjectStore;
let n = 0;
const A = { annotator: 'ann' };

beforeEach(() => {
  store = ProjectStore.create(join(dir, `d${n++}.eodn`), { name: 'd' });
  store.ensureClasses(['anger', 'fear', 'joy'], 'import');
  store.insertClips(
    ['anger', 'fear', null].map((label, i) => ({
      path: `/d/c${i}.wav`, hash: `h${i}`, sizeBytes: 1, durationSec: 1, sampleRate: 16000, channels: 1, importLabel: label, speaker: 's',
    })),
  );
  return () => store.close();
});

const names = () => store.classes().map((c) => c.name);

describe('deleteClass', () => {
  it('deletes a class left empty by an undo, and keeps its history', () => {
    const clip = store.clipIds()[2];
    store.annotate(clip, { ...A, action: 'new-class', label: 'weary' });
    store.annotate(clip, { ...A, action: 'undo', label: null });
    expect(names()).toContain('weary');
    store.deleteClass('weary');
    expect(names()).toEqual(['anger', 'fear', 'joy']);
    expect(store.clipHistory(clip).map((a) => [a.action, a.label])).toEqual([['new-class', 'weary'], ['undo', null]]);
    store.close();
    expect(checkProject(store.file)).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses a class that a clip carries, now or by import', () => {
    const clip = store.clipIds()[2];
    store.annotate(clip, { ...A, action: 'new-class', label: 'weary' });
    expect(() => store.deleteClass('weary')).toThrow(/"weary" has 1 clip: relabel it first/);
    // c1 imported as fear, answered anger: fear has no clip now, but an undo would bring it back.
    store.annotate(store.clipIds()[1], { ...A, action: 'relabel', label: 'anger' });
    expect(() => store.deleteClass('fear')).toThrow(/"fear" has 1 clip/);
    expect(names()).toEqual(['anger', 'fear', 'joy', 'weary']);
  });

  it('refuses a class in an answer still standing under a later one', () => {
    const clip = store.clipIds()[2];
    store.annotate(clip, { ...A, action: 'new-class', label: 'weary' });
    store.annotate(clip, { ...A, action: 'relabel', label: 'joy' });
    expect(() => store.deleteClass('weary')).toThrow(/standing answer/);
  });

  it('refuses a class a model version uses, and an unknown name', () => {
    const v = store.insertModelVersion({ parentId: null, name: 'v1', classes: ['anger', 'joy'], bundle: {}, thresholds: {}, settings: {}, metrics: {} });
    expect(() => store.deleteClass('joy')).toThrow(new RegExp(`used by model version #${v.id}`));
    expect(() => store.deleteClass('nope')).toThrow(/no class "nope"/);
    expect(names()).toContain('joy');
  });
});
