// One interface for every audio encoder: mono audio at the encoder's rate in, one pooled vector per clip out.

export type Device = 'cpu' | 'gpu';

/**
 * The device an encoder is asked for when the caller names none, as the studio's embedding jobs do. A CPU
 * request runs on ONNX Runtime's CPU provider (only a GPU request tries providers and may fall back:
 * onnx-session.ts), so the provider of such a run is known before any model loads.
 */
export const DEFAULT_DEVICE = 'cpu' satisfies Device;

/** Where inference ran, and why there if not where it was asked to. */
export interface ExecutionInfo {
  requested: Device;
  /** The ONNX Runtime execution provider in use ('cpu', 'cuda', 'webgpu'), or 'js' for pure TypeScript. */
  provider: string;
  /** One line per provider tried and given up on, with the error that made it fail. */
  fallbacks: string[];
  /** How clips share an ONNX run (manifest encoders; the others batch their own way and leave it out). */
  batching?: BatchingInfo;
}

/**
 * 'attention-mask': clips of similar length padded into one run, the padding masked by an input;
 * 'zero-pad': the same with zeros and no mask (the model's own output frames are cropped to each clip);
 * 'exact-length': only clips of equal length share a run; 'single': one clip per run.
 */
export type BatchingMode = 'attention-mask' | 'zero-pad' | 'exact-length' | 'single';

export interface BatchingInfo {
  mode: BatchingMode;
  /** What the manifest declared; `mode` is less when the load-time probe refuted it. */
  declared: BatchingMode;
  /** Clips per run at most. */
  maxBatch: number;
  /** Padded samples per run at most (batch × longest clip); a longer clip still runs alone. */
  maxBatchSamples: number;
  /** Why `mode` is not what was declared (or why batching is off). */
  reason?: string;
  /** Lowest cosine between a probe clip's batched and single-clip vectors, for the mode kept. */
  probeCosine?: number;
}

export interface AudioEncoder {
  readonly id: string;
  /** The rate `embed` expects its input at. */
  readonly sampleRate: number;
  readonly dim: number;
  readonly execution: ExecutionInfo;
  /** One pooled vector (length `dim`) per clip, in order. Clips may differ in length. */
  embed(batch: readonly Float32Array[]): Promise<Float32Array[]>;
  /** Clips per `embed` call that let it fill its batches (callers that group clips use at least this many). */
  readonly preferredBatch?: number;
  dispose(): Promise<void>;
}

export interface EncoderOptions {
  device?: Device;
  /** ONNX Runtime intra-op threads; its default (all cores) when left out. */
  threads?: number;
}

export class EncoderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncoderError';
  }
}
