import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbedJob } from '../../../src-main/jobs/embed-host';
import type { EmbedJobItem } from '../../../src-main/jobs/protocol';

const workerPath = resolve('src-main/jobs/embed-worker.ts');
const demo = readdirSync('resources/demo/clips').sort().map((f) => resolve('resources/demo/clips', f));

describe('embedding worker job', () => {
  it('reports progress and results, and collects a corrupt file as an error while the job goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eodn-job-'));
    const corrupt = join(dir, 'corrupt.wav');
    writeFileSync(corrupt, Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt garbage'));
    const items: EmbedJobItem[] = [
      ...demo.slice(0, 3).map((path, i) => ({ key: `c${i}`, path })),
      { key: 'bad', path: corrupt },
      ...demo.slice(3, 6).map((path, i) => ({ key: `c${i + 3}`, path })),
      { key: 'seg', path: demo[6], segment: { startSec: 0.2, endSec: 1.2 } },
    ];
    const results = new Map<string, Float32Array>();
    const errors: { key: string; error: string }[] = [];
    const progress: { done: number; total: number; clipsPerSec: number; etaSec: number | null }[] = [];
    let ready: { encoderId: string; dim: number } | null = null;
    const job = startEmbedJob({
      workerPath,
      items,
      encoder: { kind: 'speech-embedding' },
      threads: 1,
      batchSize: 3,
      onReady: (m) => (ready = m),
      onResult: (key, v) => results.set(key, v),
      onItemError: (key, _path, error) => errors.push({ key, error }),
      onProgress: (p) => progress.push(p),
    });
    const summary = await job.done;
    expect(summary).toMatchObject({ status: 'completed', total: 8, succeeded: 7, failed: 1, encoderId: 'speech-embedding', dim: 567 });
    expect(summary.execution?.provider).toBe('cpu');
    expect(summary.clipsPerSec).toBeGreaterThan(0);
    expect(summary.audioSec).toBeCloseTo(6 * 2 + 1, 2);
    expect(ready).toMatchObject({ encoderId: 'speech-embedding', dim: 567 });
    expect([...results.keys()].sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'seg']);
    for (const v of results.values()) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(567);
    }
    expect(errors).toHaveLength(1);
    expect(errors[0].key).toBe('bad');
    expect(errors[0].error).toMatch(/corrupt\.wav: /);
    expect(progress.map((p) => p.done)).toEqual([3, 6, 8]);
    expect(progress.at(-1)).toMatchObject({ total: 8, etaSec: 0 });
  });

  it('can be cancelled; the caller is not blocked meanwhile', async () => {
    const items = demo.map((path, i) => ({ key: String(i), path }));
    let results = 0;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const job = startEmbedJob({
      workerPath,
      items,
      encoder: { kind: 'speech-embedding' },
      threads: 1,
      batchSize: 2,
      onResult: () => results++,
      onProgress: (p) => {
        if (p.done >= 4) job.cancel();
      },
    });
    const summary = await job.done;
    clearInterval(timer);
    expect(summary.status).toBe('cancelled');
    expect(summary.succeeded).toBeGreaterThanOrEqual(4);
    expect(summary.succeeded).toBeLessThan(items.length);
    expect(results).toBe(summary.succeeded);
    // The host's event loop kept running while the worker computed.
    expect(ticks).toBeGreaterThan(0);
  });

  it('fails cleanly when the encoder cannot be built', async () => {
    const summary = await startEmbedJob({ workerPath, items: [{ key: 'a', path: demo[0] }], encoder: { kind: 'manifest', manifestPath: '/nonexistent/m.json' } }).done;
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/cannot read manifest/);
  });
});
