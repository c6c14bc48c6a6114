// createEncoderOrCpu (the hybrid job's inference worker): a GPU request whose encoder fails to load on the GPU is
// loaded again on the CPU with the reason in `execution.fallbacks`; a CPU request, or a failure on the CPU too,
// is the loader's own error. No GPU here, so the loader is a stand-in that fails on 'gpu'.
import { describe, expect, it } from 'vitest';
import { createEncoderOrCpu, type EncoderSpec } from '../../../../src-main/engine/encoders/create';
import type { AudioEncoder, EncoderOptions } from '../../../../src-main/engine/encoders/types';

const spec: EncoderSpec = { kind: 'manifest', manifestPath: '/m/manifest.json' };
const fake = (opts: EncoderOptions): AudioEncoder => ({
  id: 'toy', sampleRate: 16000, dim: 4,
  execution: { requested: opts.device ?? 'cpu', provider: 'cpu', fallbacks: opts.device === 'gpu' ? [] : ['cuda: no CUDA libraries'] },
  embed: async (b) => b.map(() => new Float32Array(4)),
  dispose: async () => {},
});

describe('createEncoderOrCpu', () => {
  it('loads a GPU request that fails on the GPU again on the CPU and says why', async () => {
    const asked: (string | undefined)[] = [];
    const { encoder, execution } = await createEncoderOrCpu(spec, { device: 'gpu', threads: 2 }, async (_s, o) => {
      asked.push(o.device);
      if (o.device === 'gpu') throw new Error('/m/manifest.json: the model rejects one second of audio (CUDA out of memory)\nat …');
      return fake(o);
    });
    expect(asked).toEqual(['gpu', 'cpu']);
    expect(encoder.id).toBe('toy');
    expect(execution.requested).toBe('gpu');
    expect(execution.provider).toBe('cpu');
    expect(execution.fallbacks).toEqual([
      'cuda: no CUDA libraries',
      'gpu: the encoder did not load on the GPU (/m/manifest.json: the model rejects one second of audio (CUDA out of memory)); loaded again on the CPU',
    ]);
  });

  it('keeps what loaded, and the error of a CPU request or of the CPU retry', async () => {
    const ok = await createEncoderOrCpu(spec, { device: 'gpu' }, async (_s, o) => fake(o));
    expect(ok.execution).toEqual({ requested: 'gpu', provider: 'cpu', fallbacks: [] });
    await expect(createEncoderOrCpu(spec, { device: 'cpu' }, async () => Promise.reject(new Error('bad manifest')))).rejects.toThrow('bad manifest');
    await expect(
      createEncoderOrCpu(spec, { device: 'gpu' }, async (_s, o) => Promise.reject(new Error(o.device === 'gpu' ? 'gpu error' : 'cpu error'))),
    ).rejects.toThrow('cpu error');
  });
});
