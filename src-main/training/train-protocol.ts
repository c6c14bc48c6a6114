// Messages between a training job's host (main process) and its worker thread. Only plain data crosses:
// the worker opens the project file itself and writes the model version; the host relays progress.
import type { ThresholdPreview } from '../../shared/api';
import type { FinetuneOptions, PipelineProgress, TrainOptions } from '../pipeline';
import type { ThresholdRequest } from '../pipeline/rethreshold-version';

type Serialisable<T> = Omit<T, 'onProgress' | 'signal' | 'shouldAbort'>;

export type TrainTask =
  | { kind: 'train'; options: Serialisable<TrainOptions> }
  | { kind: 'finetune'; options: Serialisable<FinetuneOptions> }
  /** New ε, ρ for a version: re-decides its stored predictions into a new version (no model run). */
  | { kind: 'rethreshold'; options: ThresholdRequest & { name?: string } };

export interface TrainJobRequest {
  /** A row of the project's jobs table, created by the host's caller; the worker keeps it up to date. */
  jobId: string;
  projectFile: string;
  task: TrainTask;
}

export type TrainJobResult =
  | { status: 'completed'; versionId: number; /** rethreshold only: what the new ε, ρ changed. */ preview?: ThresholdPreview }
  | { status: 'cancelled' }
  | { status: 'failed'; error: string };

export type TrainHostToWorker = { type: 'start'; job: TrainJobRequest } | { type: 'cancel' };

export type TrainWorkerToHost = { type: 'progress'; progress: PipelineProgress } | { type: 'done'; result: TrainJobResult };

/**
 * A crash to simulate, for tests of the host's fault handling: when the worker reports progress of `stage` for
 * the `after`-th time, it ends its thread with process.exit ('exit') or lets an error escape uncaught ('throw').
 */
export interface TrainFault {
  stage: PipelineProgress['stage'];
  after: number;
  mode: 'exit' | 'throw';
}

/** workerData of a training worker: a shared flag the host sets to cancel (read inside synchronous loops). */
export interface TrainWorkerData {
  cancelFlag: SharedArrayBuffer;
  fault?: TrainFault;
}
