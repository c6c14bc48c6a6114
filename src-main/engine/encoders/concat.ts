// Several encoders at one sample rate, their vectors concatenated in order.
import { EncoderError, type AudioEncoder } from './types';

export function concatEncoders(id: string, parts: AudioEncoder[]): AudioEncoder {
  if (parts.length === 0) throw new EncoderError('concatEncoders needs at least one encoder');
  const sampleRate = parts[0].sampleRate;
  const odd = parts.find((p) => p.sampleRate !== sampleRate);
  if (odd) throw new EncoderError(`${odd.id} runs at ${odd.sampleRate} Hz, ${parts[0].id} at ${sampleRate} Hz: they cannot share input`);
  const dim = parts.reduce((a, p) => a + p.dim, 0);
  const onnx = parts.find((p) => p.execution.provider !== 'js') ?? parts[0];
  return {
    id,
    sampleRate,
    dim,
    execution: onnx.execution,
    async embed(batch) {
      const outs: Float32Array[][] = [];
      for (const p of parts) outs.push(await p.embed(batch));
      return batch.map((_, i) => {
        const v = new Float32Array(dim);
        let o = 0;
        for (const out of outs) {
          v.set(out[i], o);
          o += out[i].length;
        }
        return v;
      });
    },
    async dispose() {
      for (const p of parts) await p.dispose();
    },
  };
}
