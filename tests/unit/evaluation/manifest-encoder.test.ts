// `eodn evaluate --encoder <manifest.json>` (issue 15): a manifest encoder through the evaluation's embedding
// and its on-disk cache, keyed on the model file's bytes; and the report naming the manifest's encoder. The same
// for `eodn simulate --encoder <manifest.json>`, the measure a lab re-runs when it brings a stronger encoder.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src-main/evaluation/dataset';
import { embedClips } from '../../../src-main/evaluation/embed-clips';
import { runEvaluation } from '../../../src-main/evaluation/run';
import { runSimulation } from '../../../src-main/evaluation/simulate/run';
import { buildEncoderGraph, convLayersOf } from '../../fixtures/encoders/graphs';

const demo = join(__dirname, '../../../resources/demo');

describe('evaluation with a manifest encoder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eodn-eval-manifest-'));
  const g = { channels: 16, dim: 8, attention: true, mask: true, normalize: 'masked' as const };
  const manifest = (name: string, model: string) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify({
      id: 'toy', model, sampleRate: 16000, input: 'input_values', inputLayout: 'batch-samples', output: 'last_hidden_state', pooling: 'mean+std',
      padding: { attentionMask: 'attention_mask' }, convLayers: convLayersOf(g),
    }));
    return p;
  };
  writeFileSync(join(dir, 'a.onnx'), buildEncoderGraph({ ...g, seed: 1 }));
  writeFileSync(join(dir, 'b.onnx'), buildEncoderGraph({ ...g, seed: 2 }));
  mkdirSync(join(dir, 'moved'));
  copyFileSync(join(dir, 'a.onnx'), join(dir, 'moved', 'a-copy.onnx'));

  it('caches the vectors by the model bytes: a moved copy hits, a re-exported model misses', async () => {
    const paths = loadDataset(demo).clips.slice(0, 12).map((c) => c.path);
    const cacheDir = join(dir, 'cache');
    const spec = (m: string) => ({ kind: 'manifest' as const, manifestPath: m });
    const first = await embedClips(paths, spec(manifest('a.json', 'a.onnx')), { workers: 0, cacheDir });
    expect(first.cached).toBe(0);
    expect(first.vectors.every((v) => v.length === 16 && v.every(Number.isFinite))).toBe(true);
    const moved = await embedClips(paths, spec(manifest('moved.json', 'moved/a-copy.onnx')), { workers: 0, cacheDir });
    expect(moved.cached).toBe(12);
    expect(moved.vectors).toEqual(first.vectors);
    const other = await embedClips(paths, spec(manifest('b.json', 'b.onnx')), { workers: 0, cacheDir });
    expect(other.cached).toBe(0);
    expect(other.vectors[0]).not.toEqual(first.vectors[0]);
    expect(readdirSync(cacheDir).filter((d) => d.startsWith('manifest-'))).toHaveLength(2);
  });

  it('runs leave-one-speaker-out on the demo clips and names the encoder by its manifest', async () => {
    const report = await runEvaluation(demo, {
      settings: { unknown: ['disgust', 'fear'] },
      encoder: { kind: 'manifest', manifestPath: manifest('eval.json', 'a.onnx') },
      embed: { workers: 0, cacheDir: null },
    });
    expect(report.folds).toBe(2);
    expect(JSON.parse(JSON.stringify(report)).settings.encoder).toBe('manifest:toy');
  });

  it('simulates the curator\'s loop on the demo clips with it, and names it in the report', async () => {
    const r = await runSimulation(demo, { unknown: ['disgust', 'fear'], encoder: { kind: 'manifest', manifestPath: manifest('sim.json', 'a.onnx') }, noise: [0.1] });
    expect(r.encoder).toBe('manifest:toy');
    expect(r.folds).toBe(2);
    expect(r.pool_clips).toBe(loadDataset(demo).clips.length);
    // Each way of labelling has its curve over the whole budget, by hand reaching every label last.
    expect(r.curves.hand.at(-1)!.ua).toBe(1);
    expect(r.curves.studio.length).toBe(r.curves.hand.length);
  }, 120_000);
});
