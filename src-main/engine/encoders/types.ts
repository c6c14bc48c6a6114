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
}

export interface AudioEncoder {
  readonly id: string;
  /** The rate `embed` expects its input at. */
  readonly sampleRate: number;
  readonly dim: number;
  readonly execution: ExecutionInfo;
  /** One pooled vector (length `dim`) per clip, in order. Clips may differ in length. */
  embed(batch: readonly Float32Array[]): Promise<Float32Array[]>;
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
