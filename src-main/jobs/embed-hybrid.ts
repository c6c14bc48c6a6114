// The hybrid GPU job: N CPU workers decode, resample and compute the encoder's front (mel frames +
// acoustic functionals), while ONE worker owns the embedding session (WebGPU; ONNX Runtime's WebGPU
// context breaks when several threads of one process run it) and runs the embedding graph over large
// batches of clips. The host joins the halves per clip. Why: on 16 cores a single GPU worker doing
// everything reached 81× realtime, 16 CPU workers 314×, because the functionals (TypeScript, ~19 ms per
// clip) dominate and only parallelise across workers. Same job protocol as the pool: progress, cancel
// (fronts stop after their batch; what they already produced is still embedded), per-file errors.
// A manifest encoder (docs/encoders/README.md) runs the same way: its fronts only decode and resample to the
// manifest's rate, and the one inference worker runs the whole ONNX encoder on large batches of those clips
// (grouped by length, up to the manifest's maxBatch / maxBatchSamples per run). A GPU request falls back to
// the CPU provider with the reason in `execution.fallbacks`; with the CPU provider the inference worker is the
// "device" worker all the same (how the tests run it).
import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { EncoderSpec } from '../engine/encoders/create';
import { isSplittable, joinSplit } from '../engine/encoders/split';
import type { ExecutionInfo } from '../engine/encoders/types';
import { spawnWorker, startEmbedJob, type EmbedJobHandle } from './embed-host';
import type { EmbedJobItem, EmbedJobSummary, EmbedPoolOptions, EmbedPoolSummary, HostToWorker, WorkerToHost } from './protocol';

export interface HybridEmbedOptions extends EmbedPoolOptions {
  /** CPU workers for the front (default: cores − 1, leaving one for the embedding worker). */
  workers?: number;
  /** Intra-op threads of the embedding worker's session (matters on the CPU provider; default 1, for a
   * manifest encoder the number of cores: its fronts only decode, and finish early). */
  backThreads?: number;
  /** Clips per batch sent to the embedding worker (default 64: ~1,000 windows of a 2-s clip; for a manifest
   * encoder at least 2 × the clips per call it asks for, i.e. 4 × its maxBatch, so that its length groups fill). */
  backBatchClips?: number;
  /** Clips decoded but not yet embedded at most, before the fronts are held (default: 4 × the back's batch, at
   * least 256): decoding outruns a slow encoder, and a large job's queued audio must not fill the memory. */
  maxQueuedClips?: number;
}

/** Encoders the hybrid job can run: the default one (split in two) and any manifest encoder (whole in the back). */
export function runsHybrid(spec: EncoderSpec): boolean {
  return isSplittable(spec) || spec.kind === 'manifest';
}

type Front = Extract<WorkerToHost, { type: 'front' }>;

