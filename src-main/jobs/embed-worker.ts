// Worker thread entry: runs one embedding job per 'start' message, in batches, reporting progress,
// results and per-item errors as it goes; a 'cancel' takes effect between batches.
import { parentPort } from 'node:worker_threads';
import { createEncoder, createEncoderOrCpu, type EncoderSpec } from '../engine/encoders/create';
import type { AudioEncoder, Device, ExecutionInfo } from '../engine/encoders/types';
import { embedItems, prepareItems, type EmbedOutcome } from '../engine/embed/embed-file';
import { readManifest } from '../engine/encoders/manifest';
import { createSplitFront } from '../engine/encoders/split';
import { createWindowEmbedder } from '../engine/encoders/speech-embedding';
import { findUtterances } from '../engine/audio/utterances';
import { createVad, type Vad } from '../engine/audio/vad';
import type { EmbedJobRequest, EmbedJobSummary, HostToWorker, WorkerToHost } from './protocol';

const port = parentPort;
if (!port) throw new Error('embed-worker must run in a worker thread');

const cancelled = new Set<string>();
/** Jobs held by their host (the hybrid job's fronts while the inference worker has enough queued). */
const held = new Set<string>();
const post = (m: WorkerToHost) => port.postMessage(m);
/** Lets queued 'cancel' messages in between batches. */
const yieldToEvents = () => new Promise<void>((r) => setImmediate(r));

port.on('message', (m: HostToWorker) => {
  if (m.type === 'cancel') cancelled.add(m.jobId);
  else if (m.type === 'hold') {
    if (m.hold) held.add(m.jobId);
    else held.delete(m.jobId);
  }
  else if (m.type === 'start') void runJob(m.job);
  else if (m.type === 'back-start' || m.type === 'back-batch' || m.type === 'back-end') onBack(m);
  else if (m.type === 'utterances') void onUtterances(m);
});

// Long recordings → utterances: one VAD model per worker, files one after another (the model is stateful).
let vad: Promise<Vad> | null = null;
let vadQueue: Promise<void> = Promise.resolve();

function onUtterances(m: Extract<HostToWorker, { type: 'utterances' }>): Promise<void> {
  vadQueue = vadQueue.then(async () => {
    try {
      vad ??= createVad();
      const { segments, fileDurationSec } = await findUtterances(m.path, await vad);
      post({ type: 'utterances-out', jobId: m.jobId, path: m.path, segments, fileDurationSec });
    } catch (e) {
      post({ type: 'utterances-error', jobId: m.jobId, path: m.path, error: (e as Error).message.split('\n')[0] });
    }
  });
  return vadQueue;
}

/** The hybrid job's CPU half: the default encoder's mel frames + functionals, or for a manifest encoder the
 * clip decoded and resampled to its rate (the manifest is read and checked, no model loaded). */
interface FrontStage {
  encoderId: string;
  /** 0 for a manifest encoder: its back tells the dimension. */
  dim: number;
  sampleRate: number;
  execution: ExecutionInfo;
  run(clip: Float32Array): Promise<{ input: Float32Array; tail: Float32Array }>;
  dispose(): Promise<void>;
}

async function createFront(spec: EncoderSpec, threads: number | undefined): Promise<FrontStage> {
  if (spec.kind === 'manifest') {
    const m = await readManifest(spec.manifestPath);
    const none = new Float32Array(0);
    // A view of a larger buffer would be cloned whole on its way to the host: send the clip's own samples.
    const own = (c: Float32Array) => (c.byteOffset === 0 && c.byteLength === c.buffer.byteLength ? c : c.slice());
    return {
      encoderId: m.id, dim: 0, sampleRate: m.sampleRate, execution: { requested: 'cpu', provider: 'js', fallbacks: [] },
      run: async (clip) => ({ input: own(clip), tail: none }),
      dispose: async () => {},
    };
  }
  const f = await createSplitFront(spec, { threads });
  return {
    encoderId: f.encoderId, dim: f.dim, sampleRate: f.sampleRate, execution: f.execution,
    run: async (clip) => {
      const { mel, tail } = await f.run(clip);
      return { input: mel, tail };
    },
    dispose: () => f.dispose(),
  };
}

