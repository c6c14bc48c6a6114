// The studio's "Embedding device" (issue 15, the studio side of big encoders at GPU speed): CPU by default or GPU,
// kept per data folder (a small JSON written whole, then renamed), reported by app.info and changed with
// app.setDevice (anything but 'cpu' / 'gpu' refused, the file untouched). A training with GPU chosen runs its
// embedding as the hybrid GPU job: on a machine without a GPU provider (this one) it completes on the CPU, with
// vectors equal to the CPU path's, and its job message, progress fields and app.info's lastProvider say "GPU asked
// for, ran on CPU" with the providers' reasons (a manifest encoder and the bundled default one).
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type AppInfo, type JobProgressEvent, type Method, type MethodResults } from '../../../shared/api';
import { openDemoProject } from '../../../src-main/api/demo-project';
import { readEmbeddingDevice, writeEmbeddingDevice } from '../../../src-main/api/embedding-device';
import { StudioService } from '../../../src-main/api/studio-service';
import type { EncoderSpec } from '../../../src-main/engine/encoders/create';
import { deviceForEncoder, embedProjectClips, embedRunMessage, gpuFallback } from '../../../src-main/jobs/embedding-cache';
import { buildEncoderGraph, convLayersOf, type GraphOptions } from '../../fixtures/encoders/graphs';
import { tempDir } from '../store/helpers';

describe('the embedding device of a data folder (storage)', () => {
  it("is 'cpu' until chosen, then what was written, in a file of this user's only, with no temp file left", () => {
    const dir = tempDir('eodn-device-');
    expect(readEmbeddingDevice(dir)).toBe('cpu');
    writeEmbeddingDevice(dir, 'gpu');
    expect(readEmbeddingDevice(dir)).toBe('gpu');
    const file = join(dir, 'embedding-device.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ device: 'gpu' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    writeEmbeddingDevice(dir, 'cpu');
    expect(readEmbeddingDevice(dir)).toBe('cpu');
  });

  it("reads an unreadable or unknown value as 'cpu', and refuses to write one", () => {
    const dir = tempDir('eodn-device-bad-');
    const file = join(dir, 'embedding-device.json');
    for (const text of ['not json', 'null', '[]', '{}', '{"device":"GPU"}', '{"device":"cuda"}', '{"device":1}', '"gpu"']) {
      writeFileSync(file, text);
      expect(readEmbeddingDevice(dir), text).toBe('cpu');
    }
    expect(() => writeEmbeddingDevice(dir, 'cuda' as never)).toThrow(/unknown embedding device/);
    expect(readFileSync(file, 'utf8')).toBe('"gpu"');
  });

  it('creates the data folder it is written to', () => {
    const dir = join(tempDir('eodn-device-new-'), 'data');
    writeEmbeddingDevice(dir, 'gpu');
    expect(readEmbeddingDevice(dir)).toBe('gpu');
  });
});

describe('the device an embedding run asks for', () => {
  it('is a GPU only for an ONNX encoder; the functionals encoder runs on the CPU and says why', () => {
    const manifest: EncoderSpec = { kind: 'manifest', manifestPath: '/m/manifest.json' };
    expect(deviceForEncoder({ kind: 'speech-embedding' }, 'gpu')).toEqual({ device: 'gpu' });
    expect(deviceForEncoder(manifest, 'gpu')).toEqual({ device: 'gpu' });
    expect(deviceForEncoder(manifest, 'cpu')).toEqual({ device: 'cpu' });
    expect(deviceForEncoder(manifest, undefined)).toEqual({ device: 'cpu' });
    expect(deviceForEncoder({ kind: 'functionals' }, 'gpu')).toEqual({ device: 'cpu', reason: expect.stringMatching(/^functionals: .*plain TypeScript.*CPU/) });
  });

  it('names a GPU request that ran on the CPU, with every reason, in the job message', () => {
    const run = { computed: 80, clipsPerSec: 75, encoderId: 'toy', provider: 'cpu' };
    const fell = { requested: 'gpu' as const, provider: 'cpu', fallbacks: ['cuda: no library', 'webgpu: No supported adapters'] };
    expect(gpuFallback(fell)).toBe('cuda: no library | webgpu: No supported adapters');
    expect(gpuFallback({ requested: 'gpu', provider: 'webgpu', fallbacks: ['cuda: no library'] })).toBeNull();
    expect(gpuFallback({ requested: 'cpu', provider: 'cpu', fallbacks: [] })).toBeNull();
    expect(gpuFallback(null)).toBeNull();
    expect(embedRunMessage({ ...run, execution: fell })).toBe('GPU asked for, ran on CPU: cuda: no library | webgpu: No supported adapters — embedded 80 clips with toy at 75.0 clips/s');
    expect(embedRunMessage({ ...run, execution: { requested: 'cpu', provider: 'cpu', fallbacks: [] } })).toBe('embedded 80 clips with toy on cpu at 75.0 clips/s');
    expect(embedRunMessage({ ...run, provider: 'webgpu', execution: { requested: 'gpu', provider: 'webgpu', fallbacks: ['cuda: no library'] } })).toBe(
      'embedded 80 clips with toy on webgpu at 75.0 clips/s (fell back from cuda: no library)',
    );
  });
});

describe('app.info and app.setDevice', () => {
  let dataDir: string;
  let service: StudioService;
  const call = <T>(m: Method, a: unknown) => service.dispatch(m, a) as Promise<T>;
  beforeAll(() => {
    dataDir = tempDir('eodn-device-api-');
    service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
  });
  afterAll(() => service.shutdown());

  it("reports 'cpu' until a device is chosen, then the chosen one, kept across studios", async () => {
    const info = await call<AppInfo>('app.info', {});
    expect(info).toMatchObject({ device: 'cpu', executionProvider: 'cpu' });
    expect(await call('app.setDevice', { device: 'gpu' })).toEqual({ device: 'gpu' });
    expect((await call<AppInfo>('app.info', {})).device).toBe('gpu');
    const other = new StudioService({ transport: 'browser', dataDir, version: 'test' });
    expect(((await other.dispatch('app.info', {})) as AppInfo).device).toBe('gpu');
    await other.shutdown();
  });

  it('refuses anything but cpu or gpu, and keeps the saved device', async () => {
    const file = join(dataDir, 'embedding-device.json');
    const before = readFileSync(file, 'utf8');
    for (const args of [{ device: 'GPU' }, { device: 'cuda' }, { device: 'webgpu' }, { device: '' }, { device: 1 }, { device: null }, {}, { device: 'cpu', extra: 1 }, 'gpu', ['gpu']]) {
      const e = (await call('app.setDevice', args).catch((x: unknown) => x)) as ApiError;
      expect(e, JSON.stringify(args)).toBeInstanceOf(ApiError);
      expect(e.code).toBe('bad-request');
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await call<AppInfo>('app.info', {})).device).toBe('gpu');
    expect(await call('app.setDevice', { device: 'cpu' })).toEqual({ device: 'cpu' });
    expect((await call<AppInfo>('app.info', {})).device).toBe('cpu');
  });
});

