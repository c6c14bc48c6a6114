// Embeddings of a project's clips through the project's cache: vectors already stored for (clip hash,
// segment, encoder, settings) are read back; the others are computed by the worker pool and stored in
// batches, one transaction each, as they arrive (a cancelled or crashed run keeps what it finished).
import type { Clip } from '../../shared/domain';
import { encoderCacheKey } from '../engine/embed/cache-key';
import type { EncoderSpec } from '../engine/encoders/create';
import type { BatchingInfo, Device, ExecutionInfo } from '../engine/encoders/types';
import { segmentKey, type EmbeddingKey } from '../store/embeddings';
import type { ProjectStore } from '../store/project-store';
import { runEmbedPool } from './embed-pool';
import { runsHybrid } from './embed-hybrid';
import type { EmbedJobItem } from './protocol';
import { defaultWorkerPath } from './worker-path';

export interface EmbedProjectOptions {
  encoder: EncoderSpec;
  /** Default: every clip of the project. */
  clipIds?: number[];
  workerPath?: string;
  /** Worker threads (default: the number of cores, fewer for small jobs). */
  workers?: number;
  device?: Device;
  /** Clips per encoder call in each worker (default 16). */
  batchSize?: number;
  /** done/total count every clip, cached ones included (they are done at once). */
  onProgress?: (p: { done: number; total: number; cached: number; clipsPerSec: number; etaSec: number | null }) => void;
  signal?: AbortSignal;
  /** false: only fill the cache, return no vectors (the host's step before training: saves memory there). */
  keepVectors?: boolean;
}

/** Clips looked up in the cache between two yields to the event loop (the main thread may be the caller). */
const LOOKUPS_PER_TURN = 1000;

export interface EmbedProjectResult {
  vectors: Map<number, Float32Array>;
  /** Clips embedded in this run. */
  computed: number;
  /** Clips read from the cache. */
  cached: number;
  errors: { clipId: number; file: string; error: string }[];
  /** Execution provider that computed the vectors ('cpu', 'webgpu', …); null when all were cached. */
  provider: string | null;
  /** How a manifest encoder batched its runs, with the load-time probe's reason when it batches less than
   * its manifest says; null when all were cached or the encoder batches its own way. */
  batching: BatchingInfo | null;
  /** Where the vectors were computed, as asked and as run, with every provider given up on and why (a GPU
   * request that fell back to the CPU says so here); null when all were cached. */
  execution: ExecutionInfo | null;
  /** Clips computed per second of the embedding job's wall time (workers started and model loaded included); 0 when none. */
  clipsPerSec: number;
  /** Worker threads of the embedding job (a hybrid GPU job: its CPU workers + its inference worker); 0 when all were cached. */
  workers: number;
  encoderId: string;
  seconds: number;
  /** True when the signal stopped the run: the vectors are those finished before it. */
  cancelled: boolean;
}

/** Embeddings written per transaction. */
const PUT_BATCH = 64;

export async function embedProjectClips(store: ProjectStore, opts: EmbedProjectOptions): Promise<EmbedProjectResult> {
  const t0 = performance.now();
  const { encoderId, settingsHash } = encoderCacheKey(opts.encoder);
  const ids = opts.clipIds ?? store.clipIds();
  const vectors = new Map<number, Float32Array>();
  const errors: EmbedProjectResult['errors'] = [];

  // Clips sharing bytes and segment share one embedding: compute it once.
  const pending = new Map<string, { key: EmbeddingKey; clip: Clip; clipIds: number[] }>();
  let cached = 0;
  const keep = opts.keepVectors ?? true;
  let turn = 0;
  for (const id of ids) {
    if (++turn % LOOKUPS_PER_TURN === 0) await new Promise<void>((r) => setImmediate(r));
    let clip: Clip;
    try {
      clip = store.getClip(id);
    } catch (e) {
      errors.push({ clipId: id, file: '', error: (e as Error).message });
      continue;
    }
    const key: EmbeddingKey = { clipHash: clip.hash, segment: segmentKey(clip), encoderId, settingsHash };
    const hit = store.getEmbedding(key);
    if (hit) {
      if (keep) vectors.set(id, hit);
      cached++;
      continue;
    }
    const k = `${key.clipHash}|${key.segment}`;
    const p = pending.get(k);
    if (p) p.clipIds.push(id);
    else pending.set(k, { key, clip, clipIds: [id] });
  }

  const total = ids.length;
  opts.onProgress?.({ done: cached, total, cached, clipsPerSec: 0, etaSec: null });
  let computed = 0;
  let provider: string | null = null;
  let batching: BatchingInfo | null = null;
  let execution: ExecutionInfo | null = null;
  let clipsPerSec = 0;
  let workers = 0;
  let cancelled = false;
  if (pending.size > 0) {
    const items: EmbedJobItem[] = [...pending.entries()].map(([k, p]) => ({
      key: k,
      path: p.clip.path,
      ...(p.clip.segmentStartSec != null && p.clip.segmentEndSec != null ? { segment: { startSec: p.clip.segmentStartSec, endSec: p.clip.segmentEndSec } } : {}),
    }));
    let toPut: { key: EmbeddingKey; vector: Float32Array }[] = [];
    const flush = () => {
      if (toPut.length) store.putEmbeddings(toPut);
      toPut = [];
    };
    const answered = new Set<string>();
    let summary;
    try {
      summary = await runEmbedPool({
        workerPath: opts.workerPath ?? defaultWorkerPath(),
        items,
        encoder: opts.encoder,
        device: opts.device,
        workers: opts.workers,
        batchSize: opts.batchSize,
        signal: opts.signal,
        onReady: (info) => {
          execution = info.execution;
          provider = info.execution.provider;
          batching = info.execution.batching ?? null;
        },
        onResult: (k, vector) => {
          const p = pending.get(k)!;
          answered.add(k);
          if (keep) for (const id of p.clipIds) vectors.set(id, vector);
          computed += p.clipIds.length;
          toPut.push({ key: p.key, vector });
          if (toPut.length >= PUT_BATCH) flush();
        },
        onItemError: (k, path, error) => {
          answered.add(k);
          for (const id of pending.get(k)!.clipIds) errors.push({ clipId: id, file: path, error });
        },
        onProgress: (p) => {
          opts.onProgress?.({ done: cached + computed + errors.length, total, cached, clipsPerSec: p.clipsPerSec, etaSec: p.etaSec });
        },
      });
    } finally {
      flush();
    }
    cancelled = summary.status === 'cancelled';
    clipsPerSec = summary.clipsPerSec;
    workers = summary.workers;
    if (summary.status === 'failed' && answered.size === 0)
      throw new Error(`embedding failed: ${summary.errors[0] ?? 'every worker failed'}`);
    // Items of a worker that died (or never started its encoder) get that worker's error.
    if (!cancelled) {
      const why = summary.errors[0] ?? 'no result from the embedding worker';
      for (const [k, p] of pending) if (!answered.has(k)) for (const id of p.clipIds) errors.push({ clipId: id, file: p.clip.path, error: why });
    }
  }
  return { vectors, computed, cached, errors, provider, batching, execution, clipsPerSec, workers, encoderId, seconds: (performance.now() - t0) / 1000, cancelled };
}