export async function runHybridEmbedPool(opts: HybridEmbedOptions): Promise<EmbedPoolSummary> {
  const t0 = performance.now();
  const total = opts.items.length;
  if (!runsHybrid(opts.encoder)) throw new Error(`encoder ${opts.encoder.kind} cannot run as a hybrid job`);
  const manifest = opts.encoder.kind === 'manifest' ? opts.encoder : undefined;
  const wanted = Math.max(1, Math.floor(opts.workers ?? availableParallelism() - 1));
  const n = Math.max(1, Math.min(wanted, Math.ceil(total / Math.max(1, opts.minItemsPerWorker ?? 8))));
  const threads = Math.max(1, Math.floor(opts.threadsPerWorker ?? 1));
  // A manifest encoder's own batch size is known once its worker has loaded it (back-ready).
  let batchClips = Math.max(1, opts.backBatchClips ?? 64);
  const shards: EmbedJobItem[][] = Array.from({ length: n }, () => []);
  opts.items.forEach((it, i) => shards[i % n].push(it));

  let succeeded = 0;
  let failed = 0;
  let audioSec = 0;
  const errors: string[] = [];
  const emitProgress = () => {
    const done = succeeded + failed;
    const elapsed = (performance.now() - t0) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    opts.onProgress?.({ done, total, clipsPerSec: rate, etaSec: rate > 0 ? (total - done) / rate : null });
  };
  const answered = new Set<string>();
  const itemError = (key: string, path: string, error: string) => {
    answered.add(key);
    failed++;
    opts.onItemError?.(key, path, error);
    emitProgress();
  };
  const pathOf = new Map(opts.items.map((it) => [it.key, it.path]));

  // Readiness: the encoder's id and dim come from a front (from the back for a manifest encoder, which the back
  // runs whole), the execution from the embedding worker.
  let frontInfo: { encoderId: string; dim: number } | null = null;
  let backWhole: { encoderId: string; dim: number } | null = null;
  let backExecution: ExecutionInfo | null = null;
  let readySent = false;
  const maybeReady = () => {
    const info = manifest ? backWhole : frontInfo;
    if (readySent || !info || !backExecution) return;
    readySent = true;
    opts.onReady?.({ ...info, execution: backExecution });
  };

  // The embedding worker.
  const backId = randomUUID();
  const back = spawnWorker(opts.workerPath);
  const backT0 = performance.now();
  let backLoadSec = 0;
  let backError: string | undefined;
  const inflight = new Map<number, Front[]>();
  let pending: Front[] = [];
  let inflightClips = 0;
  let nextBatch = 0;
  let backEnded = false;
  const send = (m: HostToWorker) => back.postMessage(m);
  const flush = () => {
    if (!pending.length || backError) return;
    const batch = pending;
    pending = [];
    const batchId = nextBatch++;
    inflight.set(batchId, batch);
    inflightClips += batch.length;
    send({ type: 'back-batch', jobId: backId, batchId, keys: batch.map((f) => f.key), inputs: batch.map((f) => f.input) });
  };
  const handles: EmbedJobHandle[] = [];
  // Back-pressure: the fronts are held while too many clips wait for the inference worker, released at half.
  // While held, whatever waits goes to the inference worker at once (a front may still finish the batch it
  // was in): its answers are what releases the fronts, so nothing may wait for a fuller batch meanwhile.
  let holding = false;
  const throttle = () => {
    const cap = Math.max(1, opts.maxQueuedClips ?? Math.max(256, 4 * batchClips));
    if (!holding && pending.length + inflightClips >= cap && !backError) {
      holding = true;
      handles.forEach((h) => h.hold(true));
    }
    if (holding) flush();
    if (holding && (pending.length + inflightClips <= cap / 2 || backError)) {
      holding = false;
      handles.forEach((h) => h.hold(false));
    }
  };
  const backDone = new Promise<void>((resolve) => {
    let finished = false;
    const finish = (error?: string) => {
      if (finished) return;
      finished = true;
      if (error) {
        backError = error;
        errors.push(error);
        handles.forEach((h) => h.cancel());
        // Whatever the embedding worker still held is lost: per-item errors keep the caller's count whole.
        for (const batch of [...inflight.values(), pending]) for (const f of batch) itemError(f.key, pathOf.get(f.key) ?? '', error);
        inflight.clear();
        inflightClips = 0;
        pending = [];
        throttle();
      }
      void back.terminate();
      resolve();
    };
    back.on('message', (m: WorkerToHost) => {
      if (m.type === 'back-ready') {
        backLoadSec = m.loadSec;
        backExecution = m.execution;
        if (m.whole) {
          backWhole = { encoderId: m.whole.encoderId, dim: m.whole.dim };
          if (opts.backBatchClips === undefined) batchClips = Math.max(batchClips, 2 * (m.whole.preferredBatch ?? 0));
          if (pending.length >= batchClips) flush();
        }
        maybeReady();
      } else if (m.type === 'back-out') {
        const batch = inflight.get(m.batchId) ?? [];
        inflight.delete(m.batchId);
        inflightClips -= batch.length;
        batch.forEach((f, k) => {
          const v = m.vectors[k];
          if (!v) return itemError(f.key, pathOf.get(f.key) ?? '', m.errors[k] ?? 'encoder failed');
          succeeded++;
          answered.add(f.key);
          audioSec += f.durationSec;
          opts.onResult?.(f.key, joinSplit(v, f.tail), f.durationSec);
          emitProgress();
        });
        throttle();
      } else if (m.type === 'back-done') finish(m.error);
    });
    back.on('error', (e) => finish(`embedding worker crashed: ${e.message}`));
    back.on('exit', (code) => finish(backEnded && !inflight.size ? undefined : `embedding worker exited with code ${code} before finishing`));
  });
  send({ type: 'back-start', jobId: backId, device: opts.device, threads: opts.backThreads ?? (manifest ? availableParallelism() : 1), ...(manifest ? { encoder: manifest } : {}) });

  const onAbort = () => handles.forEach((h) => h.cancel());
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let jobs: EmbedJobSummary[] = [];
  try {
    shards.forEach((items) => {
      if (!items.length) return;
      handles.push(
        startEmbedJob({
          workerPath: opts.workerPath,
          items,
          encoder: opts.encoder,
          device: 'cpu',
          threads,
          batchSize: opts.batchSize,
          stage: 'front',
          onReady: (m) => {
            frontInfo ??= { encoderId: m.encoderId, dim: m.dim };
            maybeReady();
          },
          onItemError: itemError,
          onFront: (m) => {
            if (backError) return itemError(m.key, pathOf.get(m.key) ?? '', backError);
            pending.push(m);
            if (pending.length >= batchClips) flush();
            throttle();
          },
        }),
      );
    });
    if (opts.signal?.aborted) onAbort();
    jobs = await Promise.all(handles.map((h) => h.done));
    flush();
    backEnded = true;
    send({ type: 'back-end', jobId: backId });
    await backDone;
    // A failed inference worker stopped the fronts: the clips they never got to fail with its error too.
    if (backError) for (const it of opts.items) if (!answered.has(it.key)) itemError(it.key, it.path, backError);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!backEnded) void back.terminate();
  }

  const wallSec = (performance.now() - t0) / 1000;
  // Set in callbacks, which TS does not follow.
  const info = (manifest ? backWhole : frontInfo) as { encoderId: string; dim: number } | null;
  const frontFailed = jobs.find((j) => j.status === 'failed');
  for (const j of jobs) if (j.error) errors.push(j.error);
  const status: EmbedJobSummary['status'] =
    frontFailed || backError ? 'failed' : jobs.some((j) => j.status === 'cancelled') || opts.signal?.aborted ? 'cancelled' : 'completed';
  const backSummary: EmbedJobSummary = {
    jobId: backId, status: backError ? 'failed' : 'completed', total, succeeded, failed: 0,
    encoderId: info?.encoderId ?? null, dim: info?.dim ?? null, execution: backExecution,
    wallSec: (performance.now() - backT0) / 1000, loadSec: backLoadSec, audioSec, clipsPerSec: 0, realtimeFactor: 0,
    ...(backError ? { error: backError } : {}),
  };
  return {
    status,
    workers: n + 1,
    threadsPerWorker: threads,
    total,
    succeeded,
    failed,
    encoderId: info?.encoderId ?? null,
    dim: info?.dim ?? null,
    execution: backExecution,
    wallSec,
    audioSec,
    realtimeFactor: wallSec > 0 ? audioSec / wallSec : 0,
    clipsPerSec: wallSec > 0 ? (succeeded + failed) / wallSec : 0,
    errors,
    jobs: [...jobs, backSummary],
  };
}
