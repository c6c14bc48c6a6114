import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedProjectClips } from '../../../src-main/jobs/embedding-cache';
import { defaultWorkerPath } from '../../../src-main/jobs/worker-path';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_CLIPS, demoClipNames, tempDir } from '../store/helpers';

describe('embedProjectClips', () => {
  it('computes missing embeddings in workers, stores them, and reads them back from the cache the next time', async () => {
    const dir = tempDir('eodn-cache-');
    const src = join(dir, 'audio');
    mkdirSync(src);
    for (const f of demoClipNames().slice(0, 6)) copyFileSync(join(DEMO_CLIPS, f), join(src, f));
    writeFileSync(join(src, 'zz-corrupt.wav'), Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt garbage'));
    const store = ProjectStore.create(join(dir, 'p.eodn'), { name: 'cache' });
    try {
      await importDataset(store, src);
      const ids = store.clipPaths().map((c) => c.id);
      expect(ids).toHaveLength(6); // the corrupt file is refused at import
      // A segment clip of the first file has its own embedding.
      const first = store.getClip(ids[0]);
      const [segId] = store.insertClips([{ path: first.path, hash: first.hash, sizeBytes: 1, durationSec: 1, sampleRate: 22050, channels: 1, segmentStartSec: 0.5, segmentEndSec: 1.5 }]);
      // A clip whose file disappeared gives a per-clip error, not a failed run.
      const [goneId] = store.insertClips([{ path: join(dir, 'gone.wav'), hash: 'f'.repeat(64), sizeBytes: 1, durationSec: 1, sampleRate: 22050, channels: 1 }]);
      const progress: number[] = [];
      const r1 = await embedProjectClips(store, { encoder: { kind: 'speech-embedding' }, workers: 2, batchSize: 2, onProgress: (p) => progress.push(p.done) });
      expect(r1).toMatchObject({ computed: 7, cached: 0, provider: 'cpu', encoderId: 'speech-embedding', cancelled: false });
      expect(r1.errors).toHaveLength(1);
      expect(r1.errors[0]).toMatchObject({ clipId: goneId });
      expect(r1.errors[0].error).toMatch(/not found|ENOENT|no such file/i);
      expect(r1.vectors.size).toBe(7);
      for (const v of r1.vectors.values()) expect(v).toHaveLength(567);
      expect(r1.vectors.get(segId!)).not.toEqual(r1.vectors.get(ids[0]));
      expect(progress.at(-1)).toBe(8);

      // Everything cached: no worker starts. The missing file is tried again (and fails again).
      const r2 = await embedProjectClips(store, { encoder: { kind: 'speech-embedding' }, workerPath: defaultWorkerPath(), clipIds: [...ids, segId!] });
      expect(r2).toMatchObject({ computed: 0, cached: 7, provider: null, errors: [] });
      const again = await embedProjectClips(store, { encoder: { kind: 'speech-embedding' } });
      expect(again).toMatchObject({ computed: 0, cached: 7 });
      expect(again.errors.map((e) => e.clipId)).toEqual([goneId]);
      for (const [id, v] of r1.vectors) expect([...r2.vectors.get(id)!]).toEqual([...v]);

      // A subset by id; another encoder misses the cache.
      // keepVectors: false fills the cache and returns no vectors (the host's step before a training job).
      const fill = await embedProjectClips(store, { encoder: { kind: 'functionals' }, clipIds: ids.slice(2, 4), workers: 1, keepVectors: false });
      expect(fill).toMatchObject({ computed: 2, cached: 0 });
      expect(fill.vectors.size).toBe(0);
      const filled = await embedProjectClips(store, { encoder: { kind: 'functionals' }, clipIds: ids.slice(2, 4), workers: 1 });
      expect(filled).toMatchObject({ computed: 0, cached: 2 });
      expect(filled.vectors.size).toBe(2);

      const r3 = await embedProjectClips(store, { encoder: { kind: 'functionals' }, clipIds: ids.slice(0, 2), workers: 1 });
      expect(r3).toMatchObject({ computed: 2, cached: 0 });
      expect(r3.vectors.get(ids[0])).toHaveLength(375);
    } finally {
      store.close();
    }
  });

  it('throws when the encoder cannot be built', async () => {
    const dir = tempDir('eodn-cache-');
    const store = ProjectStore.create(join(dir, 'p.eodn'), { name: 'x' });
    try {
      mkdirSync(join(dir, 'a'));
      copyFileSync(join(DEMO_CLIPS, demoClipNames()[0]), join(dir, 'a', 'one.wav'));
      await importDataset(store, join(dir, 'a'));
      const manifest = join(dir, 'm.json');
      writeFileSync(manifest, '{"id":"broken"}');
      await expect(embedProjectClips(store, { encoder: { kind: 'manifest', manifestPath: manifest } })).rejects.toThrow(/embedding failed: .*not a valid encoder manifest/);
    } finally {
      store.close();
    }
  });
});

describe('embedProjectClips cancellation', () => {
  it('stops on abort and keeps what it finished in the cache', async () => {
    const dir = tempDir('eodn-cache-');
    const store = ProjectStore.create(join(dir, 'p.eodn'), { name: 'cancel' });
    try {
      await importDataset(store, DEMO_CLIPS);
      const ac = new AbortController();
      const r1 = await embedProjectClips(store, {
        encoder: { kind: 'functionals' },
        workers: 1,
        batchSize: 4,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.done >= 8) ac.abort();
        },
      });
      expect(r1.cancelled).toBe(true);
      expect(r1.computed).toBeGreaterThanOrEqual(8);
      expect(r1.computed).toBeLessThan(80);
      expect(r1.errors).toEqual([]);
      const r2 = await embedProjectClips(store, { encoder: { kind: 'functionals' }, workers: 1 });
      expect(r2.cached).toBe(r1.computed);
      expect(r2.computed).toBe(80 - r1.computed);
    } finally {
      store.close();
    }
  });
});
