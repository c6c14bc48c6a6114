// The studio's training jobs (train, fine-tune, re-threshold), each in a training worker (train-host.ts): started
// with a job row, their progress relayed as `job.progress` (its `done` only going up), `model.changed` announced
// when a version was written to the project still open, a crashed worker's job marked failed, cancelled on
// request or at shutdown and awaited. StudioService uses one of these; it knows no transport.
import { ApiError, type JobProgressEvent, type LastProvider, type StudioEvent, type StudioEvents } from '../../shared/api';
import { overallPercent } from '../pipeline';
import { RunningJobs, type RunningJob } from '../jobs/running-jobs';
import type { Device } from '../engine/encoders/types';
import type { ProjectStore } from '../store/project-store';
import { startTrainJob } from './train-host';
import type { TrainJobResult, TrainTask } from './train-protocol';

export interface TrainingJobsHost {
  /** The open project, if any (a finished job announces its version only to the project it ran on). */
  current(): ProjectStore | null;
  emit<E extends StudioEvent>(event: E, payload: StudioEvents[E]): void;
  /** Training worker entry (default: the bundled one, else the TypeScript source). */
  workerPath?: string;
  /** The device a job's embedding asks for, read when the job starts (the studio's "Embedding device"; default the CPU). */
  device?(): Device;
}

interface RunningTraining extends RunningJob {
  jobId: string;
  kind: TrainTask['kind'];
}

export class TrainingJobs {
  private readonly running = new RunningJobs<RunningTraining>();
  /** What the last job's embedding run actually computed on (for the status bar). */
  lastProvider: LastProvider | null = null;

  constructor(private readonly host: TrainingJobsHost) {}

  /**
   * Starts `task` on `store`'s project: one training at a time per project; a threshold change (a new version from
   * stored predictions) may run beside a training, but not beside another threshold change (ApiError 'conflict').
   * `result` resolves once the outcome was recorded and announced.
   */
  start(store: ProjectStore, task: TrainTask): { jobId: string; result: Promise<TrainJobResult> } {
    const rival = (kind: TrainTask['kind']) => (kind === 'rethreshold') === (task.kind === 'rethreshold');
    for (const j of this.running.on(store.file)) {
      if (rival(j.kind)) throw new ApiError('conflict', `a ${j.kind} job is already running on this project (${j.jobId})`);
    }
    const jobId = store.createJob(task.kind, task.options, 100).id;
    const projectFile = store.file;
    // `done` only goes up: the host's embedding step and the worker's own pass over the cache both report 'embed'.
    let lastDone = 0;
    const progress = (p: Omit<JobProgressEvent, 'jobId' | 'kind'>) => {
      lastDone = Math.max(lastDone, p.done);
      this.host.emit('job.progress', { jobId, kind: task.kind, ...p, done: lastDone });
    };
    const handle = startTrainJob({
      jobId,
      projectFile,
      task,
      workerPath: this.host.workerPath,
      device: this.host.device?.(),
      onProgress: (p) => {
        const run = p.provider
          ? {
              provider: p.provider,
              ...(p.clipsPerSec !== undefined ? { clipsPerSec: p.clipsPerSec } : {}),
              ...(p.encoder ? { encoder: p.encoder } : {}),
              ...(p.requested ? { requested: p.requested } : {}),
              ...(p.fallback ? { fallback: p.fallback } : {}),
            }
          : null;
        if (run) this.lastProvider = { ...run, jobId, kind: task.kind, at: new Date().toISOString() };
        progress({ state: 'running', done: overallPercent(p), total: 100, message: p.message, stage: p.stage, epoch: p.epoch, loss: p.loss, accuracy: p.accuracy, ...run });
      },
    });
    const done = handle.done.then((result) => {
      this.running.remove(jobId);
      const current = this.host.current();
      const open = current && current.file === projectFile ? current : null;
      if (result.status === 'completed') {
        progress({ state: 'done', done: 100, total: 100, message: `model version ${result.versionId} is active`, versionId: result.versionId });
        const reason = task.kind === 'train' ? 'trained' : task.kind === 'finetune' ? 'finetuned' : 'rethresholded';
        if (open) this.host.emit('model.changed', { activeId: open.activeModelVersionId(), versionId: result.versionId, reason });
        return;
      }
      // A worker that died could not write its job row: the main process does.
      if (result.status === 'failed' && open) {
        try {
          const { state } = open.getJob(jobId);
          if (state === 'running' || state === 'queued') open.updateJob(jobId, { state: 'failed', error: result.error, message: 'failed' });
        } catch {
          // The project may have been closed meanwhile; next open marks the job failed.
        }
      }
      const message = result.status === 'cancelled' ? 'cancelled' : `failed: ${result.error}`;
      progress({ state: result.status, done: 100, total: 100, message, error: result.status === 'failed' ? result.error : undefined });
    });
    this.running.add(jobId, { jobId, kind: task.kind, projectFile, done, cancel: () => handle.cancel() });
    return { jobId, result: done.then(() => handle.done) };
  }

  /** True when `jobId` is running here (now asked to stop at its next mini-batch or embedding batch). */
  cancel(jobId: string): boolean {
    return this.running.cancel(jobId);
  }

  has(jobId: string): boolean {
    return this.running.has(jobId);
  }

  /** Resolves when the job has finished and its outcome was announced (at once for a job not running). */
  wait(jobId: string): Promise<void> {
    return this.running.wait(jobId);
  }

  /** Cancels every running job and waits for them. */
  shutdown(): Promise<void> {
    return this.running.shutdown();
  }
}
