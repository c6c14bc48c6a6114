// The default encoder cut in two for the hybrid GPU job: a "front" (mel frames + acoustic functionals,
// per clip, on the CPU) that many workers run in parallel, and a "back" (the speech-embedding graph,
// batched across clips) that one worker owns on the GPU. join() puts the halves back together in the
// order createEncoder's concat uses, so the vectors equal the single-worker path's.
import type { EncoderSpec } from './create';
import { DEFAULT_ENCODER_ID } from './create';
import { createFunctionalsEncoder } from './functionals-encoder';
import { createMelFrontEnd, type MelFrontEnd } from './speech-embedding';
import { EncoderError, type EncoderOptions, type ExecutionInfo } from './types';

const EMBED_DIM = 192;

/** Encoders that can be split: the speech embedding, alone or with the functionals. */
export function isSplittable(spec: EncoderSpec): spec is { kind: 'speech-embedding' } | { kind: 'speech-embedding-only' } {
  return spec.kind === 'speech-embedding' || spec.kind === 'speech-embedding-only';
}

export interface SplitFrontOutput {
  /** Scaled log-mel frames for the back (frames × 32). */
  mel: Float32Array;
  /** The part of the final vector computed in front (the functionals), empty for speech-embedding-only. */
  tail: Float32Array;
}

export interface SplitFront {
  /** The id and dimension of the whole encoder the halves make up. */
  readonly encoderId: string;
  readonly dim: number;
  readonly sampleRate: number;
  readonly execution: ExecutionInfo;
  run(clip: Float32Array): Promise<SplitFrontOutput>;
  dispose(): Promise<void>;
}

/** The front always runs on the CPU: one short mel run per clip gains nothing from a GPU. */
export async function createSplitFront(spec: EncoderSpec, opts: Omit<EncoderOptions, 'device'> = {}): Promise<SplitFront> {
  if (!isSplittable(spec)) throw new EncoderError(`encoder ${spec.kind} cannot be split between CPU and GPU`);
  const mel: MelFrontEnd = await createMelFrontEnd({ ...opts, device: 'cpu' });
  const functionals = spec.kind === 'speech-embedding' ? createFunctionalsEncoder(16000) : null;
  return {
    encoderId: spec.kind === 'speech-embedding' ? DEFAULT_ENCODER_ID : 'speech-embedding-192',
    dim: EMBED_DIM + (functionals?.dim ?? 0),
    sampleRate: 16000,
    execution: mel.execution,
    async run(clip) {
      const frames = await mel.frames(clip);
      const tail = functionals ? (await functionals.embed([clip]))[0] : new Float32Array(0);
      return { mel: frames, tail };
    },
    dispose: () => mel.dispose(),
  };
}

/** The whole vector: the back's pooled embedding, then the front's tail. */
export function joinSplit(embedding: Float32Array, tail: Float32Array): Float32Array {
  const v = new Float32Array(embedding.length + tail.length);
  v.set(embedding);
  v.set(tail, embedding.length);
  return v;
}
