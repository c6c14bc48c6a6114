// Batched manifest encoders (issue 15): clips grouped by length run as one batch, each cropped to its own
// frames, give the vectors they give alone; a graph where padding changes the result is caught by the
// load-time probe, which falls back with its reason. The graphs are built here (tests/fixtures/encoders).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeMono } from '../../../../src-main/engine/audio/decode';
import { resampleMono } from '../../../../src-main/engine/audio/resample';
import { createEncoder } from '../../../../src-main/engine/encoders/create';
import { convFrames, cosine, loadManifestEncoder, planBatches, PROBE_MIN_COSINE } from '../../../../src-main/engine/encoders/manifest';
import { ort } from '../../../../src-main/engine/encoders/onnx-session';
import type { AudioEncoder } from '../../../../src-main/engine/encoders/types';
import { buildEncoderGraph, convLayersOf, type GraphOptions } from '../../../fixtures/encoders/graphs';

const dir = mkdtempSync(join(tmpdir(), 'eodn-batching-'));
let n = 0;
/** A model file and its manifest; returns the manifest's path. */
function encoderFiles(graph: GraphOptions, manifest: Record<string, unknown> = {}): string {
  const name = `enc${n++}`;
  writeFileSync(join(dir, `${name}.onnx`), buildEncoderGraph(graph));
  const p = join(dir, `${name}.json`);
  writeFileSync(
    p,
    JSON.stringify({ id: name, model: `${name}.onnx`, sampleRate: 16000, input: 'input_values', inputLayout: 'batch-samples', output: 'last_hidden_state', pooling: 'mean+std', ...manifest }),
  );
  return p;
}

/** Mixed lengths from real speech: four whole demo clips (all 2.0 s) and cuts of 0.4-1.9 s, two of them equal. */
let clips: Float32Array[];
beforeAll(async () => {
  const whole: Float32Array[] = [];
  for (const f of ['13a01Ac.wav', '13a02Nc.wav', '13a05Wa.wav', '13a01Fd.wav']) {
    const m = await decodeMono(readFileSync(`resources/demo/clips/${f}`), f);
    whole.push(await resampleMono(m.samples, m.sampleRate, 16000));
  }
  const cuts = [6400, 7100, 9000, 9000, 12345, 15000, 16001, 20000, 23999, 30400];
  clips = [...whole, ...cuts.map((len, i) => whole[i % whole.length].subarray(500, 500 + Math.min(len, whole[i % whole.length].length - 500)))];
});

const opened: AudioEncoder[] = [];
async function open(manifestPath: string, maxBatch?: number): Promise<AudioEncoder> {
  const enc = await createEncoder({ kind: 'manifest', manifestPath, ...(maxBatch !== undefined ? { maxBatch } : {}) }, { threads: 1 });
  opened.push(enc);
  return enc;
}
afterEach(async () => {
  vi.restoreAllMocks();
  while (opened.length) await opened.pop()!.dispose();
});

/** Vectors from the encoder's batched path and from one clip per run, and the runs the batched path made. */
async function batchedVsSingle(manifestPath: string) {
  const batched = await open(manifestPath);
  const single = await open(manifestPath, 1);
  // Declared as a factory, InferenceSession is a class at run time: every session's run goes through it.
  const proto = (ort.InferenceSession as unknown as { prototype: { run(...a: unknown[]): unknown } }).prototype;
  const runs = vi.spyOn(proto, 'run');
  const b = await batched.embed(clips);
  const batchedRuns = runs.mock.calls.length;
  const s = await single.embed(clips);
  return { batched, single, b, s, batchedRuns, singleRuns: runs.mock.calls.length - batchedRuns, cos: b.map((v, i) => cosine(v, s[i])) };
}