/** One line on how an embedding run went: provider (and every one given up on, with why), workers and clips/s. */
export function describeEmbedRun(r: Pick<EmbedProjectResult, 'execution' | 'workers' | 'clipsPerSec'>): string {
  const e = r.execution;
  if (!e) return 'embedding: every clip was cached';
  const where = e.requested === 'gpu' && e.provider === 'cpu' ? 'cpu (GPU asked for)' : e.provider;
  const how = e.requested === 'gpu' && r.workers > 1 ? `${r.workers - 1} CPU worker${r.workers > 2 ? 's' : ''} + 1 inference worker` : `${r.workers} worker${r.workers === 1 ? '' : 's'}`;
  const fell = e.fallbacks.length ? `; fell back from ${e.fallbacks.join(' | ')}` : '';
  return `embedding: ${where}, ${how}, ${r.clipsPerSec.toFixed(1)} clips/s${fell}`;
}

/**
 * The device an embedding run of `encoder` asks for when the studio's setting ("Embedding device") is `chosen`:
 * a GPU only for an encoder the hybrid job runs (the ONNX ones: the bundled speech embeddings, a manifest encoder);
 * the functionals encoder is plain TypeScript, so it runs on the CPU pool, with that as the reason.
 */
export function deviceForEncoder(encoder: EncoderSpec, chosen: Device | undefined): { device: Device; reason?: string } {
  if (chosen !== 'gpu') return { device: 'cpu' };
  if (runsHybrid(encoder)) return { device: 'gpu' };
  return { device: 'cpu', reason: `${encoder.kind}: this encoder is plain TypeScript with no ONNX model, so it runs on the CPU` };
}

/** Why a run that asked for a GPU computed on the CPU ("cuda: … | webgpu: …"); null when it asked for none or got one. */
export function gpuFallback(execution: ExecutionInfo | null | undefined): string | null {
  if (!execution || execution.requested !== 'gpu' || execution.provider === 'cuda' || execution.provider === 'webgpu') return null;
  return execution.fallbacks.length ? execution.fallbacks.join(' | ') : 'no GPU execution provider loaded';
}

/** A training job's message when its embedding run ends (the status bar shows it; provider, clips/s and encoder
 * also travel as fields): "embedded 80 clips with toy-w2v on cpu at 75.0 clips/s (fell back from cuda: …)"; a GPU
 * request that ran on the CPU says so first: "GPU asked for, ran on CPU: cuda: … | webgpu: … — embedded 80 clips …". */
export function embedRunMessage(r: Pick<EmbedProjectResult, 'execution' | 'computed' | 'clipsPerSec' | 'encoderId' | 'provider'>): string {
  const what = `embedded ${r.computed} clip${r.computed === 1 ? '' : 's'} with ${r.encoderId}`;
  const gpuMiss = gpuFallback(r.execution);
  if (gpuMiss !== null) return `GPU asked for, ran on CPU: ${gpuMiss} — ${what} at ${r.clipsPerSec.toFixed(1)} clips/s`;
  const fell = r.execution?.fallbacks.length ? ` (fell back from ${r.execution.fallbacks.join(' | ')})` : '';
  return `${what} on ${r.provider ?? 'nothing'} at ${r.clipsPerSec.toFixed(1)} clips/s${fell}`;
}
