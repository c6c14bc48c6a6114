// Training in a worker thread: progress is relayed, cancel stops it without writing a version, and a full
// run writes the version from the worker's own connection to the project file.
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTrainJob } from '../../../src-main/training/train-host';
import type { PipelineProgress } from '../../../src-main/pipeline';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

const workerPath = resolve('src-main/training/train-worker.ts');
const known = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
let file: string;
let store: ProjectStore;

beforeAll(async () => {
  file = join(tempDir('eodn-train-worker-'), 'demo.eodn');
  store = ProjectStore.create(file, { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
});

describe('training worker', () => {
  it('can be cancelled mid-run: no version, job marked cancelled', async () => {
    const job = store.createJob('train', {}, 100);
    const stages: string[] = [];
    let cancelledAt: string | null = null;
    const handle = startTrainJob({
      jobId: job.id,
      projectFile: file,
      workerPath,
      task: { kind: 'train', options: { known } },
      onProgress: (p: PipelineProgress) => {
        stages.push(p.stage);
        if (p.stage === 'embed' && p.done >= 8 && !cancelledAt) {
          cancelledAt = p.stage;
          handle.cancel();
        }
      },
    });
    expect(await handle.done).toEqual({ status: 'cancelled' });
    expect(cancelledAt).toBe('embed');
    expect(stages).not.toContain('save');
    expect(store.listModelVersions()).toHaveLength(0);
    expect(store.getJob(job.id)).toMatchObject({ state: 'cancelled' });
  });

  it('cancels inside the synchronous training loop too', async () => {
    const job = store.createJob('train', {}, 100);
    let epochs = 0;
    const handle = startTrainJob({
      jobId: job.id,
      projectFile: file,
      workerPath,
      task: { kind: 'train', options: { known } },
      onProgress: (p) => {
        if (p.stage === 'fit' && ++epochs === 5) handle.cancel();
      },
    });
    expect(await handle.done).toEqual({ status: 'cancelled' });
    // The worker polls a shared flag between mini-batches, so it stops long before epoch 150.
    expect(epochs).toBeLessThan(150);
    expect(store.listModelVersions()).toHaveLength(0);
  });

  it('runs to the end and writes the version itself', async () => {
    const job = store.createJob('train', {}, 100);
    const progress: PipelineProgress[] = [];
    const handle = startTrainJob({ jobId: job.id, projectFile: file, workerPath, task: { kind: 'train', options: { known } }, onProgress: (p) => progress.push(p) });
    const result = await handle.done;
    expect(result).toEqual({ status: 'completed', versionId: 1 });
    expect(progress.some((p) => p.stage === 'fit' && p.epoch === 150)).toBe(true);
    expect(store.activeModelVersionId()).toBe(1);
    expect(store.listPredictions(1)).toHaveLength(80);
    expect(store.getJob(job.id)).toMatchObject({ state: 'done', message: 'model version 1 (5 classes)' });
  });

  it('reports a failing run as failed, with the reason', async () => {
    const job = store.createJob('finetune', {}, 100);
    const handle = startTrainJob({ jobId: job.id, projectFile: file, workerPath, task: { kind: 'finetune', options: { name: 'anger', clipIds: [1] } } });
    const result = await handle.done;
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/already has the class "anger"/) });
    expect(store.getJob(job.id)).toMatchObject({ state: 'failed' });
  });
});
