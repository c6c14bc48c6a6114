// Cuts long recordings into utterances in worker threads (VAD over an hour of audio takes tens of seconds
// of CPU: never on the main thread). Up to one worker per core, each taking the next file when it is done
// with one; each file is answered as it ends.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Utterances } from '../engine/audio/utterances';
import { spawnWorker } from './embed-host';
import type { HostToWorker, WorkerToHost } from './protocol';

export type UtterancesOutcome = ({ ok: true } & Utterances) | { ok: false; error: string };

export interface FindUtterancesOptions {
  workerPath: string;
  signal?: AbortSignal;
  /** Workers (default: one per core, at most one per file). */
  workers?: number;
  /** Called as each file ends (in the order they end). */
  onFile?(path: string, outcome: UtterancesOutcome, done: number, total: number): void;
}

/** Outcomes by path for the files it got to (all of them unless the signal stopped it or workers died). */
export async function findUtterancesInWorker(paths: readonly string[], opts: FindUtterancesOptions): Promise<Map<string, UtterancesOutcome>> {
  const out = new Map<string, UtterancesOutcome>();
  const queue = [...paths];
  const workers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), paths.length));
  const jobId = randomUUID();
  const runWorker = async () => {
    const worker = spawnWorker(opts.workerPath);
    try {
      for (let path = queue.shift(); path !== undefined && !opts.signal?.aborted; path = queue.shift()) {
        const outcome = await ask(worker, jobId, path, opts.signal);
        if (!outcome.ok && outcome.error === 'cancelled') break;
        out.set(path, outcome);
        opts.onFile?.(path, outcome, out.size, paths.length);
        if (!outcome.ok && /^worker (crashed|exited)/.test(outcome.error)) break;
      }
    } finally {
      await worker.terminate();
    }
  };
  if (paths.length) await Promise.all(Array.from({ length: workers }, runWorker));
  return out;
}

function ask(worker: Worker, jobId: string, path: string, signal?: AbortSignal): Promise<UtterancesOutcome> {
  return new Promise<UtterancesOutcome>((resolve) => {
    const settle = (o: UtterancesOutcome) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const onMessage = (m: WorkerToHost) => {
      if ((m.type === 'utterances-out' || m.type === 'utterances-error') && m.jobId === jobId && m.path === path)
        settle(m.type === 'utterances-out' ? { ok: true, segments: m.segments, fileDurationSec: m.fileDurationSec } : { ok: false, error: m.error });
    };
    const onError = (e: Error) => settle({ ok: false, error: `worker crashed: ${e.message}` });
    const onExit = (code: number) => settle({ ok: false, error: `worker exited with code ${code}` });
    const onAbort = () => settle({ ok: false, error: 'cancelled' });
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    signal?.addEventListener('abort', onAbort);
    worker.postMessage({ type: 'utterances', jobId, path } satisfies HostToWorker);
  });
}
