// The responsiveness sampler on tiny phases: it returns sane numbers (times are reported, never asserted
// against a limit), counts calls and their errors, and notices a phase that blocks the main thread.
import { describe, expect, it } from 'vitest';
import { latencyStats, measurePhase, percentile } from '../../../src-main/bench/responsiveness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('percentile and latencyStats', () => {
  it('use the nearest rank', () => {
    const v = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 99)).toBe(10);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile([], 50)).toBe(0);
    expect(latencyStats(v)).toEqual({ n: 10, p50Ms: 5, p99Ms: 10, maxMs: 10 });
  });
});

describe('measurePhase', () => {
  it('samples the event loop and issues each probe every interval while the phase runs', async () => {
    let calls = 0;
    const { value, phase } = await measurePhase(
      'idle',
      async () => {
        await sleep(300);
        return 42;
      },
      {
        intervalMs: 20,
        probes: [
          { name: 'sync', call: () => calls++ },
          { name: 'async', call: () => sleep(1) },
          { name: 'fails', call: () => { throw new Error('no project is open'); } },
        ],
      },
    );
    expect(value).toBe(42);
    expect(phase.name).toBe('idle');
    expect(phase.seconds).toBeGreaterThan(0.25);
    expect(phase.startRssMb).toBeGreaterThan(10);
    expect(phase.peakRssMb).toBeGreaterThanOrEqual(phase.startRssMb);
    expect(phase.eventLoop.n).toBeGreaterThan(0);
    expect(phase.eventLoop.p50Ms).toBeGreaterThanOrEqual(0);
    expect(phase.eventLoop.p50Ms).toBeLessThanOrEqual(phase.eventLoop.p99Ms);
    expect(phase.eventLoop.p99Ms).toBeLessThanOrEqual(phase.eventLoop.maxMs);
    // Rounds every 20 ms over 300 ms: some rounds ran (how many depends on the machine's load).
    expect(phase.calls.sync.n).toBeGreaterThan(2);
    expect(phase.calls.sync.n).toBe(calls);
    expect(phase.calls.async.n).toBe(calls);
    expect(phase.calls.async.p50Ms).toBeGreaterThan(0.5); // it awaited a timer of 1 ms
    for (const c of Object.values(phase.calls)) {
      expect(c.p50Ms).toBeGreaterThanOrEqual(0);
      expect(c.p50Ms).toBeLessThanOrEqual(c.p99Ms);
      expect(c.p99Ms).toBeLessThanOrEqual(c.maxMs);
    }
    expect(phase.calls.fails).toMatchObject({ n: calls, errors: calls, firstError: 'no project is open' });
    expect(phase.calls.sync.errors).toBe(0);
  });

  it('reports a synchronous block of the main thread as event-loop delay and as a late call', async () => {
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const { phase } = await measurePhase(
      'blocking',
      async () => {
        await sleep(60);
        busy(250);
        await sleep(60);
      },
      { intervalMs: 20, probes: [{ name: 'ping', call: () => undefined }] },
    );
    expect(phase.eventLoop.maxMs).toBeGreaterThan(150);
    expect(phase.calls.ping.maxMs).toBeGreaterThan(150);
  });

  it('catches a phase that is one synchronous block (no timer ran at all)', async () => {
    const { phase } = await measurePhase('one block', async () => {
      const end = performance.now() + 200;
      while (performance.now() < end);
    });
    expect(phase.eventLoop.maxMs).toBeGreaterThan(150);
    expect(phase.calls).toEqual({});
  });
});
