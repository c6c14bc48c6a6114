import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEmbedPool } from '../../../src-main/jobs/embed-pool';
import { runHybridEmbedPool } from '../../../src-main/jobs/embed-hybrid';

const workerPath = resolve('src-main/jobs/embed-worker.ts');
const demo = readdirSync('resources/demo/clips').sort().map((f) => resolve('resources/demo/clips', f));
const items = demo.slice(0, 10).map((path, i) => ({ key: String(i), path }));

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('runHybridEmbedPool (CPU provider for the embedding worker)', () => {
  const reference = new Map<string, Float32Array>();
  beforeAll(async () => {
    const s = await runEmbedPool({ workerPath, items, encoder: { kind: 'speech-embedding' }, device: 'cpu', workers: 1, threadsPerWorker: 1, onResult: (k, v) => reference.set(k, v) });
    expect(s.succeeded).toBe(items.length);
  });

  it('gives the single-worker path\'s vectors, keeps per-file errors, and reports progress and readiness', async () => {
    const got = new Map<string, Float32Array>();
    const errors: [string, string, string][] = [];
    const progress: number[] = [];
    let ready: { encoderId: string; dim: number; provider: string } | null = null;
    const bad = { key: 'missing', path: resolve('resources/demo/clips/no-such-file.wav') };
    const s = await runHybridEmbedPool({
      workerPath,
      items: [...items.slice(0, 5), bad, ...items.slice(5)],
      encoder: { kind: 'speech-embedding' },
      device: 'cpu',
      workers: 2,
      minItemsPerWorker: 1,
      backBatchClips: 3, // several batches, one partly filled at the end
      onReady: (r) => (ready = { encoderId: r.encoderId, dim: r.dim, provider: r.execution.provider }),
      onResult: (k, v) => got.set(k, v),
      onItemError: (k, p, e) => errors.push([k, p, e]),
      onProgress: (p) => progress.push(p.done),
    });
    expect(s).toMatchObject({ status: 'completed', workers: 3, total: 11, succeeded: 10, failed: 1, encoderId: 'speech-embedding', dim: 567 });
    expect(s.execution?.provider).toBe('cpu');
    expect(s.audioSec).toBeCloseTo(20, 1);
    expect(ready).toEqual({ encoderId: 'speech-embedding', dim: 567, provider: 'cpu' });
    expect(errors).toHaveLength(1);
    expect(errors[0][0]).toBe('missing');
    expect(errors[0][2]).toMatch(/ENOENT|no such file/i);
    expect(progress.at(-1)).toBe(11);
    expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [k, v] of reference) expect(maxAbsDiff(v, got.get(k)!)).toBeLessThan(1e-5);
  });

  it('is what runEmbedPool runs for a GPU request (here the embedding worker falls back to the CPU)', async () => {
    const got = new Map<string, Float32Array>();
    const s = await runEmbedPool({
      workerPath,
      items: items.slice(0, 4),
      encoder: { kind: 'speech-embedding-only' },
      device: 'gpu',
      workers: 2,
      minItemsPerWorker: 1,
      onResult: (k, v) => got.set(k, v),
    });
    expect(s).toMatchObject({ status: 'completed', workers: 3, succeeded: 4, dim: 192, encoderId: 'speech-embedding-192' });
    expect(s.execution?.requested).toBe('gpu');
    for (const [k, v] of got) expect(maxAbsDiff(reference.get(k)!.subarray(0, 192), v)).toBeLessThan(1e-5);
  });

  it('stops on cancel and still accounts for every item it finished', async () => {
    const ac = new AbortController();
    let results = 0;
    const many = [...items, ...items, ...items].map((it, i) => ({ ...it, key: String(i) }));
    const s = await runHybridEmbedPool({
      workerPath,
      items: many,
      encoder: { kind: 'speech-embedding' },
      device: 'cpu',
      workers: 1,
      batchSize: 2,
      backBatchClips: 1,
      onReady: () => ac.abort(),
      onResult: () => results++,
      signal: ac.signal,
    });
    expect(s.status).toBe('cancelled');
    expect(s.succeeded).toBe(results);
    expect(s.succeeded).toBeLessThan(many.length);
  });

  it('refuses an encoder it cannot split', async () => {
    await expect(runHybridEmbedPool({ workerPath, items, encoder: { kind: 'functionals' }, device: 'gpu' })).rejects.toThrow(/cannot run as a hybrid/);
  });
});
