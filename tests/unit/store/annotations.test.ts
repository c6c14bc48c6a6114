import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../../shared/domain';
import { checkProject } from '../../../src-main/store/check';
import { deriveLabelState } from '../../../src-main/store/current-label';
import { ProjectStore } from '../../../src-main/store/project-store';
import { tempDir } from './helpers';

const dir = tempDir();
let store: ProjectStore;
let n = 0;

beforeEach(() => {
  store = ProjectStore.create(join(dir, `a${n++}.eodn`), { name: 'a' });
  store.ensureClasses(['anger', 'fear', 'joy'], 'import');
  store.insertClips(
    ['anger', 'fear', null].map((label, i) => ({
      path: `/d/c${i}.wav`, hash: `h${i}`, sizeBytes: 1, durationSec: 1 + i, sampleRate: 16000, channels: 1, importLabel: label, speaker: `s${i}`,
    })),
  );
  return () => store.close();
});

const decision = (kind: Decision['kind'], p1: number, label: string | null): Decision => ({
  kind, top1: 0, top2: 1, p1, p2: 1 - p1, eta: 0.5, mu: 0.2, delta: 0.1, label, reason: 'test',
});

describe('current label derivation', () => {
  it('replays history with undo and reject', () => {
    const d = (h: [string, string | null][]) => deriveLabelState('anger', h.map(([action, label]) => ({ action: action as never, label })));
    expect(d([])).toEqual({ currentLabel: 'anger', reviewed: false });
    expect(d([['accept', 'anger']])).toEqual({ currentLabel: 'anger', reviewed: true });
    expect(d([['relabel', 'fear']])).toEqual({ currentLabel: 'fear', reviewed: true });
    expect(d([['relabel', 'fear'], ['undo', null]])).toEqual({ currentLabel: 'anger', reviewed: false });
    expect(d([['relabel', 'fear'], ['relabel', 'joy'], ['undo', null]])).toEqual({ currentLabel: 'fear', reviewed: true });
    expect(d([['relabel', 'fear'], ['relabel', 'joy'], ['undo', null], ['undo', null]])).toEqual({ currentLabel: 'anger', reviewed: false });
    // reject = "not this label": back to the import label, or to none when the import label is what was rejected.
    expect(d([['relabel', 'fear'], ['reject', 'fear']])).toEqual({ currentLabel: 'anger', reviewed: true });
    expect(d([['reject', 'anger']])).toEqual({ currentLabel: null, reviewed: true });
    expect(d([['reject', 'anger'], ['undo', null]])).toEqual({ currentLabel: 'anger', reviewed: false });
    expect(d([['undo', null], ['relabel', 'joy']])).toEqual({ currentLabel: 'joy', reviewed: true });
  });
});

