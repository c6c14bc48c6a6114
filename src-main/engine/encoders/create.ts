// Encoders by a serialisable description, so that a worker thread can build the one its host asked for.
import { concatEncoders } from './concat';
import { createFunctionalsEncoder } from './functionals-encoder';
import { loadManifestEncoder } from './manifest';
import { createSpeechEmbeddingEncoder } from './speech-embedding';
import type { AudioEncoder, EncoderOptions, ExecutionInfo } from './types';

export type EncoderSpec =
  /** The default: speech embeddings (192) + acoustic functionals (375) = 567 dims. */
  | { kind: 'speech-embedding' }
  | { kind: 'speech-embedding-only' }
  | { kind: 'functionals' }
  /** maxBatch overrides the manifest's (1: one clip per run); it never changes the vectors' cache key. */
  | { kind: 'manifest'; manifestPath: string; maxBatch?: number };

export const DEFAULT_ENCODER_ID = 'speech-embedding';

export async function createEncoder(spec: EncoderSpec, opts: EncoderOptions = {}): Promise<AudioEncoder> {
  switch (spec.kind) {
    case 'speech-embedding':
      return concatEncoders(DEFAULT_ENCODER_ID, [await createSpeechEmbeddingEncoder(opts), createFunctionalsEncoder(16000)]);
    case 'speech-embedding-only':
      return createSpeechEmbeddingEncoder(opts);
    case 'functionals':
      return createFunctionalsEncoder(16000);
    case 'manifest':
      return loadManifestEncoder(spec.manifestPath, spec.maxBatch !== undefined ? { ...opts, maxBatch: spec.maxBatch } : opts);
  }
}

/**
 * createEncoder, with one more fallback for a GPU request: an encoder whose GPU session opened but that failed to
 * load there (a manifest encoder's checks and probe runs run on the provider it got) is loaded again on the CPU,
 * the reason added to `execution.fallbacks`. A failure on the CPU too is the CPU's error (a bad manifest's, say).
 * The hybrid job's inference worker uses it (src-main/jobs/embed-worker.ts).
 */
export async function createEncoderOrCpu(
  spec: EncoderSpec,
  opts: EncoderOptions = {},
  create: (spec: EncoderSpec, opts: EncoderOptions) => Promise<AudioEncoder> = createEncoder,
): Promise<{ encoder: AudioEncoder; execution: ExecutionInfo }> {
  try {
    const encoder = await create(spec, opts);
    return { encoder, execution: encoder.execution };
  } catch (e) {
    if (opts.device !== 'gpu') throw e;
    const encoder = await create(spec, { ...opts, device: 'cpu' });
    const why = `gpu: the encoder did not load on the GPU (${(e as Error).message.split('\n')[0].slice(0, 300)}); loaded again on the CPU`;
    return { encoder, execution: { ...encoder.execution, requested: 'gpu', fallbacks: [...encoder.execution.fallbacks, why] } };
  }
}
