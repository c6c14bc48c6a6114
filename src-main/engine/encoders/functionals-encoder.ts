// The acoustic functionals (engine/features) behind the encoder interface: pure TypeScript, no ONNX.
import { extractFeatures, FEATURE_DIM } from '../features/extract';
import type { AudioEncoder } from './types';

export function createFunctionalsEncoder(sampleRate = 16000): AudioEncoder {
  return {
    id: `functionals-${FEATURE_DIM}`,
    sampleRate,
    dim: FEATURE_DIM,
    execution: { requested: 'cpu', provider: 'js', fallbacks: [] },
    async embed(batch) {
      return batch.map((clip) => extractFeatures(clip, sampleRate));
    },
    async dispose() {},
  };
}
