import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequenceEmbeddingGraph, windowCount } from '../../../../src-main/engine/encoders/embedding-graph';
import { speechEmbeddingModels } from '../../../../src-main/engine/encoders/model-paths';
import { createOnnxSession, ort, type OnnxSession } from '../../../../src-main/engine/encoders/onnx-session';
import { createWindowEmbedder, meanStd } from '../../../../src-main/engine/encoders/speech-embedding';

let shipped: OnnxSession;
let sequence: OnnxSession;
beforeAll(async () => {
  shipped = await createOnnxSession(speechEmbeddingModels().embedding, { threads: 1 });
  sequence = await createOnnxSession(sequenceEmbeddingGraph(speechEmbeddingModels().embedding), { threads: 1 });
});
afterAll(async () => {
  await shipped.session.release();
  await sequence.session.release();
});

const run = async (s: OnnxSession, data: Float32Array, dims: number[]) => {
  const out = await s.session.run({ [s.session.inputNames[0]]: new ort.Tensor('float32', data, dims) });
  return out[s.session.outputNames[0]];
};

/** Deterministic mel-like frames in the graph's input range (log-mel / 10 + 2 lies roughly in 0..4). */
const frames = (n: number, seed: number) => new Float32Array(n * 32).map((_, i) => 2 + 1.5 * Math.sin(i * 0.013 * seed + Math.cos(i * 0.71)));

describe('the speech-embedding graph opened to whole sequences', () => {
  it('counts one window per 8 frames once 76 are there', () => {
    expect([0, 75, 76, 83, 84, 200].map(windowCount)).toEqual([0, 0, 1, 1, 2, 16]);
  });

  it.each([76, 83, 84, 200, 517])('gives, for %i frames, exactly the shipped graph\'s vectors of the windows at stride 8', async (n) => {
    const x = frames(n, n);
    const seq = await run(sequence, x, [1, n, 32, 1]);
    const w = windowCount(n);
    expect(seq.dims).toEqual([1, w, 1, 96]);
    const windows = new Float32Array(w * 76 * 32);
    for (let k = 0; k < w; k++) windows.set(x.subarray(k * 8 * 32, (k * 8 + 76) * 32), k * 76 * 32);
    const ref = await run(shipped, windows, [w, 76, 32, 1]);
    expect(Array.from(seq.data as Float32Array)).toEqual(Array.from(ref.data as Float32Array));
  });

  it('still takes separate windows (the WebGPU feed) and answers them as before', async () => {
    const x = frames(76 * 3, 7);
    const a = await run(sequence, x, [3, 76, 32, 1]);
    const b = await run(shipped, x, [3, 76, 32, 1]);
    expect(a.dims).toEqual([3, 1, 1, 96]);
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from(b.data as Float32Array));
  });

  it('pools a long clip split into several runs exactly as one run over every window', async () => {
    // 300 windows: more than one sequence run (128 windows each), so the pieces' seams are covered.
    const n = 76 + 299 * 8;
    const x = frames(n, 3);
    const emb = await createWindowEmbedder({ threads: 1 });
    const [pooled] = await emb.embedFrames([x]);
    await emb.dispose();
    const whole = await run(sequence, x, [1, n, 32, 1]);
    const ref = meanStd(whole.data as Float32Array, 300, 96);
    for (let i = 0; i < ref.length; i++) expect(pooled[i]).toBeCloseTo(ref[i], 5);
  });

  it('refuses a graph of another shape with a clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eodn-graph-'));
    const other = join(dir, 'mel.onnx');
    writeFileSync(other, readFileSync(speechEmbeddingModels().melspectrogram));
    expect(() => sequenceEmbeddingGraph(other)).toThrow(/not the expected speech-embedding graph/);
  });
});
