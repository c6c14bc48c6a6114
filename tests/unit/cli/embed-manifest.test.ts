// `eodn embed --encoder <manifest.json>` (issue 15): a batched manifest encoder through the worker pool and the
// project's embedding cache, which keys on the model file's bytes; the batching in use is logged.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEmbed } from '../../../src-main/cli/commands/embed';
import { buildEncoderGraph, convLayersOf } from '../../fixtures/encoders/graphs';
import { DEMO_DIR, tempDir } from '../store/helpers';

describe('eodn embed with a manifest encoder', () => {
  it('embeds in batches, caches by model bytes, and re-embeds when the model changes', async () => {
    const dir = tempDir('eodn-embed-manifest-');
    const rows = readFileSync(join(DEMO_DIR, 'labels.csv'), 'utf8').trim().split('\n');
    const list = join(dir, 'subset.csv');
    writeFileSync(list, [rows[0], ...rows.slice(1, 11).map((r) => join(DEMO_DIR, r))].join('\n') + '\n');
    const g = { channels: 16, dim: 8, attention: true, mask: true, normalize: 'masked' as const };
    writeFileSync(join(dir, 'enc.onnx'), buildEncoderGraph({ ...g, seed: 1 }));
    const manifest = join(dir, 'enc.json');
    writeFileSync(manifest, JSON.stringify({
      id: 'toy', model: 'enc.onnx', sampleRate: 16000, input: 'input_values', inputLayout: 'batch-samples', output: 'last_hidden_state',
      pooling: 'mean+std', padding: { attentionMask: 'attention_mask' }, convLayers: convLayersOf(g), maxBatch: 4,
    }));
    const lines: string[] = [];
    const opts = { source: list, dataDir: join(dir, 'data'), workers: 2, progress: false, encoder: manifest, log: (l: string) => lines.push(l) };

    const first = await runEmbed({ ...opts, out: join(dir, 'a.jsonl') });
    expect(first).toMatchObject({ rows: 10, dim: 16, computed: 10, cached: 0, provider: 'cpu' });
    expect(lines.join('\n')).toMatch(/batching: attention-mask, up to 4 clips \(960000 padded samples\) per run/);
    expect((await runEmbed({ ...opts, out: join(dir, 'b.jsonl') })).cached).toBe(10);
    expect(readFileSync(join(dir, 'b.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'a.jsonl'), 'utf8'));

    // The same file name, new weights (a re-export): nothing comes from the cache.
    writeFileSync(join(dir, 'enc.onnx'), buildEncoderGraph({ ...g, seed: 2 }));
    const third = await runEmbed({ ...opts, out: join(dir, 'c.jsonl') });
    expect(third).toMatchObject({ computed: 10, cached: 0 });
    expect(readFileSync(join(dir, 'c.jsonl'), 'utf8')).not.toBe(readFileSync(join(dir, 'a.jsonl'), 'utf8'));
  });
});