describe('annotations', () => {
  it('are append-only: UPDATE and DELETE are refused by triggers', () => {
    store.annotate(1, { annotator: 'ann', action: 'relabel', label: 'fear' });
    expect(() => store.db.prepare("UPDATE annotations SET label = 'joy'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM annotations').run()).toThrow(/append-only/);
    expect(store.clipHistory(1).map((a) => a.label)).toEqual(['fear']);
  });

  it('keep the current label in step through accept, relabel, reject, undo and new-class', () => {
    const row = (id: number) => store.listClipRows({ offset: 0, limit: 10 }).rows.find((r) => r.id === id)!;
    expect(row(1)).toMatchObject({ currentLabel: 'anger', reviewed: false });
    store.annotate(1, { annotator: 'ann', action: 'relabel', label: 'fear' });
    expect(row(1)).toMatchObject({ currentLabel: 'fear', reviewed: true });
    store.annotate(1, { annotator: 'ann', action: 'reject', label: 'fear' });
    expect(row(1)).toMatchObject({ currentLabel: 'anger', reviewed: true });
    store.annotate(1, { annotator: 'ann', action: 'undo' });
    expect(row(1)).toMatchObject({ currentLabel: 'fear' });
    store.annotate(3, { annotator: 'ann', action: 'new-class', label: 'awe' });
    expect(row(3)).toMatchObject({ currentLabel: 'awe', reviewed: true });
    expect(store.classes().find((c) => c.name === 'awe')?.origin).toBe('discovered');
    expect(store.listClipRows({ offset: 0, limit: 10, filter: { reviewed: false } }).rows.map((r) => r.id)).toEqual([2]);
    expect(store.listClipRows({ offset: 0, limit: 10, filter: { label: 'fear' } }).total).toBe(2);
    store.close();
    expect(checkProject(store.file)).toMatchObject({ ok: true });
  });

  it('refuse invalid entries without writing anything', () => {
    expect(() => store.annotate(1, { annotator: 'ann', action: 'undo' })).toThrow(/nothing to undo/);
    expect(() => store.annotate(1, { annotator: 'ann', action: 'relabel', label: 'nope' })).toThrow(/unknown class/);
    expect(() => store.annotate(1, { annotator: '', action: 'accept', label: 'anger' })).toThrow(/annotator/);
    expect(() => store.annotate(99, { annotator: 'a', action: 'accept', label: 'anger' })).toThrow(/no clip/);
    expect(() => store.annotate(1, { annotator: 'a', action: 'accept', label: 'anger', modelVersionId: 42 })).toThrow(/FOREIGN KEY/);
    // annotateMany is all or nothing.
    expect(() =>
      store.annotateMany([
        { clipId: 1, annotator: 'a', action: 'relabel', label: 'joy' },
        { clipId: 2, annotator: 'a', action: 'relabel', label: 'nope' },
      ]),
    ).toThrow();
    expect(store.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get()).toBe(0);
    expect(store.getClip(1).importLabel).toBe('anger');
    expect(store.listClipRows({ offset: 0, limit: 10, filter: { reviewed: true } }).total).toBe(0);
  });
});

describe('model versions, predictions, embeddings, jobs', () => {
  it('model versions are immutable and predictions follow the active version', () => {
    const v1 = store.insertModelVersion({ parentId: null, name: 'v1', classes: ['anger', 'fear'], bundle: { w: [1, 2] }, thresholds: { eta: 0.5 }, settings: {}, metrics: { f1: 0.5 } });
    const v2 = store.insertModelVersion({ parentId: v1.id, name: 'v2', classes: ['anger', 'fear', 'joy'], bundle: {}, thresholds: {}, settings: {}, metrics: {} });
    expect(() => store.db.prepare("UPDATE model_versions SET name = 'x'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM model_versions').run()).toThrow(/append-only/);
    expect(store.getModelVersion(v1.id).bundle).toEqual({ w: [1, 2] });
    expect(store.listModelVersions().map((v) => [v.id, v.parentId, 'bundle' in v])).toEqual([[v1.id, null, false], [v2.id, v1.id, false]]);
    expect(() => store.upsertPredictions(v1.id, [{ clipId: 1, probs: [1, 0, 0], decision: decision('accepted', 1, 'anger'), pad: null, nearest: [] }])).toThrow(/3 probabilities/);
    store.upsertPredictions(v1.id, [
      { clipId: 1, probs: [0.8, 0.2], decision: decision('accepted', 0.8, 'anger'), pad: [1, 2, 3], nearest: [{ name: 'angry', distance: 0.1 }] },
      { clipId: 2, probs: [0.45, 0.55], decision: decision('ambiguous-unknown', 0.55, null), pad: null, nearest: [] },
    ]);
    store.upsertPredictions(v2.id, [{ clipId: 3, probs: [0.1, 0.1, 0.8], decision: decision('accepted', 0.8, 'joy'), pad: null, nearest: [] }]);
    const rows = () => store.listClipRows({ offset: 0, limit: 10, sort: { by: 'confidence', dir: 'desc' } }).rows.map((r) => [r.id, r.decision, r.confidence && +r.confidence.toFixed(2)]);
    expect(rows()).toEqual([[3, null, null], [2, null, null], [1, null, null]]); // ties break by id in the sort direction
    store.setActiveModelVersion(v1.id);
    expect(rows()).toEqual([[1, 'accepted', 0.8], [2, 'ambiguous-unknown', 0.55], [3, null, null]]);
    // Re-upserting the active version's prediction updates the list.
    store.upsertPredictions(v1.id, [{ clipId: 2, probs: [0.1, 0.9], decision: decision('accepted', 0.9, 'fear'), pad: null, nearest: [] }]);
    expect(rows()[0]).toEqual([2, 'accepted', 0.9]);
    expect(store.listClipRows({ offset: 0, limit: 10, filter: { decision: 'none' } }).rows.map((r) => r.id)).toEqual([3]);
    expect(store.listClipRows({ offset: 0, limit: 10, filter: { minConfidence: 0.85 } }).rows.map((r) => r.id)).toEqual([2]);
    store.setActiveModelVersion(v2.id);
    expect(rows()[0]).toEqual([3, 'accepted', 0.8]);
    const p = store.listPredictions(v1.id);
    expect(p.map((x) => x.clipId)).toEqual([1, 2]);
    expect(Array.from(p[0].probs)).toEqual([expect.closeTo(0.8, 6), expect.closeTo(0.2, 6)]);
    expect(p[0]).toMatchObject({ pad: [1, 2, 3], nearest: [{ name: 'angry', distance: 0.1 }], decision: { kind: 'accepted', label: 'anger' } });
    expect(() => store.setActiveModelVersion(99)).toThrow(/no model version/);
    store.close();
    expect(checkProject(store.file)).toMatchObject({ ok: true });
  });

  it('caches embeddings by content, encoder and settings', () => {
    const key = { clipHash: 'h0', encoderId: 'speech-embedding', settingsHash: 's1' };
    expect(store.getEmbedding(key)).toBeNull();
    store.putEmbeddings([{ key, vector: new Float32Array([1, 2, 3]) }]);
    expect(Array.from(store.getEmbedding(key)!)).toEqual([1, 2, 3]);
    expect(store.getEmbedding({ ...key, settingsHash: 's2' })).toBeNull();
    expect(store.getEmbedding({ ...key, segment: '0.000-1.000' })).toBeNull();
    store.putEmbeddings([{ key, vector: new Float32Array([4, 5]) }]);
    expect(Array.from(store.getEmbedding(key)!)).toEqual([4, 5]);
  });

  it('records jobs and lists the unfinished ones', () => {
    const a = store.createJob('embed', { encoder: 'x' }, 10);
    const b = store.createJob('train');
    store.updateJob(a.id, { state: 'running', done: 4, message: 'embedding' });
    store.updateJob(b.id, { state: 'failed', error: 'boom' });
    const open = store.listUnfinishedJobs();
    expect(open.map((j) => [j.id, j.state, j.done, j.total, j.params])).toEqual([[a.id, 'running', 4, 10, { encoder: 'x' }]]);
    expect(store.getJob(b.id)).toMatchObject({ state: 'failed', error: 'boom', finishedAt: expect.any(String) });
  });
});
