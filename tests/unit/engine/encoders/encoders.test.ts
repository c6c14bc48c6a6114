import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMono } from '../../../../src-main/engine/audio/decode';
import { resampleMono } from '../../../../src-main/engine/audio/resample';
import { createEncoder } from '../../../../src-main/engine/encoders/create';
import { loadManifestEncoder, parseManifest } from '../../../../src-main/engine/encoders/manifest';
import { speechEmbeddingModels } from '../../../../src-main/engine/encoders/model-paths';
import { EncoderError, type AudioEncoder } from '../../../../src-main/engine/encoders/types';

let clips: Float32Array[];
beforeAll(async () => {
  clips = [];
  for (const f of ['13a01Ac.wav', '13a02Nc.wav', '13a05Wa.wav']) {
    const m = await decodeMono(readFileSync(`resources/demo/clips/${f}`), f);
    clips.push(await resampleMono(m.samples, m.sampleRate, 16000));
  }
});

describe('default encoder (speech embeddings + functionals)', () => {
  let enc: AudioEncoder;
  beforeAll(async () => {
    enc = await createEncoder({ kind: 'speech-embedding' }, { threads: 1 });
  });
  afterAll(() => enc?.dispose());

  it('gives one finite 567-d vector per clip, whatever the lengths', async () => {
    expect(enc.id).toBe('speech-embedding');
    expect(enc.sampleRate).toBe(16000);
    expect(enc.dim).toBe(192 + 375);
    expect(enc.execution.provider).toBe('cpu');
    const batch = [clips[0], clips[1], clips[2].subarray(0, 5000), clips[2].subarray(0, 300)];
    const out = await enc.embed(batch);
    expect(out).toHaveLength(4);
    for (const v of out) {
      expect(v).toHaveLength(enc.dim);
      expect(v.every(Number.isFinite)).toBe(true);
    }
    expect(out[0]).not.toEqual(out[1]);
  });

  it('gives the same vector for a clip alone or in a batch', async () => {
    const alone = (await enc.embed([clips[1]]))[0];
    const inBatch = (await enc.embed(clips))[1];
    for (let i = 0; i < alone.length; i++) expect(inBatch[i]).toBeCloseTo(alone[i], 4);
  });

  it('rejects an empty clip', async () => {
    await expect(enc.embed([new Float32Array(0)])).rejects.toThrow(EncoderError);
  });
});

describe('GPU request', () => {
  it('falls back to the CPU and records why each GPU provider failed', async () => {
    const enc = await createEncoder({ kind: 'speech-embedding-only' }, { device: 'gpu', threads: 1 });
    try {
      expect(enc.execution.requested).toBe('gpu');
      if (enc.execution.provider === 'cpu') expect(enc.execution.fallbacks.map((f) => f.split(':')[0])).toEqual(['cuda', 'webgpu']);
      expect((await enc.embed([clips[0]]))[0]).toHaveLength(192);
    } finally {
      await enc.dispose();
    }
  });
});

describe('manifest encoder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eodn-manifest-'));
  const write = (name: string, m: object) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(m));
    return p;
  };
  const good = {
    id: 'log-mel-32',
    model: speechEmbeddingModels().melspectrogram,
    sampleRate: 16000,
    input: 'input',
    inputLayout: 'batch-samples',
    inputScale: 32767,
    output: 'output',
    pooling: 'mean+std',
    minSamples: 512,
  };

  it('runs an ONNX model described by a manifest (melspectrogram.onnx → 32 bands, mean+std)', async () => {
    const enc = await loadManifestEncoder(write('good.json', good), { threads: 1 });
    try {
      expect(enc.dim).toBe(64);
      const out = await enc.embed([clips[0], clips[1].subarray(0, 100)]);
      expect(out.map((v) => v.length)).toEqual([64, 64]);
      expect(out.every((v) => v.every(Number.isFinite))).toBe(true);
    } finally {
      await enc.dispose();
    }
  });

  it('rejects manifests that do not fit the model, saying what is wrong', async () => {
    await expect(loadManifestEncoder(write('name.json', { ...good, input: 'audio' }))).rejects.toThrow(/input "audio" is not in the model \(it has input\)/);
    await expect(loadManifestEncoder(write('out.json', { ...good, output: 'hidden' }))).rejects.toThrow(/output "hidden"/);
    await expect(loadManifestEncoder(write('rank.json', { ...good, inputLayout: 'batch-channel-samples' }))).rejects.toThrow(/rank 2.*means rank 3/);
    await expect(loadManifestEncoder(write('model.json', { ...good, model: 'missing.onnx' }))).rejects.toThrow(/cannot load model/);
    await expect(loadManifestEncoder(join(dir, 'nope.json'))).rejects.toThrow(EncoderError);
    expect(() => parseManifest({ ...good, pooling: 'max', sampleRate: -1 })).toThrow(/pooling.*sampleRate|sampleRate.*pooling/s);
  });
});
