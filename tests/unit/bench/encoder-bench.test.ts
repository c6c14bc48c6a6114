// `eodn bench --encoder`: a manifest encoder batched against one clip per run, on real clips (issue 15).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchManifestEncoder, formatEncoderBench } from '../../../src-main/bench/encoder';
import { buildEncoderGraph, convLayersOf } from '../../fixtures/encoders/graphs';

describe('encoder bench', () => {
  it('times batched and unbatched runs of the same clips, encoder alone and through the worker pool, with equal vectors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eodn-encoder-bench-'));
    const g = { channels: 16, dim: 8, attention: true, mask: true, normalize: 'masked' as const };
    writeFileSync(join(dir, 'e.onnx'), buildEncoderGraph(g));
    const manifest = join(dir, 'm.json');
    writeFileSync(manifest, JSON.stringify({
      id: 'bench-toy', model: 'e.onnx', sampleRate: 16000, input: 'input_values', inputLayout: 'batch-samples', output: 'last_hidden_state',
      pooling: 'mean+std', padding: { attentionMask: 'attention_mask' }, convLayers: convLayersOf(g), maxBatch: 4,
    }));
    const r = await benchManifestEncoder({ manifest, data: 'resources/demo/clips', clips: 10, repeats: 2, log: () => {} });
    expect(r.encoder).toMatchObject({ id: 'bench-toy', dim: 16, provider: 'cpu', batching: { mode: 'attention-mask', maxBatch: 4 } });
    expect(r.dataset.files).toBe(10);
    const [single, batched] = r.encoderOnly.rows;
    expect(single.batching?.mode).toBe('single');
    expect(batched.batching?.mode).toBe('attention-mask');
    for (const row of r.encoderOnly.rows) {
      expect(row.clips).toBe(10);
      expect(row.audioSec).toBeCloseTo(20, 1); // ten 2.0-s demo clips
      expect(row.passes).toHaveLength(2);
      expect(row.wallSec).toBe(Math.min(...row.passes));
      expect(row.realtimeFactor).toBeCloseTo(row.audioSec / row.wallSec, 6);
      expect(row.cpuSec).toBeGreaterThan(0);
    }
    expect(r.encoderOnly.speedup).toBeCloseTo(single.wallSec / batched.wallSec, 6);
    expect(r.encoderOnly.minCosine).toBeGreaterThanOrEqual(0.9999);
    expect(r.pipeline!.rows.map((x) => [x.items, x.failed, x.provider])).toEqual([[10, 0, 'cpu'], [10, 0, 'cpu']]);
    // The toy graph's products for a 2.0-s clip (32,000 samples → 99 frames of 16 channels), counted by hand:
    // the conv front 2·16·99·400 and the mask's ones-kernel conv 2·99·400; two residual layers, q, k, v 5 ×
    // 2·99·16·16; scores and attention·v 2 × 2·99·99·16; the projection 2·99·16·8.
    expect(r.compute.perClip).toMatchObject({ samples: 32000, byOp: { Conv: { nodes: 2, flops: 2 * 16 * 99 * 400 + 2 * 99 * 400 } } });
    expect(r.compute.perClip.byOp.MatMul).toEqual({ nodes: 8, flops: 5 * 2 * 99 * 16 * 16 + 2 * 2 * 99 * 99 * 16 + 2 * 99 * 16 * 8 });
    expect(r.compute.peak).toMatchObject({ provider: 'cpu', size: 1024 });
    expect(r.compute.peak.flopsPerSec).toBeGreaterThan(1e8);
    expect(r.compute.share.batched).toBeCloseTo((batched.clipsPerSec * r.compute.perClip.flops) / r.compute.peak.flopsPerSec, 9);
    const text = formatEncoderBench(r);
    expect(text).toMatch(/compute: 0\.\d{3} GFLOP per clip of 2\.00 s \(Conv \d+ %, MatMul \d+ %\); a 1024² matrix multiply runs at [\d.]+ GFLOP\/s on cpu: unbatched reaches [\d.]+ % of it, batched [\d.]+ %/);
    expect(text).toMatch(/batching: attention-mask, up to 4 clips/);
    expect(text).toMatch(/batched is \d+\.\d\d× the unbatched speed \(\d+\.\d\d× in CPU time\); lowest cosine .*: (1\.000000|0\.9999\d\d)/);
    expect(text).toMatch(/batched is \d+\.\d\d× the unbatched speed through the whole pipeline/);
  });
});
