import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { poolSize, runEmbedPool } from '../../../src-main/jobs/embed-pool';

const workerPath = resolve('src-main/jobs/embed-worker.ts');
const demo = readdirSync('resources/demo/clips').sort().map((f) => resolve('resources/demo/clips', f));

describe('poolSize', () => {
  it('uses the workers asked for, no more than items / minItemsPerWorker', () => {
    expect(poolSize(100, { workers: 4 })).toBe(4);
    expect(poolSize(10, { workers: 4, minItemsPerWorker: 8 })).toBe(2);
    expect(poolSize(0, { workers: 4 })).toBe(1);
    expect(poolSize(100, { workers: 4, device: 'cpu' })).toBe(4);
  });

  it('gives a GPU job one worker: WebGPU runs from several threads of one process crash it', () => {
    expect(poolSize(1000, { workers: 16, device: 'gpu' })).toBe(1);
    expect(poolSize(1000, { device: 'gpu' })).toBe(1);
  });
});

describe('runEmbedPool with a GPU request', () => {
  it('without the hybrid split, runs one worker whatever was asked, and embeds every clip', async () => {
    const items = demo.slice(0, 4).map((path, i) => ({ key: String(i), path }));
    const keys: string[] = [];
    const s = await runEmbedPool({
      workerPath,
      items,
      encoder: { kind: 'speech-embedding-only' },
      device: 'gpu',
      workers: 4,
      minItemsPerWorker: 1,
      threadsPerWorker: 1,
      hybrid: false,
      onResult: (key, v) => {
        expect(v).toHaveLength(192);
        keys.push(key);
      },
    });
    expect(s).toMatchObject({ status: 'completed', workers: 1, total: 4, succeeded: 4, failed: 0, dim: 192 });
    expect(s.execution?.requested).toBe('gpu');
    expect(keys.sort()).toEqual(['0', '1', '2', '3']);
  });
});
