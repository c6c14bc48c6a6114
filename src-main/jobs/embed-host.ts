// Runs embedding jobs in a worker thread so the caller never blocks. The host takes the worker's file
// path: the bundled .cjs in the app, or embed-worker.ts in development and tests (then loaded via tsx,
// which must be installed: it is a dependency of this package).
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { EmbedJobItem, EmbedJobRequest, EmbedJobSummary, HostToWorker, WorkerToHost } from './protocol';

export interface EmbedJobCallbacks {
  onReady?(m: Extract<WorkerToHost, { type: 'ready' }>): void;
  onResult?(key: string, vector: Float32Array, durationSec: number): void;
  onItemError?(key: string, path: string, error: string): void;
  onProgress?(p: { done: number; total: number; clipsPerSec: number; etaSec: number | null }): void;
  /** A 'front' stage job's output per item (the hybrid job joins it with the embedding worker's). */
  onFront?(m: Extract<WorkerToHost, { type: 'front' }>): void;
}

export interface EmbedJobHandle {
  jobId: string;
  /** Stops after the batch in progress; `done` then resolves with status 'cancelled'. */
  cancel(): void;
  /** true: wait after the batch in progress until released with false (the hybrid job's back-pressure). */
  hold(on: boolean): void;
  done: Promise<EmbedJobSummary>;
}

export interface StartEmbedJobOptions extends Omit<EmbedJobRequest, 'jobId' | 'items'>, EmbedJobCallbacks {
  workerPath: string;
  items: EmbedJobItem[];
  jobId?: string;
}

/**
 * A TypeScript entry is loaded through tsx's CommonJS hook, registered inside the worker. Measured on
 * Node 20.20: `execArgv: ['--import', 'tsx']` fails for a .ts worker entry ("Unknown file extension"),
 * and tsx's ESM register hits "Cannot require() ES Module … in a cycle" (this package is CommonJS).
 */
export function spawnWorker(workerPath: string): Worker {
  if (!/\.(m|c)?ts$/.test(workerPath)) return new Worker(workerPath);
  const boot = `require('tsx/cjs/api').register(); require(${JSON.stringify(workerPath)});`;
  return new Worker(boot, { eval: true });
}

/** One worker per job: a crash or a hung native call in one job cannot take others down. */
export function startEmbedJob(opts: StartEmbedJobOptions): EmbedJobHandle {
  const jobId = opts.jobId ?? randomUUID();
  const worker = spawnWorker(opts.workerPath);
  const job: EmbedJobRequest = {
    jobId,
    items: opts.items,
    encoder: opts.encoder,
    device: opts.device,
    threads: opts.threads,
    batchSize: opts.batchSize,
    ...(opts.stage ? { stage: opts.stage } : {}),
  };
  const done = new Promise<EmbedJobSummary>((resolve) => {
    let finished = false;
    const finish = (s: EmbedJobSummary) => {
      if (finished) return;
      finished = true;
      resolve(s);
      void worker.terminate();
    };
    const failed = (error: string): EmbedJobSummary => ({
      jobId, status: 'failed', total: job.items.length, succeeded: 0, failed: 0, encoderId: null, dim: null,
      execution: null, wallSec: 0, loadSec: 0, audioSec: 0, clipsPerSec: 0, realtimeFactor: 0, error,
    });
    worker.on('message', (m: WorkerToHost) => {
      if (m.type === 'ready') opts.onReady?.(m);
      else if (m.type === 'result') opts.onResult?.(m.key, m.vector, m.durationSec);
      else if (m.type === 'item-error') opts.onItemError?.(m.key, m.path, m.error);
      else if (m.type === 'progress') opts.onProgress?.(m);
      else if (m.type === 'front') opts.onFront?.(m);
      else if (m.type === 'done') finish(m.summary);
    });
    worker.on('error', (e) => finish(failed(`worker crashed: ${e.message}`)));
    worker.on('exit', (code) => finish(failed(`worker exited with code ${code} before finishing`)));
  });
  worker.postMessage({ type: 'start', job } satisfies HostToWorker);
  return {
    jobId,
    cancel: () => worker.postMessage({ type: 'cancel', jobId } satisfies HostToWorker),
    hold: (on) => worker.postMessage({ type: 'hold', jobId, hold: on } satisfies HostToWorker),
    done,
  };
}