describe('planBatches', () => {
  it('groups sorted lengths within the batch size, the samples budget and the padding slack', () => {
    const lengths = [100, 1000, 110, 120, 1200, 105, 5000, 1000];
    expect(planBatches(lengths, 'zero-pad', 3, 10_000)).toEqual([[0, 5, 2], [3], [1, 7, 4], [6]]);
    // The budget: 3 × 1200 > 3000 closes the group at two.
    expect(planBatches(lengths, 'attention-mask', 8, 3000)).toEqual([[0, 5, 2, 3], [1, 7], [4], [6]]);
    expect(planBatches(lengths, 'exact-length', 8, 1e9)).toEqual([[0], [5], [2], [3], [1, 7], [4], [6]]);
    expect(planBatches(lengths, 'single', 8, 1e9)).toHaveLength(lengths.length);
    // Every index exactly once, whatever the mode.
    for (const mode of ['zero-pad', 'exact-length', 'single'] as const)
      expect(planBatches(lengths, mode, 2, 2500).flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
  });

  it('counts frames through strided convolutions as wav2vec2 does', () => {
    const w2v = [[10, 5], [3, 2], [3, 2], [3, 2], [3, 2], [2, 2], [2, 2]];
    expect(convFrames(16000, w2v)).toBe(49);
    expect(convFrames(32000, w2v)).toBe(99);
    expect(convFrames(400, w2v)).toBe(1);
    expect(convFrames(16000, [[400, 320]])).toBe(49);
  });
});

describe('batched manifest encoder', () => {
  it('zero-padding: a conv graph with convLayers gives each clip its single-run vector, in fewer runs', async () => {
    const g: GraphOptions = { layers: 2 };
    const r = await batchedVsSingle(encoderFiles(g, { padding: 'zero-pad', convLayers: convLayersOf(g), maxBatch: 8 }));
    expect(r.batched.execution.batching).toMatchObject({ mode: 'zero-pad', declared: 'zero-pad', maxBatch: 8 });
    expect(r.batched.execution.batching!.probeCosine).toBeGreaterThanOrEqual(PROBE_MIN_COSINE);
    expect(r.batched.execution.batching!.reason).toBeUndefined();
    expect(r.batched.preferredBatch).toBe(16);
    expect(r.single.execution.batching).toMatchObject({ mode: 'single', reason: 'maxBatch 1 asked' });
    expect(Math.min(...r.cos)).toBeGreaterThanOrEqual(PROBE_MIN_COSINE);
    expect(r.singleRuns).toBe(clips.length);
    expect(r.batchedRuns).toBeLessThan(clips.length / 2);
  });

  it('attention mask: masked normalisation and attention give each clip its single-run vector', async () => {
    const g: GraphOptions = { mask: true, normalize: 'masked', attention: true };
    const r = await batchedVsSingle(encoderFiles(g, { padding: { attentionMask: 'attention_mask' }, convLayers: convLayersOf(g) }));
    expect(r.batched.execution.batching).toMatchObject({ mode: 'attention-mask', declared: 'attention-mask', maxBatch: 16 });
    expect(Math.min(...r.cos)).toBeGreaterThanOrEqual(PROBE_MIN_COSINE);
    expect(r.batchedRuns).toBeLessThan(clips.length / 2);
  });

  it('the same graph run padded without its mask differs: the check the probe makes can fail', async () => {
    const g: GraphOptions = { mask: true, normalize: 'masked', attention: true };
    const enc = await open(encoderFiles(g, { padding: { attentionMask: 'attention_mask' }, convLayers: convLayersOf(g) }), 1);
    const session = await ort.InferenceSession.create(join(dir, `${enc.id}.onnx`));
    try {
      const [a, b] = [clips[4], clips[6]]; // 0.4 s and 0.56 s
      const padded = new Float32Array(2 * b.length);
      padded.set(a);
      padded.set(b, b.length);
      const out = await session.run({
        input_values: new ort.Tensor('float32', padded, [2, b.length]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(2 * b.length).fill(1n), [2, b.length]),
      });
      const [, T, F] = out.last_hidden_state.dims;
      const frames = convFrames(a.length, convLayersOf(g));
      const row = (out.last_hidden_state.data as Float32Array).subarray(0, frames * F);
      const mean = new Float32Array(F);
      for (let t = 0; t < frames; t++) for (let f = 0; f < F; f++) mean[f] += row[t * F + f] / frames;
      const alone = (await enc.embed([a]))[0].subarray(0, F);
      expect(T).toBeGreaterThan(frames);
      expect(cosine(mean, alone)).toBeLessThan(PROBE_MIN_COSINE);
    } finally {
      await session.release();
    }
  });

  it('a graph that padding changes, declared zero-pad, falls back to equal-length batches and says why', async () => {
    const r = await batchedVsSingle(encoderFiles({ attention: true, normalize: 'global' }, { padding: 'zero-pad', convLayers: [[400, 320]] }));
    const info = r.batched.execution.batching!;
    expect(info).toMatchObject({ mode: 'exact-length', declared: 'zero-pad' });
    expect(info.reason).toMatch(/a padded batch changes a clip's vector \(cosine 0\.\d+ < 0\.9999\): batching equal-length clips only/);
    expect(Math.min(...r.cos)).toBeGreaterThanOrEqual(PROBE_MIN_COSINE);
    // Only equal lengths share a run: the four whole clips, and the two 9000-sample cuts.
    expect(r.batchedRuns).toBe(clips.length - 4);
  });

  it('a graph that even equal-length batching changes falls back to one clip per run', async () => {
    const r = await batchedVsSingle(encoderFiles({ normalize: 'batch' }, { padding: 'zero-pad', convLayers: [[400, 320]] }));
    const info = r.batched.execution.batching!;
    expect(info.mode).toBe('single');
    expect(info.reason).toMatch(/padded batch changes.*; a batch of 2 equal-length clips changes a clip's vector.*: one clip per run/);
    expect(r.batched.preferredBatch).toBeUndefined();
    expect(r.batchedRuns).toBe(clips.length);
    expect(Math.min(...r.cos)).toBeGreaterThanOrEqual(0.999999);
  });

  it('a graph exported with a batch axis of 1 runs one clip per run, saying that batches fail', async () => {
    const r = await batchedVsSingle(encoderFiles({ fixedBatch: true }, { padding: 'zero-pad', convLayers: [[400, 320]] }));
    const info = r.batched.execution.batching!;
    expect(info.mode).toBe('single');
    expect(info.reason).toMatch(/^a padded batch of 5 fails \(.+\); a batch of 2 equal-length clips fails \(.+\): one clip per run$/);
    expect(r.batchedRuns).toBe(clips.length);
    expect(Math.min(...r.cos)).toBeGreaterThanOrEqual(0.999999);
  });

  it('without convLayers the frames are estimated; a kernel longer than its stride miscounts them, and the probe says so', async () => {
    const enc = await open(encoderFiles({}, { padding: 'zero-pad' }));
    expect(enc.execution.batching).toMatchObject({ mode: 'exact-length', declared: 'zero-pad' });
    expect(enc.execution.batching!.reason).toMatch(/cosine 0\.\d+ < 0\.9999; if the frame count is at fault, give convLayers\): batching equal-length clips only/);
  });

  it('exact-length by default: equal-length clips share a run with no probe failure', async () => {
    const r = await batchedVsSingle(encoderFiles({}));
    expect(r.batched.execution.batching).toMatchObject({ mode: 'exact-length', declared: 'exact-length' });
    expect(r.batched.execution.batching!.reason).toBeUndefined();
    expect(Math.min(...r.cos)).toBeGreaterThanOrEqual(PROBE_MIN_COSINE);
    expect(r.batchedRuns).toBe(clips.length - 4);
  });

  it('rejects padding and frame declarations that do not fit the model', async () => {
    await expect(loadManifestEncoder(encoderFiles({}, { padding: { attentionMask: 'mask' } }))).rejects.toThrow(/attention mask input "mask" is not in the model \(it has input_values\)/);
    await expect(loadManifestEncoder(encoderFiles({ mask: true }))).rejects.toThrow(/also wants input attention_mask; an attention mask is named by "padding"/);
    await expect(loadManifestEncoder(encoderFiles({}, { convLayers: [[400, 160]] }))).rejects.toThrow(/convLayers give 98 frames for 16000 samples, but the model outputs 49/);
    await expect(loadManifestEncoder(encoderFiles({}, { padding: 'pad' }))).rejects.toThrow(/not a valid encoder manifest: padding/);
    await expect(loadManifestEncoder(encoderFiles({}, { convLayers: [[400, 0]] }))).rejects.toThrow(/kernel and stride must be ≥ 1/);
  });
});