describe('a training with GPU chosen, on a machine without a GPU provider', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eodn-device-encoder-'));
  const graph: GraphOptions = { channels: 8, layers: 1, dim: 8, mask: true, normalize: 'masked' };
  writeFileSync(join(dir, 'encoder.onnx'), buildEncoderGraph(graph));
  const manifestPath = join(dir, 'manifest.json');
  writeFileSync(
    manifestPath,
    JSON.stringify({
      id: 'toy-gpu', model: 'encoder.onnx', sampleRate: 16000, input: 'input_values', inputLayout: 'batch-samples', output: 'last_hidden_state',
      pooling: 'mean+std', padding: { attentionMask: 'attention_mask' }, convLayers: convLayersOf(graph),
    }),
  );

  let service: StudioService;
  const progress: JobProgressEvent[] = [];
  const call = <T>(m: Method, a: unknown) => service.dispatch(m, a) as Promise<T>;
  beforeAll(async () => {
    const dataDir = tempDir('eodn-device-train-');
    service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
    service.on('job.progress', (p) => progress.push(p));
    await openDemoProject(service, dataDir, { autoTrain: false });
  }, 120_000);
  afterAll(() => service.shutdown());

  it('completes on the CPU with the CPU path\'s vectors, and says "GPU asked for, ran on CPU" with the reason', async () => {
    await call('app.setDevice', { device: 'gpu' });
    const { jobId } = await call<MethodResults['models.train']>('models.train', { known: ['anger', 'boredom', 'neutral', 'sadness'], encoder: { manifest: manifestPath } });
    await service.waitForJob(jobId);
    expect(progress.filter((p) => p.jobId === jobId).at(-1)).toMatchObject({ state: 'done', versionId: 1 });

    const embedded = progress.find((p) => p.jobId === jobId && p.provider)!;
    expect(embedded).toMatchObject({ stage: 'embed', encoder: 'toy-gpu', requested: 'gpu' });
    const info = await call<AppInfo>('app.info', {});
    if (embedded.provider === 'cpu') {
      // This machine: onnxruntime-node without CUDA libraries, and no WebGPU adapter.
      expect(embedded.fallback).toMatch(/^cuda: .+ \| webgpu: .+/);
      expect(embedded.message).toBe(`GPU asked for, ran on CPU: ${embedded.fallback} — embedded 80 clips with toy-gpu at ${embedded.clipsPerSec!.toFixed(1)} clips/s`);
      expect(info.lastProvider).toMatchObject({ provider: 'cpu', requested: 'gpu', fallback: embedded.fallback, encoder: 'toy-gpu', jobId, kind: 'train' });
    } else {
      // A machine with a GPU provider ran it there.
      expect(['cuda', 'webgpu']).toContain(embedded.provider);
      expect(embedded.fallback).toBeUndefined();
    }

    // The vectors the GPU job cached, against the CPU path's (the pool of CPU workers) computed afresh.
    const store = service.currentStore!;
    const spec: EncoderSpec = { kind: 'manifest', manifestPath };
    const hybrid = await embedProjectClips(store, { encoder: spec });
    expect(hybrid).toMatchObject({ computed: 0, cached: 80, errors: [] });
    store.db.prepare('DELETE FROM embeddings').run();
    const cpu = await embedProjectClips(store, { encoder: spec, device: 'cpu', workers: 2 });
    expect(cpu).toMatchObject({ computed: 80, cached: 0, errors: [], provider: 'cpu' });
    expect(cpu.execution).toMatchObject({ requested: 'cpu', fallbacks: [] });
    let worst = 0;
    for (const [id, v] of cpu.vectors) {
      const g = hybrid.vectors.get(id)!;
      expect(g.length).toBe(v.length);
      for (let i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(v[i] - g[i]));
    }
    if (embedded.provider === 'cpu') expect(worst).toBe(0);
    else expect(worst).toBeLessThan(1e-3);
  }, 240_000);

  it('runs the bundled default encoder the same way, its vectors within 1e-5 of the CPU pool\'s', async () => {
    await call('app.setDevice', { device: 'gpu' });
    const { jobId } = await call<MethodResults['models.train']>('models.train', { known: ['anger', 'boredom', 'neutral', 'sadness'] });
    await service.waitForJob(jobId);
    expect(progress.filter((p) => p.jobId === jobId).at(-1)).toMatchObject({ state: 'done' });
    const embedded = progress.find((p) => p.jobId === jobId && p.provider)!;
    expect(embedded).toMatchObject({ stage: 'embed', encoder: 'speech-embedding', requested: 'gpu' });
    if (embedded.provider === 'cpu') {
      expect(embedded.fallback).toMatch(/^cuda: .+ \| webgpu: .+/);
      expect(embedded.message).toMatch(/^GPU asked for, ran on CPU: cuda: .+ — embedded 80 clips with speech-embedding at [\d.]+ clips\/s$/);
    }
    const store = service.currentStore!;
    const spec: EncoderSpec = { kind: 'speech-embedding' };
    const hybrid = await embedProjectClips(store, { encoder: spec });
    expect(hybrid).toMatchObject({ computed: 0, cached: 80, errors: [] });
    store.db.prepare('DELETE FROM embeddings').run();
    const cpu = await embedProjectClips(store, { encoder: spec, device: 'cpu', workers: 2 });
    expect(cpu).toMatchObject({ computed: 80, errors: [], provider: 'cpu' });
    let worst = 0;
    for (const [id, v] of cpu.vectors) {
      const g = hybrid.vectors.get(id)!;
      for (let i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(v[i] - g[i]));
    }
    expect(worst).toBeLessThan(embedded.provider === 'cpu' ? 1e-5 : 1e-3);
  }, 300_000);

  it('applies the device read when a job starts: back on the CPU, a run asks for the CPU', async () => {
    await call('app.setDevice', { device: 'cpu' });
    service.currentStore!.db.prepare('DELETE FROM embeddings').run();
    const { jobId } = await call<MethodResults['models.train']>('models.train', { known: ['anger', 'boredom', 'neutral', 'sadness'], encoder: { manifest: manifestPath } });
    await service.waitForJob(jobId);
    const embedded = progress.find((p) => p.jobId === jobId && p.provider)!;
    expect(embedded).toMatchObject({ provider: 'cpu', requested: 'cpu' });
    expect(embedded.fallback).toBeUndefined();
    expect(embedded.message).toMatch(/^embedded 80 clips with toy-gpu on cpu at [\d.]+ clips\/s$/);
  }, 240_000);
});
