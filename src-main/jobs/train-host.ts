// Starts a training or fine-tuning job in its own worker thread, relays its progress, and cancels it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../app/paths';
import type { PipelineProgress } from '../pipeline';
import type { TrainHostToWorker, TrainJobRequest, TrainJobResult, TrainWorkerData, TrainWorkerToHost } from './train-protocol';

export interface TrainJobHandle {
  jobId: string;
  /** Asks the worker to stop at the next mini-batch (or embedding batch); `done` resolves 'cancelled'. */
  cancel(): void;
  done: Promise<TrainJobResult>;
}

export interface StartTrainJobOptions extends TrainJobRequest {
  workerPath?: string;
  onProgress?: (p: PipelineProgress) => void;
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
  const worker = spawn(opts.workerPath ?? defaultTrainWorkerPath(), { cancelFlag });
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
    worker.on('error', (e) => finish({ status: 'failed', error: `training worker crashed: ${e.message}` }));
    worker.on('exit', (code) => finish({ status: 'failed', error: `training worker exited with code ${code} before finishing` }));
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
