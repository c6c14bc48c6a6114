// Messages between the embedding job's host (main process) and its worker thread. Vectors travel as
// Float32Array (structured clone keeps the type).
import type { EncoderSpec } from '../engine/encoders/create';
import type { Device, ExecutionInfo } from '../engine/encoders/types';
import type { SpeechSegment } from '../engine/audio/vad';

export interface EmbedJobItem {
  /** The caller's key for this item (e.g. a clip id), echoed back in results and errors. */
  key: string;
  path: string;
  segment?: { startSec: number; endSec: number };
}

export interface EmbedJobRequest {
  jobId: string;
  items: EmbedJobItem[];
  encoder: EncoderSpec;
  device?: Device;
  threads?: number;
  /** Clips per encoder call (default 16). */
  batchSize?: number;
  /** 'front': the hybrid job's CPU half (see embed-hybrid): posts 'front' messages instead of 'result'. For a
   * manifest encoder the front only decodes and resamples (no model loaded). */
  stage?: 'full' | 'front';
}

export type HostToWorker =
  | { type: 'start'; job: EmbedJobRequest }
  | { type: 'cancel'; jobId: string }
  /** The hybrid job's back-pressure: a held job waits between batches until released (or cancelled). */
  | { type: 'hold'; jobId: string; hold: boolean }
  // The hybrid job's inference worker: one session, fed batches by the host. Without `encoder` it runs the
  // speech-embedding window graph on mel frames; with a manifest encoder, that whole encoder on the clips
  // resampled to its rate (its own length grouping and maxBatch / maxBatchSamples decide the runs).
  | { type: 'back-start'; jobId: string; device?: Device; threads?: number; encoder?: Extract<EncoderSpec, { kind: 'manifest' }> }
  | { type: 'back-batch'; jobId: string; batchId: number; keys: string[]; inputs: Float32Array[] }
  | { type: 'back-end'; jobId: string }
  // Cutting a long recording into utterances (VAD), one file per message.
  | { type: 'utterances'; jobId: string; path: string };

/** What an embedding job (one worker's, or a pool's) did: counts, the encoder that ran, and where. */
export interface EmbedOutcome {
  total: number;
  succeeded: number;
  failed: number;
  encoderId: string | null;
  dim: number | null;
  execution: ExecutionInfo | null;
  /** Wall time of the whole job, model loading included. */
  wallSec: number;
}

export interface EmbedJobSummary extends EmbedOutcome {
  jobId: string;
  status: 'completed' | 'cancelled' | 'failed';
  /** Seconds spent loading the encoder. */
  loadSec: number;
  audioSec: number;
  clipsPerSec: number;
  realtimeFactor: number;
  /** Set when status is 'failed' (the encoder could not be built, or the worker died). */
  error?: string;
}

export type WorkerToHost =
  | { type: 'ready'; jobId: string; encoderId: string; dim: number; execution: ExecutionInfo; loadSec: number }
  | { type: 'result'; jobId: string; key: string; vector: Float32Array; durationSec: number }
  | { type: 'item-error'; jobId: string; key: string; path: string; error: string }
  | { type: 'progress'; jobId: string; done: number; total: number; clipsPerSec: number; etaSec: number | null }
  | { type: 'done'; summary: EmbedJobSummary }
  /** `input`: the back's input (mel frames, or the resampled clip for a manifest encoder); `tail`: the part of
   * the vector computed in front (the functionals; empty for a manifest encoder). */
  | { type: 'front'; jobId: string; key: string; input: Float32Array; tail: Float32Array; durationSec: number }
  /** `whole`: set when the back is the whole encoder (a manifest encoder): its id, dimension and the clips per
   * call that fill its batches; else the front tells the id and dimension. */
  | { type: 'back-ready'; jobId: string; execution: ExecutionInfo; loadSec: number; whole?: { encoderId: string; dim: number; preferredBatch?: number } }
  /** Per key: the pooled embedding, or null and an error. */
  | { type: 'back-out'; jobId: string; batchId: number; keys: string[]; vectors: (Float32Array | null)[]; errors: (string | null)[] }
  | { type: 'back-done'; jobId: string; error?: string }
  | { type: 'utterances-out'; jobId: string; path: string; segments: SpeechSegment[]; fileDurationSec: number }
  | { type: 'utterances-error'; jobId: string; path: string; error: string };

// What a whole embedding job (a pool of workers, or a hybrid CPU + GPU job) is asked and answers.
export interface EmbedPoolOptions {
  workerPath: string;
  items: readonly EmbedJobItem[];
  encoder: EncoderSpec;
  device?: Device;
  /** Worker threads (default: the number of cores; never more than items / minItemsPerWorker; one for a GPU). */
  workers?: number;
  /** ONNX intra-op threads per worker (default: cores / workers, at least 1). */
  threadsPerWorker?: number;
  batchSize?: number;
  /** Loading a model costs a worker ~0.3 s, so small jobs use fewer workers (default 8). */
  minItemsPerWorker?: number;
  onReady?(info: { encoderId: string; dim: number; execution: ExecutionInfo }): void;
  onResult?(key: string, vector: Float32Array, durationSec: number): void;
  onItemError?(key: string, path: string, error: string): void;
  onProgress?(p: { done: number; total: number; clipsPerSec: number; etaSec: number | null }): void;
  signal?: AbortSignal;
  /** GPU jobs of the default encoder (split in two) or a manifest encoder run as a hybrid job (embed-hybrid: CPU
   * workers for the front, one worker for the embedding graph or the whole manifest encoder) unless this is
   * false; then one worker does everything. */
  hybrid?: boolean;
}

export interface EmbedPoolSummary extends EmbedOutcome {
  status: EmbedJobSummary['status'];
  workers: number;
  threadsPerWorker: number;
  audioSec: number;
  realtimeFactor: number;
  clipsPerSec: number;
  /** Errors of workers that failed as a whole (encoder not built, crash). */
  errors: string[];
  jobs: EmbedJobSummary[];
}

