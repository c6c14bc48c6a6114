// The hybrid job with a manifest encoder (issue 15): CPU workers decode and resample, ONE inference worker runs
// the whole ONNX encoder on large batches (its own length groups, maxBatch / maxBatchSamples per run). No GPU
// here: the inference worker runs the CPU provider, as the "device" worker, and must give the single-worker
// path's vectors (cosine ≥ 0.9999) with per-file errors, progress, readiness and the provider reported.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosine, PROBE_MIN_COSINE } from '../../../src-main/engine/encoders/manifest';
import type { EncoderSpec } from '../../../src-main/engine/encoders/create';
import { runEmbedPool } from '../../../src-main/jobs/embed-pool';
import { runHybridEmbedPool, runsHybrid } from '../../../src-main/jobs/embed-hybrid';
import type { EmbedJobItem } from '../../../src-main/jobs/protocol';
import { buildEncoderGraph, convLayersOf, type GraphOptions } from '../../fixtures/encoders/graphs';

const workerPath = resolve('src-main/jobs/embed-worker.ts');
const demo = readdirSync('resources/demo/clips').sort().map((f) => resolve('resources/demo/clips', f));

// A wav2vec2-shaped toy with masked attention and masked input normalisation, declared with its mask: the
// encoder batches clips of different lengths, so the job's length grouping is exercised.
const graph: GraphOptions = { channels: 16, layers: 2, dim: 8, attention: true, mask: true, normalize: 'masked' };
const dir = mkdtempSync(join(tmpdir(), 'eodn-hybrid-manifest-'));
writeFileSync(join(dir, 'encoder.onnx'), buildEncoderGraph(graph));
const manifestPath = join(dir, 'manifest.json');
writeFileSync(
  manifestPath,
  JSON.stringify({
    id: 'toy-hybrid', model: 'encoder.onnx', sampleRate: 16000, input: 'input_values', inputLayout: 'batch-samples', output: 'last_hidden_state',
    pooling: 'mean+std', padding: { attentionMask: 'attention_mask' }, convLayers: convLayersOf(graph), maxBatch: 4, maxBatchSamples: 160000,
  }),
);
const encoder: EncoderSpec = { kind: 'manifest', manifestPath };

// Whole 2-s clips and segments of 0.4-1.7 s of others: mixed lengths, some equal.
const items: EmbedJobItem[] = [
  ...demo.slice(0, 6).map((path, i) => ({ key: `w${i}`, path })),
  ...[0.4, 0.55, 0.9, 0.9, 1.3, 1.7].map((len, i) => ({ key: `s${i}`, path: demo[10 + i], segment: { startSec: 0.1, endSec: 0.1 + len } })),
];

