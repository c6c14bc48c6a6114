// The threshold and batch-accept methods through StudioService (schemas, handlers, events) on the demo clips
// with a generated model version: a dry run counts without writing; the commit accepts exactly those clips in
// one go with the model's labels, and a second run finds nothing left to accept. One call can take accepted and
// ambiguous-accepted clips together, each above its own bar; an ambiguous bar with the ambiguous decision is refused.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseArgs, type BatchAcceptResult, type Method, type ModelChangedEvent, type ThresholdPreview } from '../../../shared/api';
import type { ClipRow } from '../../../shared/domain';
import { StudioService } from '../../../src-main/api/studio-service';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { addSyntheticVersion } from '../pipeline/synthetic-version';
import { tempDir, DEMO_MANIFEST } from '../store/helpers';

let service: StudioService;
const changes: ModelChangedEvent[] = [];
const call = <T>(m: Method, args: unknown) => service.dispatch(m, args) as Promise<T>;
const rows = async (filter: object = {}) => (await call<{ rows: ClipRow[] }>('clips.list', { offset: 0, limit: 1000, filter })).rows;

beforeAll(async () => {
  const dir = tempDir('eodn-batch-');
  const file = join(dir, 'demo.eodn');
  const store = ProjectStore.create(file, { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
  store.close();
  service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
  service.on('model.changed', (c) => changes.push(c));
  service.openProject(file);
});
afterAll(() => service.shutdown());

describe('threshold and batch-accept schemas', () => {
  it('reject out-of-range values', () => {
    const cases: [Method, unknown][] = [
      ['models.previewThresholds', { epsilon: 0, rho: 0.5 }],
      ['models.previewThresholds', { epsilon: 1.01, rho: 0.5 }],
      ['models.applyThresholds', { epsilon: 0.5, rho: 11 }],
      ['models.applyThresholds', { epsilon: 0.5 }],
      ['annotations.batchAccept', { minConfidence: 1.2, dryRun: true }],
      ['annotations.batchAccept', { minConfidence: 0.5 }],
      ['annotations.batchAccept', { minConfidence: 0.5, dryRun: true, decision: 'unknown' }],
      ['annotations.batchAccept', { minConfidence: 0.5, dryRun: true, ambiguousMinConfidence: 1.5 }],
      ['annotations.batchAccept', { minConfidence: 0.5, dryRun: true, ambiguousMinConfidence: -0.1 }],
    ];
    for (const [m, a] of cases) expect(() => parseArgs(m, a), `${m} ${JSON.stringify(a)}`).toThrow(ApiError);
  });
});

describe('without a model', () => {
  it('previews nothing and accepts nothing', async () => {
    await expect(call('models.previewThresholds', { epsilon: 0.5, rho: 0.5 })).rejects.toMatchObject({ code: 'bad-request' });
    expect(await call('annotations.batchAccept', { minConfidence: 0, dryRun: false })).toEqual({ dryRun: false, versionId: null, count: 0, sample: [] });
  });
});

describe('with a model', () => {
  it('previews and applies thresholds as a new active version, announced as model.changed', async () => {
    const v = addSyntheticVersion(service.currentStore!);
    const p = await call<ThresholdPreview>('models.previewThresholds', { epsilon: 0.3, rho: 2 });
    expect(p.versionId).toBe(v.id);
    const res = await call<{ version: { id: number; parentId: number; active: boolean } }>('models.applyThresholds', { epsilon: 0.3, rho: 2 });
    expect(res.version).toMatchObject({ id: v.id + 1, parentId: v.id, active: true });
    expect(changes.at(-1)).toEqual({ activeId: v.id + 1, versionId: v.id + 1, reason: 'rethresholded' });
    await expect(call('models.applyThresholds', { epsilon: 0.3, rho: 2 })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('a dry run counts the confident accepted clips and writes nothing', async () => {
    const expected = (await rows({ decision: 'accepted', reviewed: false, minConfidence: 0.6 })).length;
    expect(expected).toBeGreaterThan(0);
    const dry = await call<BatchAcceptResult>('annotations.batchAccept', { minConfidence: 0.6, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, count: expected });
    expect(dry.sample.length).toBe(Math.min(12, expected));
    expect(dry.sample.every((s) => s.confidence >= 0.6 && s.label.length > 0)).toBe(true);
    // Least confident first: the likeliest to be wrong, which the annotator listens to first.
    expect(dry.sample.map((s) => s.confidence)).toEqual([...dry.sample.map((s) => s.confidence)].sort((a, b) => a - b));
    expect((await rows({ reviewed: true })).length).toBe(0);
    // A lower bar qualifies at least as many.
    const lower = await call<BatchAcceptResult>('annotations.batchAccept', { minConfidence: 0, dryRun: true });
    expect(lower.count).toBeGreaterThanOrEqual(dry.count);
    // The dialog asks for the whole batch to be listed (to be heard and corrected): `sampleSize` clips of it.
    expect(lower.count).toBeGreaterThan(12);
    const whole = await call<BatchAcceptResult>('annotations.batchAccept', { minConfidence: 0, dryRun: true, sampleSize: 1000 });
    expect(whole.sample.map((s) => s.clipId)).toHaveLength(lower.count);
    expect(whole.sample.slice(0, 12)).toEqual(lower.sample);
    await expect(call('annotations.batchAccept', { minConfidence: 0, dryRun: true, sampleSize: 0 })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('one call with both bars accepts the clips of both kinds: as many as the two single-kind dry runs', async () => {
    // The rethresholded version (ε 0.3) leaves no clip on the margin: back to the generated one, which does.
    const active = await call<{ parentId: number | null }>('models.get', { id: service.currentStore!.activeModelVersionId()! });
    await call('models.activate', { id: active.parentId! });
    // The accepted bar splits the accepted clips, so the commit below still finds some above 0.6 to take.
    const acceptedRows = await rows({ decision: 'accepted', reviewed: false, minConfidence: 0.6 });
    const aBar = acceptedRows[Math.floor(acceptedRows.length / 3)].confidence!;
    const bBar = 0.3;
    const accepted = await call<BatchAcceptResult>('annotations.batchAccept', { minConfidence: aBar, dryRun: true });
    const ambiguous = await call<BatchAcceptResult>('annotations.batchAccept', { minConfidence: bBar, decision: 'ambiguous-accepted', dryRun: true });
    expect(accepted.count).toBeGreaterThan(0);
    expect(ambiguous.count).toBeGreaterThan(0);
    const both = { minConfidence: aBar, ambiguousMinConfidence: bBar };
    const dry = await call<BatchAcceptResult>('annotations.batchAccept', { ...both, dryRun: true });
    expect(dry.count).toBe(accepted.count + ambiguous.count);
    // Least confident first, across both kinds.
    expect(dry.sample.map((s) => s.confidence)).toEqual([...dry.sample.map((s) => s.confidence)].sort((a, b) => a - b));
    const waiting = new Map((await rows({ reviewed: false })).map((r) => [r.id, r]));
    const reviewedBefore = (await rows({ reviewed: true })).length;
    const labelsChanged: number[] = [];
    const off = service.on('labels.changed', (e) => labelsChanged.push(e.count));
    const done = await call<BatchAcceptResult>('annotations.batchAccept', { ...both, dryRun: false, annotator: 'batch' });
    off();
    expect(done).toMatchObject({ dryRun: false, count: accepted.count + ambiguous.count, versionId: dry.versionId });
    expect(labelsChanged).toEqual([done.count]); // one step
    const now = await rows({ reviewed: true });
    expect(now).toHaveLength(reviewedBefore + done.count);
    const taken = now.filter((r) => waiting.has(r.id)).map((r) => waiting.get(r.id)!);
    expect(taken).toHaveLength(done.count);
    expect(taken.filter((r) => r.decision === 'accepted')).toHaveLength(accepted.count);
    expect(taken.filter((r) => r.decision === 'ambiguous-accepted')).toHaveLength(ambiguous.count);
    expect(taken.filter((r) => r.decision === 'ambiguous-accepted').every((r) => r.confidence! >= bBar)).toBe(true);
    // Nothing of either kind is left above its bar.
    expect(await call('annotations.batchAccept', { ...both, dryRun: true })).toMatchObject({ count: 0 });
    expect((await rows({ decision: 'accepted', reviewed: false, minConfidence: 0.6 })).length).toBeGreaterThan(0);
  });

  it('commits exactly the previewed clips with the model labels, skipping reviewed ones', async () => {
    // One clip answered by hand first: batch accept must leave it alone.
    const earlier = (await rows({ reviewed: true })).length; // the both-kinds batch above
    const [first] = await rows({ decision: 'accepted', reviewed: false, minConfidence: 0.6 });
    await call('annotations.add', { clipId: first.id, action: 'relabel', label: 'fear' });
    const dry = await call<BatchAcceptResult>('annotations.batchAccept', { minConfidence: 0.6, dryRun: true });
    const done = await call<BatchAcceptResult>('annotations.batchAccept', { minConfidence: 0.6, dryRun: false, annotator: 'batch' });
    expect(done).toMatchObject({ dryRun: false, count: dry.count, versionId: dry.versionId });
    const reviewed = await rows({ reviewed: true });
    expect(reviewed).toHaveLength(earlier + dry.count + 1);
    expect(reviewed.find((r) => r.id === first.id)?.currentLabel).toBe('fear');
    const store = service.currentStore!;
    const preds = new Map(store.listPredictions(done.versionId!).map((p) => [p.clipId, p.decision.label]));
    for (const r of reviewed.filter((x) => x.id !== first.id)) {
      expect(r.currentLabel).toBe(preds.get(r.id));
      expect(store.clipHistory(r.id)).toMatchObject([{ action: 'accept', annotator: 'batch', modelVersionId: done.versionId }]);
    }
    expect(await call('annotations.batchAccept', { minConfidence: 0.6, dryRun: true })).toMatchObject({ count: 0 });
  });

  it('refuses an ambiguous bar with decision ambiguous-accepted, plainly and before anything is written', async () => {
    const before = (await rows({ reviewed: true })).length;
    for (const dryRun of [true, false]) {
      const args = { minConfidence: 0.5, decision: 'ambiguous-accepted', ambiguousMinConfidence: 0.5, dryRun };
      await expect(call('annotations.batchAccept', args)).rejects.toMatchObject({
        name: 'ApiError',
        code: 'bad-request',
        message: expect.stringMatching(/^annotations\.batchAccept: ambiguousMinConfidence goes with decision "accepted"/),
      });
    }
    expect((await rows({ reviewed: true })).length).toBe(before);
  });
});
