// StudioService's model API: schemas reject bad arguments before any handler runs; on the demo project a
// training job runs in a worker with job.progress events, writes version 1 and fills the clip rows;
// fine-tuning adds a class (version 2), activation rolls back, and an interrupted job is failed on open.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseArgs, type JobProgressEvent, type Method, type ModelChangedEvent } from '../../../shared/api';
import { StudioService } from '../../../src-main/api/studio-service';
import { openDemoProject } from '../../../src-main/api/demo-project';
import { ProjectStore } from '../../../src-main/store/project-store';
import { tempDir } from '../store/helpers';

describe('model API schemas', () => {
  it('rejects bad arguments with a bad-request that names the field', () => {
    const cases: [Method, unknown, RegExp][] = [
      ['models.train', { known: ['anger'] }, /known/],
      ['models.train', { encoder: 'wav2vec' }, /encoder/],
      ['models.train', { epsilon: 1.5 }, /epsilon/],
      ['models.train', { rho: 0 }, /rho/],
      ['models.train', { extra: 1 }, /extra|models\.train/],
      ['models.finetune', { name: '', clipIds: [1] }, /name/],
      ['models.finetune', { name: 'fear', clipIds: [] }, /clipIds/],
      ['models.finetune', { name: 'fear', clipIds: [0] }, /clipIds/],
      ['models.finetune', { name: 'fear', clipIds: [1], pad: [9, 0, 0] }, /pad/],
      ['models.finetune', { name: 'fear', clipIds: [1], pad: [0, 0] }, /pad/],
      ['models.activate', { id: '1' }, /id/],
      ['models.get', {}, /id/],
      ['jobs.cancel', { jobId: 'not-a-uuid' }, /jobId/],
      ['annotations.add', { clipId: 1, action: 'delete' }, /action/],
      ['annotations.add', { clipId: 1, action: 'accept', label: 'x'.repeat(101) }, /label/],
      ['predictions.forClip', { clipId: -1 }, /clipId/],
      ['pad.table', { table: 'mine' }, /table/],
    ];
    for (const [method, args, where] of cases) {
      try {
        parseArgs(method, args);
        expect.unreachable(`${method} accepted ${JSON.stringify(args)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).code).toBe('bad-request');
        expect((e as ApiError).message).toMatch(where);
      }
    }
  });
});

describe('model API on the demo project', () => {
  let service: StudioService;
  let dataDir: string;
  const progress: JobProgressEvent[] = [];
  const changes: ModelChangedEvent[] = [];
  const call = (m: Method, args: unknown) => service.dispatch(m, args);

  beforeAll(() => {
    dataDir = tempDir('eodn-api-');
    service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
    service.on('job.progress', (p) => progress.push(p));
    service.on('model.changed', (c) => changes.push(c));
  });
  afterAll(() => service.shutdown());

  it('trains a first demo model in the background on first start', async () => {
    await openDemoProject(service, dataDir);
    const jobId = progress[0]?.jobId ?? (await new Promise<string>((r) => service.on('job.progress', (p) => r(p.jobId))));
    expect(await call('models.train', {}).catch((e: ApiError) => e.code)).toBe('conflict'); // one at a time
    await service.waitForJob(jobId);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ jobId, kind: 'train', state: 'done', done: 100, total: 100, versionId: 1 });
    const running = progress.filter((p) => p.state === 'running');
    expect(running.some((p) => p.stage === 'fit' && typeof p.loss === 'number')).toBe(true);
    // Overall progress only moves forward.
    expect(running.every((p, i) => i === 0 || p.done >= running[i - 1].done)).toBe(true);
    expect(changes).toEqual([{ activeId: 1, versionId: 1, reason: 'trained' }]);
    expect(await call('jobs.get', { jobId })).toMatchObject({ state: 'done', kind: 'train' });

    const list = (await service.dispatch('models.list', {})) as { versions: { id: number; active: boolean; classes: string[] }[]; activeId: number };
    expect(list.activeId).toBe(1);
    expect(list.versions).toMatchObject([{ id: 1, active: true, classes: ['anger', 'boredom', 'happiness', 'neutral', 'sadness'] }]);
    const details = (await service.dispatch('models.get', { id: 1 })) as { thresholds: { name: string; eta: number }[]; epsilon: number };
    expect(details.thresholds.map((t) => t.name)).toEqual(['anger', 'boredom', 'happiness', 'neutral', 'sadness']);
    expect(details).not.toHaveProperty('bundle');

    const { rows } = (await service.dispatch('clips.list', { offset: 0, limit: 100 })) as { rows: { id: number; decision: string | null; confidence: number | null }[] };
    expect(rows).toHaveLength(80);
    expect(rows.every((r) => r.decision !== null && r.confidence! > 0)).toBe(true);
    const pred = (await service.dispatch('predictions.forClip', { clipId: rows[0].id })) as { probabilities: number[]; classes: string[]; thresholds: unknown[]; pad: number[]; nearest: unknown[]; decision: { kind: string } };
    expect(pred.probabilities).toHaveLength(5);
    expect(pred.thresholds).toHaveLength(5);
    expect(pred.pad).toHaveLength(3);
    expect(pred.nearest.length).toBeGreaterThan(0);
    expect(pred.decision.kind).toBe(rows[0].decision);
  });

  it('annotates, undoes and lists history and classes', async () => {
    const r = (await service.dispatch('annotations.add', { clipId: 1, action: 'relabel', label: 'boredom', annotator: 'ann' })) as { annotation: { modelVersionId: number }; currentLabel: string; reviewed: boolean };
    expect(r).toMatchObject({ currentLabel: 'boredom', reviewed: true, annotation: { modelVersionId: 1 } });
    await expect(service.dispatch('annotations.add', { clipId: 1, action: 'accept', label: 'contempt' })).rejects.toMatchObject({ code: 'bad-request' });
    const u = (await service.dispatch('annotations.add', { clipId: 1, action: 'undo' })) as { reviewed: boolean };
    expect(u.reviewed).toBe(false);
    const h = (await service.dispatch('annotations.history', { clipId: 1 })) as { annotations: { action: string }[] };
    expect(h.annotations.map((a) => a.action)).toEqual(['relabel', 'undo']);
    const c = (await service.dispatch('classes.list', {})) as { classes: { name: string; clips: number }[] };
    expect(c.classes.find((x) => x.name === 'anger')?.clips).toBe(12);
    const t = (await service.dispatch('pad.table', { table: 'eodn' })) as { terms: { name: string }[] };
    expect(t.terms.map((x) => x.name)).toContain('Fearful');
    await expect(service.dispatch('predictions.forClip', { clipId: 9999 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('fine-tunes a new class into version 2 and rolls back to version 1', async () => {
    const { rows } = (await service.dispatch('clips.list', { offset: 0, limit: 100, filter: { label: 'fear' } })) as { rows: { id: number }[] };
    const { jobId } = (await service.dispatch('models.finetune', { name: 'fear', clipIds: rows.map((r) => r.id) })) as { jobId: string };
    await service.waitForJob(jobId);
    expect(progress.at(-1)).toMatchObject({ jobId, kind: 'finetune', state: 'done', versionId: 2 });
    const v2 = (await service.dispatch('models.get', { id: 2 })) as { parentId: number; classes: string[]; active: boolean; metrics: { forgetting: object } };
    expect(v2).toMatchObject({ parentId: 1, active: true, classes: ['anger', 'boredom', 'happiness', 'neutral', 'sadness', 'fear'] });
    expect(v2.metrics.forgetting).toHaveProperty('knownAccuracyAfter');
    expect(((await service.dispatch('predictions.forClip', { clipId: rows[0].id })) as { probabilities: number[] }).probabilities).toHaveLength(6);

    expect(await service.dispatch('models.activate', { id: 1 })).toEqual({ activeId: 1 });
    expect(changes.at(-1)).toEqual({ activeId: 1, versionId: 1, reason: 'activated' });
    expect(((await service.dispatch('predictions.forClip', { clipId: rows[0].id })) as { probabilities: number[] }).probabilities).toHaveLength(5);
    await expect(service.dispatch('models.activate', { id: 99 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('cancels a running job and marks an interrupted one failed on the next open', async () => {
    const { jobId } = (await service.dispatch('models.train', { known: ['anger', 'sadness', 'neutral'] })) as { jobId: string };
    expect(await service.dispatch('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    await service.waitForJob(jobId);
    expect(progress.at(-1)).toMatchObject({ jobId, state: 'cancelled' });
    expect(await service.dispatch('jobs.get', { jobId })).toMatchObject({ state: 'cancelled' });
    expect(((await service.dispatch('models.list', {})) as { activeId: number }).activeId).toBe(1);
    await expect(service.dispatch('jobs.cancel', { jobId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'not-found' });

    // A studio killed while training leaves the job 'running': the next open marks it failed.
    const file = join(dataDir, 'projects', 'emodb-demo.eodn');
    const other = ProjectStore.open(file);
    const orphan = other.createJob('train', {}, 100);
    other.updateJob(orphan.id, { state: 'running' });
    other.close();
    const fresh = new StudioService({ transport: 'browser', dataDir, version: 'test' });
    fresh.openProject(file);
    expect(await fresh.dispatch('jobs.get', { jobId: orphan.id })).toMatchObject({ state: 'failed', message: 'interrupted' });
    expect(((await fresh.dispatch('models.list', {})) as { activeId: number }).activeId).toBe(1);
    fresh.close();
  });
});
