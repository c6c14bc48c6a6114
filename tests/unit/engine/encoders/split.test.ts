import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMono } from '../../../../src-main/engine/audio/decode';
import { resampleMono } from '../../../../src-main/engine/audio/resample';
import { createEncoder } from '../../../../src-main/engine/encoders/create';
import { speechEmbeddingModels } from '../../../../src-main/engine/encoders/model-paths';
import { createOnnxSession, ort } from '../../../../src-main/engine/encoders/onnx-session';
import { createWindowEmbedder, paddedRows, windowsPerRun } from '../../../../src-main/engine/encoders/speech-embedding';
import { createSplitFront, isSplittable, joinSplit, type SplitFrontOutput } from '../../../../src-main/engine/encoders/split';

let clips: Float32Array[];
beforeAll(async () => {
  clips = [];
  for (const f of ['13a01Ac.wav', '13a02Nc.wav', '13a05Wa.wav']) {
    const m = await decodeMono(readFileSync(`resources/demo/clips/${f}`), f);
    clips.push(await resampleMono(m.samples, m.sampleRate, 16000));
  }
});

describe('windows per embedding run', () => {
  it('keeps small runs on the CPU and large ones on WebGPU', () => {
    expect(windowsPerRun('cpu')).toBe(32);
    expect(windowsPerRun('webgpu')).toBe(512);
  });

  it('pads WebGPU runs to a power of two of at least 32 rows, never CPU runs', () => {
    expect([1, 32, 33, 200, 512].map((n) => paddedRows(n, 'webgpu'))).toEqual([32, 32, 64, 256, 512]);
    expect(paddedRows(33, 'cpu')).toBe(33);
  });

  it('padding rows leave the real windows\' embeddings unchanged (the graph treats windows independently)', async () => {
    const s = await createOnnxSession(speechEmbeddingModels().embedding, { threads: 1 });
    const win = 76 * 32;
    const x = new Float32Array(5 * win).map((_, i) => Math.sin(i * 0.37) + 1);
    const run = async (rows: number) => {
      const data = new Float32Array(rows * win);
      data.set(x);
      const out = await s.session.run({ [s.session.inputNames[0]]: new ort.Tensor('float32', data, [rows, 76, 32, 1]) });
      return (out[s.session.outputNames[0]].data as Float32Array).slice(0, 5 * 96);
    };
    const a = await run(5);
    const b = await run(32);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
    await s.session.release();
  });
});

describe('split encoder (front on the CPU, embedding graph elsewhere)', () => {
  const disposers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of disposers) await d();
  });

  it('joins to exactly the default encoder\'s vectors', async () => {
    const whole = await createEncoder({ kind: 'speech-embedding' }, { threads: 1 });
    const front = await createSplitFront({ kind: 'speech-embedding' }, { threads: 1 });
    const back = await createWindowEmbedder({ threads: 1 });
    disposers.push(() => whole.dispose(), () => front.dispose(), () => back.dispose());
    expect(front.encoderId).toBe(whole.id);
    expect(front.dim).toBe(whole.dim);
    const batch = [clips[0], clips[1], clips[2].subarray(0, 5000), clips[2].subarray(0, 300)];
    const ref = await whole.embed(batch);
    const fronts: SplitFrontOutput[] = [];
    for (const c of batch) fronts.push(await front.run(c));
    const embs = await back.embedFrames(fronts.map((f) => f.mel));
    batch.forEach((_, i) => expect(joinSplit(embs[i], fronts[i].tail)).toEqual(ref[i]));
  });

  it('has no tail for speech-embedding-only, and refuses what it cannot split', async () => {
    const front = await createSplitFront({ kind: 'speech-embedding-only' }, { threads: 1 });
    disposers.push(() => front.dispose());
    expect(front.dim).toBe(192);
    expect((await front.run(clips[0])).tail).toHaveLength(0);
    await expect(front.run(new Float32Array(0))).rejects.toThrow(/empty/);
    expect(isSplittable({ kind: 'functionals' })).toBe(false);
    await expect(createSplitFront({ kind: 'functionals' })).rejects.toThrow(/cannot be split/);
  });
});
