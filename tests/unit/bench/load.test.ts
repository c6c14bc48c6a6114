// The load bench on a small synthetic project: every step runs through the studio's code and reports
// consistent figures (times are reported, never asserted).
import { describe, expect, it } from 'vitest';
import { benchLoad, formatLoadBench } from '../../../src-main/bench/load';

describe('load bench', () => {
  it('imports, pages, annotates and trains a synthetic project, reporting peak RSS', async () => {
    const b = await benchLoad({ clips: 3000, annotations: 600, burst: 50, epochs: 5 });
    expect(b.clips).toBe(3000);
    expect(b.missingFlagged).toBe(3000); // synthetic paths: no audio behind them
    expect(b.pages).toHaveLength(6);
    expect(b.annotate).toMatchObject({ count: 600, bursts: 12, burstSize: 50 });
    expect(b.train.predictions).toBe(3000);
    // 4 of 5 clips carry an import label, 5 of the 7 classes are known.
    expect(b.train.trainRows).toBeGreaterThan(1500);
    expect(b.train.trainRows).toBeLessThan(2000);
    expect(b.peakRssMb.overall).toBeGreaterThanOrEqual(b.peakRssMb.train);
    expect(b.peakRssMb.train).toBeGreaterThan(0);
    expect(formatLoadBench(b)).toMatch(/load: 3000 clips.*\n[\s\S]*peak RSS: import \d+ MiB/);
  });
});