/** The hybrid job's CPU half for a batch: prepared audio → the back's input + the front's tail, posted per item. */
async function runFront(front: FrontStage, jobId: string, items: EmbedJobRequest['items']): Promise<EmbedOutcome[]> {
  const { outcomes, ready } = await prepareItems(items, front.sampleRate);
  for (const r of ready) {
    const it = items[r.i];
    try {
      const { input, tail } = await front.run(r.audio.samples);
      post({ type: 'front', jobId, key: it.key, input, tail, durationSec: r.audio.durationSec });
      outcomes[r.i] = { ok: true, result: { vector: tail, encoderId: front.encoderId, durationSec: r.audio.durationSec, source: r.audio.source } };
    } catch (e) {
      outcomes[r.i] = { ok: false, file: it.path, error: `encoder failed: ${(e as Error).message.split('\n')[0]}` };
    }
  }
  return outcomes;
}

// The hybrid job's inference half: batches run one after another (a WebGPU session must not run twice at once).
interface BackStage {
  execution: ExecutionInfo;
  whole?: { encoderId: string; dim: number; preferredBatch?: number };
  run(inputs: Float32Array[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
let back: { jobId: string; embedder: Promise<BackStage> } | null = null;
let backQueue: Promise<void> = Promise.resolve();

/** A manifest encoder, whole; a GPU request it fails to load on is loaded again on the CPU, with the reason. */
async function createManifestBack(spec: Extract<EncoderSpec, { kind: 'manifest' }>, device: Device | undefined, threads: number | undefined): Promise<BackStage> {
  const { encoder: enc, execution } = await createEncoderOrCpu(spec, { device, threads });
  return {
    execution,
    whole: { encoderId: enc.id, dim: enc.dim, ...(enc.preferredBatch ? { preferredBatch: enc.preferredBatch } : {}) },
    run: (inputs) => enc.embed(inputs),
    dispose: () => enc.dispose(),
  };
}

async function createBack(m: Extract<HostToWorker, { type: 'back-start' }>): Promise<BackStage> {
  if (m.encoder) return createManifestBack(m.encoder, m.device, m.threads);
  const e = await createWindowEmbedder({ device: m.device, threads: m.threads });
  return { execution: e.execution, run: (mels) => e.embedFrames(mels), dispose: () => e.dispose() };
}

function onBack(m: Extract<HostToWorker, { type: 'back-start' | 'back-batch' | 'back-end' }>): void {
  if (m.type === 'back-start') {
    const t0 = performance.now();
    const embedder = createBack(m);
    back = { jobId: m.jobId, embedder };
    embedder.then(
      (e) => post({ type: 'back-ready', jobId: m.jobId, execution: e.execution, loadSec: (performance.now() - t0) / 1000, ...(e.whole ? { whole: e.whole } : {}) }),
      (e) => post({ type: 'back-done', jobId: m.jobId, error: `${m.encoder ? 'encoder' : 'embedding model'} not loaded: ${(e as Error).message}` }),
    );
    return;
  }
  const current = back;
  if (!current || current.jobId !== m.jobId) return;
  backQueue = backQueue.then(async () => {
    const embedder = await current.embedder.catch(() => null);
    if (!embedder) return;
    if (m.type === 'back-end') {
      await embedder.dispose().catch(() => {});
      post({ type: 'back-done', jobId: m.jobId });
      return;
    }
    const vectors: (Float32Array | null)[] = new Array(m.keys.length).fill(null);
    const errors: (string | null)[] = new Array(m.keys.length).fill(null);
    try {
      (await embedder.run(m.inputs)).forEach((v, k) => (vectors[k] = v));
    } catch {
      // As in the single-worker path: one clip the model rejects must not cost the whole batch.
      for (const [k, input] of m.inputs.entries()) {
        try {
          vectors[k] = (await embedder.run([input]))[0];
        } catch (e) {
          errors[k] = `encoder failed: ${(e as Error).message.split('\n')[0]}`;
        }
      }
    }
    post({ type: 'back-out', jobId: m.jobId, batchId: m.batchId, keys: m.keys, vectors, errors });
  });
}

async function runJob(job: EmbedJobRequest): Promise<void> {
  const t0 = performance.now();
  const total = job.items.length;
  const summary: EmbedJobSummary = {
    jobId: job.jobId, status: 'completed', total, succeeded: 0, failed: 0, encoderId: null, dim: null,
    execution: null, wallSec: 0, loadSec: 0, audioSec: 0, clipsPerSec: 0, realtimeFactor: 0,
  };
  let encoder: AudioEncoder | null = null;
  let front: FrontStage | null = null;
  try {
    let info: { id: string; dim: number; execution: AudioEncoder['execution'] };
    if (job.stage === 'front') {
      front = await createFront(job.encoder, job.threads);
      info = { id: front.encoderId, dim: front.dim, execution: front.execution };
    } else {
      encoder = await createEncoder(job.encoder, { device: job.device, threads: job.threads });
      info = encoder;
    }
    summary.loadSec = (performance.now() - t0) / 1000;
    Object.assign(summary, { encoderId: info.id, dim: info.dim, execution: info.execution });
    post({ type: 'ready', jobId: job.jobId, encoderId: info.id, dim: info.dim, execution: info.execution, loadSec: summary.loadSec });
    // A batching encoder (a manifest encoder: clips grouped by length per run) gets at least the clips it
    // asks for per call, so that its groups can fill up.
    const batchSize = Math.max(1, job.batchSize ?? 16, encoder?.preferredBatch ?? 0);
    const tRun = performance.now();
    let done = 0;
    for (let i = 0; i < total; i += batchSize) {
      await yieldToEvents();
      while (held.has(job.jobId) && !cancelled.has(job.jobId)) await new Promise<void>((r) => setTimeout(r, 10));
      if (cancelled.has(job.jobId)) {
        summary.status = 'cancelled';
        break;
      }
      const items = job.items.slice(i, i + batchSize);
      const out = front ? await runFront(front, job.jobId, items) : await embedItems(items, encoder!);
      const outcomes = new Map(items.map((it, k) => [it.key, out[k]]));
      for (const it of items) {
        const o = outcomes.get(it.key)!;
        if (o.ok) {
          summary.succeeded++;
          summary.audioSec += o.result.durationSec;
          if (!front) post({ type: 'result', jobId: job.jobId, key: it.key, vector: o.result.vector, durationSec: o.result.durationSec });
        } else {
          summary.failed++;
          post({ type: 'item-error', jobId: job.jobId, key: it.key, path: it.path, error: o.error });
        }
      }
      done += items.length;
      const elapsed = (performance.now() - tRun) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      post({ type: 'progress', jobId: job.jobId, done, total, clipsPerSec: rate, etaSec: rate > 0 ? (total - done) / rate : null });
    }
  } catch (e) {
    summary.status = 'failed';
    summary.error = (e as Error).message;
  } finally {
    await encoder?.dispose().catch(() => {});
    await front?.dispose().catch(() => {});
    cancelled.delete(job.jobId);
    held.delete(job.jobId);
    summary.wallSec = (performance.now() - t0) / 1000;
    const runSec = summary.wallSec - summary.loadSec;
    summary.clipsPerSec = runSec > 0 ? (summary.succeeded + summary.failed) / runSec : 0;
    summary.realtimeFactor = runSec > 0 ? summary.audioSec / runSec : 0;
    post({ type: 'done', summary });
  }
}
