// Encoders by a serialisable description, so that a worker thread can build the one its host asked for.
import { concatEncoders } from './concat';
import { createFunctionalsEncoder } from './functionals-encoder';
import { loadManifestEncoder } from './manifest';
import { createSpeechEmbeddingEncoder } from './speech-embedding';
import type { AudioEncoder, EncoderOptions } from './types';

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
