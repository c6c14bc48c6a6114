// The load bench on a small project: every step runs through the studio's code (StudioService, the import job,
// the training worker, the VAD, the embedding pool) and reports consistent figures (times are reported, never
// asserted).
import { describe, expect, it } from 'vitest';
import { benchLoad, formatLoadBench } from '../../../src-main/bench/load';

describe('load bench', () => {
  it('pages, annotates, trains, imports, segments and embeds a small project, reporting each phase', async () => {
    const b = await benchLoad({ clips: 3000, annotations: 600, burst: 50, epochs: 5, audioHours: 0.1, fileSec: 180, probeIntervalMs: 50 });
    expect(b.clips).toBe(3000);
    expect(b.missingFlagged).toBe(3000); // synthetic paths: no audio behind them
    expect(b.pages).toHaveLength(6);
    expect(b.annotate).toMatchObject({ count: 600, bursts: 12, burstSize: 50 });
    expect(b.train.state).toBe('done');
    expect(b.train.predictions).toBe(3000);
    // 4 of 5 clips carry an import label, 5 of the 7 classes are known.
    expect(b.train.trainRows).toBeGreaterThan(1500);
    expect(b.train.trainRows).toBeLessThan(2000);

    // 6 minutes of audio in two 3-minute files; the VAD finds about one segment per written utterance.
    const a = b.audio!;
    expect(a).toMatchObject({ files: 2, clipsImported: 2, encoder: 'speech-embedding-only' });
    expect(a.segments).toBeGreaterThan(0.7 * a.utterancesWritten);
    expect(a.segments).toBeLessThan(1.5 * a.utterancesWritten);
    expect(a.speechSec).toBeGreaterThan(60);
    expect(a.speechSec).toBeLessThan(360);
    // First the first file's segments, then all of them: the first file's come back from the cache.
    expect(a.embeds).toHaveLength(2);
    const [one, all] = a.embeds;
    expect(one.errors + all.errors).toBe(0);
    expect(one.computed).toBe(one.clips);
    expect(all.clips).toBe(a.segments);
    expect(all.cached).toBe(one.clips);
    expect(all.computed).toBe(a.segments - one.clips);
    expect(one.speechSec + all.speechSec).toBeCloseTo(a.speechSec, 3);

    expect(b.phases.map((p) => p.name).slice(0, 4)).toEqual([
      'create synthetic project',
      'review (annotations.add bursts)',
      'train (training worker)',
      'import audio + VAD (import job, worker)',
    ]);
    expect(b.phases.slice(4).map((p) => p.name.split(' ')[0])).toEqual(['embed', 'embed']);
    for (const p of b.phases.slice(1)) {
      expect(Object.keys(p.calls)).toEqual(['clips.list', 'annotations.add', 'predictions.forClip']);
      for (const c of Object.values(p.calls)) expect(c.errors).toBe(0);
      expect(p.peakRssMb).toBeGreaterThanOrEqual(p.startRssMb);
    }
    expect(b.peakRssMb.overall).toBeGreaterThanOrEqual(b.peakRssMb.train);
    expect(b.processMaxRssMb).toBeGreaterThanOrEqual(b.peakRssMb.overall * 0.99);
    expect(formatLoadBench(b)).toMatch(/load: 3000 clips[\s\S]*embed [\d.]+ h \(speech-embedding-only\)[\s\S]*phases[\s\S]*peak RSS: import \d+ MiB/);
  }, 120_000);
});
