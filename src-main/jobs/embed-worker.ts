// Worker thread entry: runs one embedding job per 'start' message, in batches, reporting progress,
// results and per-item errors as it goes; a 'cancel' takes effect between batches.
import { parentPort } from 'node:worker_threads';
import { createEncoder } from '../engine/encoders/create';
import type { AudioEncoder } from '../engine/encoders/types';
import { embedItems } from '../engine/embed/embed-file';
import type { EmbedJobRequest, EmbedJobSummary, HostToWorker, WorkerToHost } from './protocol';

const port = parentPort;
if (!port) throw new Error('embed-worker must run in a worker thread');

const cancelled = new Set<string>();
const post = (m: WorkerToHost) => port.postMessage(m);
/** Lets queued 'cancel' messages in between batches. */
const yieldToEvents = () => new Promise<void>((r) => setImmediate(r));

port.on('message', (m: HostToWorker) => {
  if (m.type === 'cancel') cancelled.add(m.jobId);
  else if (m.type === 'start') void runJob(m.job);
});

async function runJob(job: EmbedJobRequest): Promise<void> {
  const t0 = performance.now();
  const total = job.items.length;
  const summary: EmbedJobSummary = {
    jobId: job.jobId, status: 'completed', total, succeeded: 0, failed: 0, encoderId: null, dim: null,
    execution: null, wallSec: 0, loadSec: 0, audioSec: 0, clipsPerSec: 0, realtimeFactor: 0,
  };
  let encoder: AudioEncoder | null = null;
  try {
    encoder = await createEncoder(job.encoder, { device: job.device, threads: job.threads });
    summary.loadSec = (performance.now() - t0) / 1000;
    Object.assign(summary, { encoderId: encoder.id, dim: encoder.dim, execution: encoder.execution });
    post({ type: 'ready', jobId: job.jobId, encoderId: encoder.id, dim: encoder.dim, execution: encoder.execution, loadSec: summary.loadSec });
    const batchSize = Math.max(1, job.batchSize ?? 16);
    const tRun = performance.now();
    let done = 0;
    for (let i = 0; i < total; i += batchSize) {
      await yieldToEvents();
      if (cancelled.has(job.jobId)) {
        summary.status = 'cancelled';
        break;
      }
      const items = job.items.slice(i, i + batchSize);
      const out = await embedItems(items, encoder);
      const outcomes = new Map(items.map((it, k) => [it.key, out[k]]));
      for (const it of items) {
        const o = outcomes.get(it.key)!;
        if (o.ok) {
          summary.succeeded++;
          summary.audioSec += o.result.durationSec;
          post({ type: 'result', jobId: job.jobId, key: it.key, vector: o.result.vector, durationSec: o.result.durationSec });
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
    cancelled.delete(job.jobId);
    summary.wallSec = (performance.now() - t0) / 1000;
    const runSec = summary.wallSec - summary.loadSec;
    summary.clipsPerSec = runSec > 0 ? (summary.succeeded + summary.failed) / runSec : 0;
    summary.realtimeFactor = runSec > 0 ? summary.audioSec / runSec : 0;
    post({ type: 'done', summary });
  }
}
