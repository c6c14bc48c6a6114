// Several embedding workers at once: the items are dealt round-robin to N workers (each one job, see
// embed-host), each worker's ONNX Runtime gets cores/N intra-op threads, and progress, results and
// errors are merged. Measured on 2 cores: two single-threaded workers beat one two-threaded worker,
// because most of the time per clip is single-threaded TypeScript (features) that only parallelises
// across workers.
import { availableParallelism } from 'node:os';
import type { EncoderSpec } from '../engine/encoders/create';
import type { Device, ExecutionInfo } from '../engine/encoders/types';
import { runHybridEmbedPool, runsHybrid } from './embed-hybrid';
import { startEmbedJob, type EmbedJobHandle } from './embed-host';
import type { EmbedJobItem, EmbedJobSummary, EmbedPoolOptions, EmbedPoolSummary } from './protocol';

export type { EmbedPoolOptions, EmbedPoolSummary } from './protocol';

/** Workers for a job. A GPU job gets one: ONNX Runtime's WebGPU context is one per process, shared by every
 * session in it, and runs from several worker threads at once broke it ("WebGPU device error(2):
 * [CommandEncoder] is already finished") and killed the whole process (seen on an H100 with 4 workers). */
export function poolSize(items: number, opts: { workers?: number; minItemsPerWorker?: number; device?: Device } = {}): number {
  if (opts.device === 'gpu') return 1;
  const wanted = Math.max(1, Math.floor(opts.workers ?? availableParallelism()));
  return Math.max(1, Math.min(wanted, Math.ceil(items / Math.max(1, opts.minItemsPerWorker ?? 8))));
}

export async function runEmbedPool(opts: EmbedPoolOptions): Promise<EmbedPoolSummary> {
  // The fronts' work (mel runs, or only decoding for a manifest encoder) is small: one thread each.
  if (opts.device === 'gpu' && opts.hybrid !== false && runsHybrid(opts.encoder)) return runHybridEmbedPool({ ...opts, threadsPerWorker: 1 });
  const t0 = performance.now();
  const total = opts.items.length;
  const n = poolSize(total, opts);
  const threads = Math.max(1, Math.floor(opts.threadsPerWorker ?? availableParallelism() / n));
  const shards: EmbedJobItem[][] = Array.from({ length: n }, () => []);
  opts.items.forEach((it, i) => shards[i % n].push(it));

  const doneBy = new Array<number>(n).fill(0);
  let readySent = false;
  const handles: EmbedJobHandle[] = [];
  const onAbort = () => handles.forEach((h) => h.cancel());
  if (opts.signal?.aborted) return emptySummary('cancelled', n, threads, total, t0);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    shards.forEach((items, w) => {
      if (!items.length) return;
      handles.push(
        startEmbedJob({
          workerPath: opts.workerPath,
          items,
          encoder: opts.encoder,
          device: opts.device,
          threads,
          batchSize: opts.batchSize,
          onReady: (m) => {
            if (readySent) return;
            readySent = true;
            opts.onReady?.({ encoderId: m.encoderId, dim: m.dim, execution: m.execution });
          },
          onResult: opts.onResult,
          onItemError: opts.onItemError,
          onProgress: (p) => {
            doneBy[w] = p.done;
            const done = doneBy.reduce((a, b) => a + b, 0);
            const elapsed = (performance.now() - t0) / 1000;
            const rate = elapsed > 0 ? done / elapsed : 0;
            opts.onProgress?.({ done, total, clipsPerSec: rate, etaSec: rate > 0 ? (total - done) / rate : null });
          },
        }),
      );
    });
    const jobs = await Promise.all(handles.map((h) => h.done));
    const wallSec = (performance.now() - t0) / 1000;
    const sum = (f: (j: EmbedJobSummary) => number) => jobs.reduce((a, j) => a + f(j), 0);
    const first = jobs.find((j) => j.encoderId !== null);
    const audioSec = sum((j) => j.audioSec);
    const status: EmbedJobSummary['status'] = jobs.some((j) => j.status === 'failed')
      ? 'failed'
      : jobs.some((j) => j.status === 'cancelled') || opts.signal?.aborted
        ? 'cancelled'
        : 'completed';
    return {
      status,
      workers: n,
      threadsPerWorker: threads,
      total,
      succeeded: sum((j) => j.succeeded),
      failed: sum((j) => j.failed),
      encoderId: first?.encoderId ?? null,
      dim: first?.dim ?? null,
      execution: first?.execution ?? null,
      wallSec,
      audioSec,
      realtimeFactor: wallSec > 0 ? audioSec / wallSec : 0,
      clipsPerSec: wallSec > 0 ? sum((j) => j.succeeded + j.failed) / wallSec : 0,
      errors: jobs.filter((j) => j.error).map((j) => j.error!),
      jobs,
    };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function emptySummary(status: EmbedJobSummary['status'], workers: number, threadsPerWorker: number, total: number, t0: number): EmbedPoolSummary {
  return {
    status, workers, threadsPerWorker, total, succeeded: 0, failed: 0, encoderId: null, dim: null, execution: null,
    wallSec: (performance.now() - t0) / 1000, audioSec: 0, realtimeFactor: 0, clipsPerSec: 0, errors: [], jobs: [],
  };
}