describe('runHybridEmbedPool with a manifest encoder (CPU provider as the device)', () => {
  const reference = new Map<string, Float32Array>();
  beforeAll(async () => {
    // The single-worker path: one worker decodes, resamples and runs the encoder.
    const s = await runEmbedPool({ workerPath, items, encoder, device: 'cpu', workers: 1, threadsPerWorker: 1, onResult: (k, v) => reference.set(k, v) });
    expect(s.succeeded).toBe(items.length);
  });

  it('gives the single-worker path\'s vectors, keeps per-file errors, and reports the provider, progress and clips/s', async () => {
    const got = new Map<string, Float32Array>();
    const errors: [string, string][] = [];
    const progress: { done: number; clipsPerSec: number }[] = [];
    let ready: { encoderId: string; dim: number; provider: string; batching?: string } | null = null;
    const bad = { key: 'missing', path: resolve('resources/demo/clips/no-such-file.wav') };
    const s = await runHybridEmbedPool({
      workerPath,
      items: [...items.slice(0, 5), bad, ...items.slice(5)],
      encoder,
      device: 'cpu',
      workers: 2,
      minItemsPerWorker: 1,
      backBatchClips: 5, // several batches to the inference worker, the last one partly filled
      onReady: (r) => (ready = { encoderId: r.encoderId, dim: r.dim, provider: r.execution.provider, batching: r.execution.batching?.mode }),
      onResult: (k, v) => got.set(k, v),
      onItemError: (k, _p, e) => errors.push([k, e]),
      onProgress: (p) => progress.push({ done: p.done, clipsPerSec: p.clipsPerSec }),
    });
    expect(s).toMatchObject({ status: 'completed', workers: 3, total: 13, succeeded: 12, failed: 1, encoderId: 'toy-hybrid', dim: 16 });
    expect(s.execution).toMatchObject({ requested: 'cpu', provider: 'cpu', fallbacks: [] });
    expect(s.execution?.batching?.mode).toBe('attention-mask');
    expect(ready).toEqual({ encoderId: 'toy-hybrid', dim: 16, provider: 'cpu', batching: 'attention-mask' });
    expect(s.clipsPerSec).toBeGreaterThan(0);
    expect(progress.at(-1)?.done).toBe(13);
    expect(progress.every((p) => p.clipsPerSec >= 0)).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0][0]).toBe('missing');
    expect(errors[0][1]).toMatch(/ENOENT|no such file/i);
    expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
    let worst = 1;
    for (const [k, v] of reference) {
      expect(got.get(k)).toHaveLength(v.length);
      worst = Math.min(worst, cosine(v, got.get(k)!));
    }
    expect(worst).toBeGreaterThanOrEqual(PROBE_MIN_COSINE);
  });

  it('holds the fronts while the inference worker has enough queued, and still answers every clip', async () => {
    const got = new Map<string, Float32Array>();
    const s = await runHybridEmbedPool({
      workerPath,
      items,
      encoder,
      device: 'cpu',
      workers: 2,
      minItemsPerWorker: 1,
      batchSize: 1, // a front checks its hold before each clip
      backBatchClips: 5,
      maxQueuedClips: 3, // under one back batch: holding must send what waits, or nothing would release it
      onResult: (k, v) => got.set(k, v),
    });
    expect(s).toMatchObject({ status: 'completed', succeeded: items.length, failed: 0 });
    for (const [k, v] of reference) expect(cosine(v, got.get(k)!)).toBeGreaterThanOrEqual(PROBE_MIN_COSINE);
  });

  it('is what runEmbedPool runs for a GPU request: the inference worker falls back to the CPU provider and says why', async () => {
    expect(runsHybrid(encoder)).toBe(true);
    const got = new Map<string, Float32Array>();
    const s = await runEmbedPool({ workerPath, items: items.slice(0, 8), encoder, device: 'gpu', workers: 2, minItemsPerWorker: 1, onResult: (k, v) => got.set(k, v) });
    expect(s).toMatchObject({ status: 'completed', workers: 3, succeeded: 8, dim: 16, encoderId: 'toy-hybrid' });
    expect(s.execution?.requested).toBe('gpu');
    // No GPU provider opens on this machine: each one tried is named with its error.
    if (s.execution?.provider === 'cpu') expect(s.execution.fallbacks.length).toBeGreaterThan(0);
    for (const [k, v] of got) expect(cosine(reference.get(k)!, v)).toBeGreaterThanOrEqual(PROBE_MIN_COSINE);
  });

  it('fails the job with the loader\'s reason when the manifest is bad', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ id: 'x', model: 'encoder.onnx', sampleRate: 16000, input: 'nope', inputLayout: 'batch-samples', output: 'last_hidden_state', pooling: 'mean' }));
    const errors: string[] = [];
    const s = await runHybridEmbedPool({ workerPath, items: items.slice(0, 3), encoder: { kind: 'manifest', manifestPath: broken }, device: 'cpu', workers: 1, onItemError: (_k, _p, e) => errors.push(e) });
    expect(s.status).toBe('failed');
    expect(s).toMatchObject({ succeeded: 0, failed: 3 });
    expect(s.errors.join('\n')).toMatch(/input "nope" is not in the model/);
    // Every clip is answered, those the fronts never got to included.
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => /input "nope" is not in the model/.test(e))).toBe(true);
  });
});
