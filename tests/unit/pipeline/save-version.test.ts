// Saving a version in chunks: the write lock is released between transactions, the version stays hidden
// until complete, and a crash at any step leaves the previous version active and the project consistent.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveVersion } from '../../../src-main/pipeline/save-version';
import { checkProject } from '../../../src-main/store/check';
import type { NewPrediction } from '../../../src-main/store/models';
import { ProjectStore } from '../../../src-main/store/project-store';
import { populateSynthetic, SYNTHETIC_CLASSES } from '../../../src-main/bench/synthetic-project';
import { tempDir } from '../store/helpers';

const dir = tempDir('eodn-save-version-');
let n = 0;
const open: ProjectStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const N = 250;
function project(): ProjectStore {
  const store = ProjectStore.create(join(dir, `p${n++}.eodn`), { name: 'save' });
  open.push(store);
  // Version 1, active, predicting every clip.
  populateSynthetic(store, { clips: N, predictions: true, seed: 3 });
  return store;
}

/** Predictions all 'unknown' with confidence 0.9: easy to tell from the synthetic version's. */
function predictions(store: ProjectStore): NewPrediction[] {
  const ids = store.db.prepare('SELECT id FROM clips ORDER BY id').pluck().all() as number[];
  return ids.map((clipId) => ({
    clipId,
    probs: SYNTHETIC_CLASSES.map((_, k) => (k === 0 ? 0.9 : 0.1 / (SYNTHETIC_CLASSES.length - 1))),
    pad: null,
    nearest: [],
    decision: { kind: 'unknown', top1: 0, top2: 1, p1: 0.9, p2: 0.02, eta: 0.5, mu: 0.2, delta: 0.1, label: null, reason: 'test' },
  }));
}

const version = { parentId: 1, name: 'v2', classes: SYNTHETIC_CLASSES, bundle: { w: [1] }, thresholds: {}, settings: {}, metrics: {} };
const mirrorCounts = (store: ProjectStore) =>
  store.db.prepare("SELECT COUNT(*) FROM clips WHERE active_decision = 'unknown' AND active_confidence = 0.9").pluck().get() as number;

describe('saveVersion in chunks', () => {
  it('writes predictions in chunks, lets another connection write between them, then activates', () => {
    const store = project();
    const other = ProjectStore.open(store.file);
    open.push(other);
    // A second connection's write with no busy wait: it fails at once if the saver still holds the lock.
    other.db.pragma('busy_timeout = 0');
    let writes = 0;
    let sawHidden = 0;
    const saved = saveVersion(
      store,
      { ...version, predictions: predictions(store), activate: true },
      {
        chunkRows: 40,
        between: () => {
          other.annotate(1 + (writes % N), { annotator: 'other', action: 'relabel', label: 'fear' });
          writes++;
          if (store.incompleteModelVersionIds().length) sawHidden++;
        },
      },
    );
    // Before each of the 7 prediction chunks and before completing (hidden all along), then before each of the
    // activation's mirror chunks.
    expect(sawHidden).toBe(8);
    expect(writes).toBeGreaterThanOrEqual(15);
    expect(store.activeModelVersionId()).toBe(saved.id);
    expect(store.listModelVersions().map((v) => v.id)).toEqual([1, saved.id]);
    expect(store.incompleteModelVersionIds()).toEqual([]);
    expect(store.listPredictions(saved.id)).toHaveLength(N);
    expect(mirrorCounts(store)).toBe(N);
    store.close();
    other.close();
    expect(checkProject(store.file)).toMatchObject({ ok: true, problems: [] });
  });

  it('a crash while writing predictions leaves the previous version active and the partial one incomplete', () => {
    const store = project();
    let calls = 0;
    expect(() =>
      saveVersion(
        store,
        { ...version, predictions: predictions(store), activate: true },
        {
          chunkRows: 50,
          between: () => {
            if (++calls === 3) throw new Error('killed');
          },
        },
      ),
    ).toThrow('killed');
    expect(store.activeModelVersionId()).toBe(1);
    expect(store.incompleteModelVersionIds()).toEqual([2]);
    expect(store.listModelVersions().map((v) => v.id)).toEqual([1]);
    expect(store.listPredictions(2)).toHaveLength(100);
    expect(() => store.setActiveModelVersion(2)).toThrow(/incomplete/);
    expect(mirrorCounts(store)).toBe(0);
    const file = store.file;
    store.close();
    // Still incomplete after reopening; the project is consistent.
    const again = ProjectStore.open(file, { lock: true });
    open.push(again);
    expect(again.incompleteModelVersionIds()).toEqual([2]);
    expect(again.activeModelVersionId()).toBe(1);
    again.close();
    expect(checkProject(file)).toMatchObject({ ok: true, problems: [] });
  });

  it('a crash while copying decisions onto clips is finished by the next studio open', () => {
    const store = project();
    let calls = 0;
    // 5 prediction chunks + 1 before completing, then 1 before the first mirror chunk: die after 2 mirror chunks.
    expect(() =>
      saveVersion(
        store,
        { ...version, predictions: predictions(store), activate: true },
        {
          chunkRows: 50,
          between: () => {
            if (++calls === 9) throw new Error('killed');
          },
        },
      ),
    ).toThrow('killed');
    expect(store.activeModelVersionId()).toBe(2);
    expect(store.listModelVersions().map((v) => v.id)).toEqual([1, 2]);
    expect(mirrorCounts(store)).toBe(100);
    const file = store.file;
    store.close();
    expect(checkProject(file).problems.join()).toMatch(/copy of the active decision/);
    // A worker (no lock) leaves it alone; the studio (lock holder) finishes it.
    const worker = ProjectStore.open(file);
    expect(mirrorCounts(worker)).toBe(100);
    worker.close();
    const studio = ProjectStore.open(file, { lock: true });
    open.push(studio);
    expect(mirrorCounts(studio)).toBe(N);
    studio.close();
    expect(checkProject(file)).toMatchObject({ ok: true, problems: [] });
  });

  it('stops copying decisions when another writer activates a version meanwhile', () => {
    const store = project();
    const other = ProjectStore.open(store.file);
    open.push(other);
    let calls = 0;
    saveVersion(
      store,
      { ...version, predictions: predictions(store), activate: true },
      {
        chunkRows: 50,
        between: () => {
          if (++calls === 8) other.setActiveModelVersion(1);
        },
      },
    );
    expect(store.activeModelVersionId()).toBe(1);
    expect(mirrorCounts(store)).toBe(0);
    store.close();
    other.close();
    expect(checkProject(store.file)).toMatchObject({ ok: true, problems: [] });
  });

  it('small saves stay one transaction, and activate: false leaves the pointer alone', () => {
    const store = project();
    const preds = predictions(store);
    const v = saveVersion(store, { ...version, predictions: preds.slice(0, 10), activate: false }, { chunkRows: 50, between: () => expect.unreachable() });
    expect(store.activeModelVersionId()).toBe(1);
    expect(store.listPredictions(v.id)).toHaveLength(10);
    const big = saveVersion(store, { ...version, predictions: preds, activate: false }, { chunkRows: 50, between: () => {} });
    expect(store.activeModelVersionId()).toBe(1);
    expect(store.listModelVersions().map((x) => x.id)).toEqual([1, v.id, big.id]);
    expect(mirrorCounts(store)).toBe(0);
    store.setActiveModelVersion(big.id);
    expect(mirrorCounts(store)).toBe(N);
  });
});
