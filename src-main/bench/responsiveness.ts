// Responsiveness of the main thread while a heavy phase runs, measured where the annotator would feel it:
// the event loop's delay (perf_hooks histogram) and the latency of real API calls issued every ~200 ms, as a
// renderer would issue them. Jobs are meant to run in workers; a phase that does heavy synchronous work on the
// main thread shows up here as a long event-loop delay and as late answers.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** One API call to issue during a phase (e.g. a clips.list page through StudioService.dispatch). */
export interface Probe {
  name: string;
  call: () => unknown;
}

export interface LatencyStats {
  /** Answered calls (or event-loop samples). */
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface CallStats extends LatencyStats {
  /** Calls that threw (their latency is still counted). */
  errors: number;
  firstError?: string;
}

export interface PhaseReport {
  name: string;
  seconds: number;
  /** RSS of the process (worker threads included) when the phase started, and its peak during the phase. */
  startRssMb: number;
  peakRssMb: number;
  /**
   * How late the main thread's event loop ran timers (0 when it was never busy beyond the resolution); `maxMs`
   * also counts the longest stretch without any timer, so a phase that is one synchronous block shows it.
   */
  eventLoop: LatencyStats & { meanMs: number };
  calls: Record<string, CallStats>;
}

export interface MeasureOptions {
  probes?: readonly Probe[];
  /** Time between rounds of calls (default 200 ms). */
  intervalMs?: number;
  /** Event-loop histogram resolution (default 10 ms: finer sampling costs the loop itself). */
  resolutionMs?: number;
}

/** Nearest-rank percentile of unsorted values (0 when there are none). */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function latencyStats(values: readonly number[]): LatencyStats {
  return { n: values.length, p50Ms: percentile(values, 50), p99Ms: percentile(values, 99), maxMs: values.length ? Math.max(...values) : 0 };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Runs `fn` while sampling RSS (every 25 ms), the event loop's delay, and the latency of each probe. A call's
 * latency runs from the moment it was due (the round's tick, or the previous call's answer in the same round) to
 * its answer: a tick that fires late because the loop was blocked counts against the first call of the round,
 * as a click would wait for it.
 */
export async function measurePhase<T>(name: string, fn: () => Promise<T>, opts: MeasureOptions = {}): Promise<{ value: T; phase: PhaseReport }> {
  const probes = opts.probes ?? [];
  const interval = opts.intervalMs ?? 200;
  const startRss = process.memoryUsage.rss();
  let peak = startRss;
  // The same 25 ms timer finds the longest stretch the main thread ran no timer at all: the histogram below
  // records nothing during a phase that is one synchronous block, so this is what catches one.
  let lastTick = performance.now();
  let longestGap = 0;
  const rssTimer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    const now = performance.now();
    longestGap = Math.max(longestGap, now - lastTick);
    lastTick = now;
  }, 25);
  const loop = monitorEventLoopDelay({ resolution: opts.resolutionMs ?? 10 });
  const samples = new Map<string, number[]>(probes.map((p) => [p.name, []]));
  const errors = new Map<string, { count: number; first?: string }>(probes.map((p) => [p.name, { count: 0 }]));

  let running = true;
  const probing = (async () => {
    let due = performance.now() + interval;
    while (running && probes.length) {
      await sleep(due - performance.now());
      if (!running) break;
      // A timer may fire a little early (ms rounding): then the call was due when it ran.
      let from = Math.min(due, performance.now());
      for (const p of probes) {
        try {
          await p.call();
        } catch (e) {
          const err = errors.get(p.name)!;
          err.count++;
          err.first ??= (e as Error).message;
        }
        const now = performance.now();
        samples.get(p.name)!.push(now - from);
        from = now;
      }
      // A round that overran the interval starts the next one at once rather than piling rounds up.
      due = Math.max(due + interval, performance.now());
    }
  })();

  const t0 = performance.now();
  loop.enable();
  let value: T;
  try {
    value = await fn();
  } finally {
    longestGap = Math.max(longestGap, performance.now() - lastTick);
    loop.disable();
    running = false;
    clearInterval(rssTimer);
    await probing;
  }
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, process.memoryUsage.rss());
  const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
  // The histogram records each sample's delay plus the resolution itself: subtract it to report the lateness.
  const res = opts.resolutionMs ?? 10;
  const late = (ns: number) => Math.max(0, ms(ns) - res);
  const eventLoop = {
    n: loop.count,
    p50Ms: loop.count ? late(loop.percentile(50)) : 0,
    p99Ms: loop.count ? late(loop.percentile(99)) : 0,
    maxMs: Math.max(loop.count ? late(loop.max) : 0, longestGap - 25),
    meanMs: loop.count ? late(loop.mean) : 0,
  };
  const calls: Record<string, CallStats> = {};
  for (const p of probes) {
    const err = errors.get(p.name)!;
    calls[p.name] = { ...latencyStats(samples.get(p.name)!), errors: err.count, ...(err.first ? { firstError: err.first } : {}) };
  }
  return { value, phase: { name, seconds, startRssMb: startRss / 2 ** 20, peakRssMb: peak / 2 ** 20, eventLoop, calls } };
}
