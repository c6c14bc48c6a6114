// A training worker that dies mid-job (process.exit, or an error nobody catches): the job is reported and
// recorded as failed, the host process carries on, the previous model version stays active, and the next job
// runs in a fresh worker. Also through StudioService with the EODN_TEST_TRAIN_FAULT hook.
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgressEvent } from '../../../shared/api';
import { StudioService } from '../../../src-main/api/studio-service';
import { parseTrainFault, startTrainJob } from '../../../src-main/training/train-host';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

const workerPath = resolve('src-main/training/train-worker.ts');
const known = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
let dir: string;
let file: string;
let store: ProjectStore;

beforeAll(async () => {
  dir = tempDir('eodn-train-faults-');
  file = join(dir, 'demo.eodn');
  store = ProjectStore.create(file, { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
});
afterAll(() => store.close());

function run(fault?: Parameters<typeof startTrainJob>[0]['fault']) {
  const job = store.createJob('train', {}, 100);
  const stages: string[] = [];
  const handle = startTrainJob({ jobId: job.id, projectFile: file, workerPath, task: { kind: 'train', options: { known } }, fault, onProgress: (p) => stages.push(p.stage) });
  return { job, stages, done: handle.done };
}

describe('training worker crashes', () => {
  it('parses the test hook of the environment', () => {
    expect(parseTrainFault('exit@fit:5')).toEqual({ mode: 'exit', stage: 'fit', after: 5 });
    expect(parseTrainFault('throw@embed:1')).toEqual({ mode: 'throw', stage: 'embed', after: 1 });
    expect(parseTrainFault('explode@fit:1')).toBeUndefined();
    expect(parseTrainFault(undefined)).toBeUndefined();
  });

  // The host fills the embedding cache before the worker starts (onnxruntime never runs under a worker that
  // may die); the worker still passes its own embedding stage, reading the cache, and dies there.
  it('process.exit in the worker embedding stage: failed, job row failed, no version, host alive', async () => {
    const r = run({ mode: 'exit', stage: 'embed', after: 1 });
    const result = await r.done;
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/exited with code 70 before finishing/) });
    expect(r.stages).not.toContain('fit');
    expect(store.getJob(r.job.id)).toMatchObject({ state: 'failed', message: expect.stringMatching(/crashed/) });
    expect(store.listModelVersions()).toHaveLength(0);
  });

  it('the next job runs in a fresh worker and writes version 1', async () => {
    const r = run();
    expect(await r.done).toEqual({ status: 'completed', versionId: 1 });
    expect(store.activeModelVersionId()).toBe(1);
  });

  it('an uncaught error mid-training: failed, version 1 stays active, then version 2 trains', async () => {
    const crash = run({ mode: 'throw', stage: 'fit', after: 4 });
    const result = await crash.done;
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/training worker crashed: injected crash at fit #4/) });
    expect(crash.stages).toContain('fit');
    expect(crash.stages).not.toContain('save');
    expect(store.getJob(crash.job.id)).toMatchObject({ state: 'failed', error: expect.stringMatching(/injected crash/) });
    expect(store.listModelVersions()).toHaveLength(1);
    expect(store.activeModelVersionId()).toBe(1);

    const next = run();
    expect(await next.done).toEqual({ status: 'completed', versionId: 2 });
    expect(store.activeModelVersionId()).toBe(2);
  });

  it('through StudioService: job.progress says failed, the active version is kept, the service goes on', async () => {
    const service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test', trainWorkerPath: workerPath });
    const progress: JobProgressEvent[] = [];
    service.on('job.progress', (p) => progress.push(p));
    service.openProject(file);
    process.env.EODN_TEST_TRAIN_FAULT = 'exit@fit:2';
    let jobId: string;
    try {
      ({ jobId } = service.startTraining({ known }));
    } finally {
      delete process.env.EODN_TEST_TRAIN_FAULT;
    }
    await service.waitForJob(jobId);
    expect(progress.at(-1)).toMatchObject({ jobId, state: 'failed', error: expect.stringMatching(/exited with code 70/) });
    expect(await service.dispatch('jobs.get', { jobId })).toMatchObject({ state: 'failed' });
    expect(((await service.dispatch('models.list', {})) as { activeId: number }).activeId).toBe(2);
    // The service still serves, and a new job (no fault now) gets a fresh worker.
    const again = service.startTraining({ known });
    await service.waitForJob(again.jobId);
    expect(progress.at(-1)).toMatchObject({ jobId: again.jobId, state: 'done', versionId: 3 });
    await service.shutdown();
  });
});
