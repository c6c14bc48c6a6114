// Starts a training or fine-tuning job in its own worker thread, relays its progress, and cancels it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../app/paths';
import type { PipelineProgress } from '../pipeline';
import { ProjectStore } from '../store/project-store';
import type { TrainFault, TrainHostToWorker, TrainJobRequest, TrainJobResult, TrainWorkerData, TrainWorkerToHost } from './train-protocol';

export interface TrainJobHandle {
  jobId: string;
  /** Asks the worker to stop at the next mini-batch (or embedding batch); `done` resolves 'cancelled'. */
  cancel(): void;
  done: Promise<TrainJobResult>;
}

export interface StartTrainJobOptions extends TrainJobRequest {
  workerPath?: string;
  onProgress?: (p: PipelineProgress) => void;
  /** Test only: make the worker crash (default: EODN_TEST_TRAIN_FAULT, e.g. "exit@fit:5" or "throw@embed:1"). */
  fault?: TrainFault;
}

/** Parses EODN_TEST_TRAIN_FAULT ("<exit|throw>@<stage>:<n>"); anything else means no fault. */
export function parseTrainFault(spec: string | undefined): TrainFault | undefined {
  const m = spec?.match(/^(exit|throw)@([a-z]+):(\d+)$/);
  return m ? { mode: m[1] as TrainFault['mode'], stage: m[2] as TrainFault['stage'], after: Number(m[3]) } : undefined;
}

/**
 * A worker that died could not write its job row: the host marks it failed through a short connection of its
 * own (so the CLI and the studio get the same record). A model version is written in one transaction, so a
 * crash leaves the previous version active. Best effort: a project that cannot be opened keeps the row, and
 * the next studio to open it marks it failed as interrupted.
 */
function markJobFailed(projectFile: string, jobId: string, error: string): void {
  let store: ProjectStore | null = null;
  try {
    store = ProjectStore.open(projectFile);
    const state = store.getJob(jobId).state;
    if (state === 'queued' || state === 'running') store.updateJob(jobId, { state: 'failed', error, message: 'failed: the training worker crashed' });
  } catch {
    /* see above */
  } finally {
    store?.close();
  }
}

/** The bundled train-worker.cjs next to the running bundle (dist/main), or the TypeScript source. */
export function defaultTrainWorkerPath(): string {
  if (process.env.EODN_BUNDLED === '1') {
    const bundled = join(__dirname, 'train-worker.cjs');
    if (existsSync(bundled)) return bundled;
  }
  return join(appRoot(), 'src-main', 'jobs', 'train-worker.ts');
}

/** A .ts entry is loaded through tsx's CommonJS hook registered inside the worker (see embed-host.ts for why). */
function spawn(workerPath: string, data: TrainWorkerData): Worker {
  if (!/\.(m|c)?ts$/.test(workerPath)) return new Worker(workerPath, { workerData: data });
  const boot = `require('tsx/cjs/api').register(); require(${JSON.stringify(workerPath)});`;
  return new Worker(boot, { eval: true, workerData: data });
}

export function startTrainJob(opts: StartTrainJobOptions): TrainJobHandle {
  const cancelFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelFlag);
  const fault = opts.fault ?? parseTrainFault(process.env.EODN_TEST_TRAIN_FAULT);
  const worker = spawn(opts.workerPath ?? defaultTrainWorkerPath(), fault ? { cancelFlag, fault } : { cancelFlag });
  const done = new Promise<TrainJobResult>((resolve) => {
    let finished = false;
    const finish = (r: TrainJobResult) => {
      if (finished) return;
      finished = true;
      resolve(r);
      void worker.terminate();
    };
    worker.on('message', (m: TrainWorkerToHost) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'done') finish(m.result);
    });
    const crashed = (error: string) => {
      if (finished) return;
      markJobFailed(opts.projectFile, opts.jobId, error);
      finish({ status: 'failed', error });
    };
    worker.on('error', (e) => crashed(`training worker crashed: ${e.message}`));
    worker.on('exit', (code) => crashed(`training worker exited with code ${code} before finishing`));
  });
  const job: TrainJobRequest = { jobId: opts.jobId, projectFile: opts.projectFile, task: opts.task };
  worker.postMessage({ type: 'start', job } satisfies TrainHostToWorker);
  return {
    jobId: opts.jobId,
    cancel: () => {
      Atomics.store(flag, 0, 1);
      worker.postMessage({ type: 'cancel' } satisfies TrainHostToWorker);
    },
    done,
  };
}
