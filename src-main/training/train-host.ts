// Starts a training or fine-tuning job in its own worker thread, relays its progress, and cancels it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../app/paths';
import type { PipelineProgress } from '../pipeline';
import { encoderForTask } from './task-encoder';
import { ProjectStore } from '../store/project-store';
import { deviceForEncoder, embedProjectClips, embedRunMessage, gpuFallback } from '../jobs/embedding-cache';
import type { Device } from '../engine/encoders/types';
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
  /** Embedding-pool worker script for the host's embedding step (default: the bundled or source one). */
  embedWorkerPath?: string;
  /** The device the host's embedding step asks for (the studio's "Embedding device"; default the CPU). 'gpu' runs
   * it as the hybrid GPU job, which falls back to the CPU with the reason. */
  device?: Device;
}

/**
 * Embeds the task's clips from the host, into the project's cache, before the training worker starts.
 * Why: the embedding pool's workers hold onnxruntime sessions, and a worker thread that dies while its own
 * child workers hold them can take the whole process down with it (onnxruntime-node's teardown in worker
 * threads). Run from here, the pool's workers are children of the main thread and always finish cleanly;
 * the training worker then finds every embedding cached and loads no native inference at all.
 */
async function embedInHost(opts: StartTrainJobOptions, signal: AbortSignal): Promise<TrainJobResult | null> {
  let store: ProjectStore | null = null;
  try {
    store = ProjectStore.open(opts.projectFile);
    const encoder = encoderForTask(store, opts.task);
    if (!encoder) return null;
    const { device, reason } = deviceForEncoder(encoder, opts.device);
    const r = await embedProjectClips(store, {
      encoder,
      device,
      workerPath: opts.embedWorkerPath,
      keepVectors: false,
      signal,
      onProgress: (p) => opts.onProgress?.({ stage: 'embed', done: p.done, total: p.total, message: `embedding clips (${p.cached} cached)` }),
    });
    if (r.cancelled) {
      store.updateJob(opts.jobId, { state: 'cancelled', message: 'cancelled' });
      return { status: 'cancelled' };
    }
    // A GPU asked for and an encoder that cannot use one (TypeScript): the run says so, as a fallback would.
    if (reason && r.execution) r.execution = { ...r.execution, requested: 'gpu', fallbacks: [...r.execution.fallbacks, reason] };
    if (r.provider) {
      const fallback = gpuFallback(r.execution);
      opts.onProgress?.({
        stage: 'embed',
        done: r.computed + r.cached,
        total: r.computed + r.cached + r.errors.length,
        message: embedRunMessage(r),
        provider: r.provider,
        clipsPerSec: r.clipsPerSec,
        encoder: r.encoderId,
        ...(r.execution ? { requested: r.execution.requested } : {}),
        ...(fallback !== null ? { fallback } : {}),
      });
    }
    return null;
  } catch (e) {
    const error = `embedding failed: ${(e as Error).message}`;
    markJobFailed(opts.projectFile, opts.jobId, error);
    return { status: 'failed', error };
  } finally {
    store?.close();
  }
}

/** Parses EODN_TEST_TRAIN_FAULT ("<exit|throw>@<stage>:<n>"); anything else means no fault. */
export function parseTrainFault(spec: string | undefined): TrainFault | undefined {
  const m = spec?.match(/^(exit|throw)@([a-z]+):(\d+)$/);
  return m ? { mode: m[1] as TrainFault['mode'], stage: m[2] as TrainFault['stage'], after: Number(m[3]) } : undefined;
}

/**
 * A worker that died could not write its job row: the host marks it failed through a short connection of its
 * own (so the CLI and the studio get the same record). A model version becomes active only once all its
 * predictions are written (save-version.ts), so a crash leaves the previous version active. Best effort: a project that cannot be opened keeps the row, and
 * the next studio to open it marks it failed as interrupted.
 */
function markJobFailed(projectFile: string, jobId: string, error: string): void {
  markJob(projectFile, jobId, { state: 'failed', error, message: 'failed: the training worker crashed' });
}

/** Sets a job row that is still queued or running, through a short connection of its own. */
function markJob(projectFile: string, jobId: string, update: Parameters<ProjectStore['updateJob']>[1]): void {
  let store: ProjectStore | null = null;
  try {
    store = ProjectStore.open(projectFile);
    const state = store.getJob(jobId).state;
    if (state === 'queued' || state === 'running') store.updateJob(jobId, update);
  } catch {
    // The project may be gone or busy: opening it next time marks a stale running job failed anyway.
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
  return join(appRoot(), 'src-main', 'training', 'train-worker.ts');
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
  const embedding = new AbortController();
  let worker: Worker | null = null;

  const runWorker = () =>
    new Promise<TrainJobResult>((resolve) => {
      const w = spawn(opts.workerPath ?? defaultTrainWorkerPath(), fault ? { cancelFlag, fault } : { cancelFlag });
      worker = w;
      let finished = false;
      const finish = (r: TrainJobResult) => {
        if (finished) return;
        finished = true;
        resolve(r);
        void w.terminate();
      };
      w.on('message', (m: TrainWorkerToHost) => {
        if (m.type === 'progress') opts.onProgress?.(m.progress);
        else if (m.type === 'done') finish(m.result);
      });
      const crashed = (error: string) => {
        if (finished) return;
        markJobFailed(opts.projectFile, opts.jobId, error);
        finish({ status: 'failed', error });
      };
      w.on('error', (e) => crashed(`training worker crashed: ${e.message}`));
      w.on('exit', (code) => crashed(`training worker exited with code ${code} before finishing`));
      const job: TrainJobRequest = { jobId: opts.jobId, projectFile: opts.projectFile, task: opts.task };
      w.postMessage({ type: 'start', job } satisfies TrainHostToWorker);
    });

  const done = (async (): Promise<TrainJobResult> => {
    const early = await embedInHost(opts, embedding.signal);
    if (early) return early;
    if (Atomics.load(flag, 0) === 1) {
      markJob(opts.projectFile, opts.jobId, { state: 'cancelled', message: 'cancelled' });
      return { status: 'cancelled' };
    }
    return runWorker();
  })();

  return {
    jobId: opts.jobId,
    cancel: () => {
      Atomics.store(flag, 0, 1);
      embedding.abort();
      (worker as Worker | null)?.postMessage({ type: 'cancel' } satisfies TrainHostToWorker);
    },
    done,
  };
}
