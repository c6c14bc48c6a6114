// Cuts long recordings into utterances in a worker thread (VAD over an hour of audio takes tens of seconds
// of CPU: never on the main thread). One worker for the list, files one at a time, each answered as it ends.
import { randomUUID } from 'node:crypto';
import type { Utterances } from '../engine/audio/utterances';
import { spawnWorker } from './embed-host';
import type { HostToWorker, WorkerToHost } from './protocol';

export type UtterancesOutcome = ({ ok: true } & Utterances) | { ok: false; error: string };

export interface FindUtterancesOptions {
  workerPath: string;
  signal?: AbortSignal;
  /** Called as each file ends, in order. */
  onFile?(path: string, outcome: UtterancesOutcome, done: number, total: number): void;
}

/** Outcomes by path for the files it got to (all of them unless the signal stopped it). */
export async function findUtterancesInWorker(paths: readonly string[], opts: FindUtterancesOptions): Promise<Map<string, UtterancesOutcome>> {
  const out = new Map<string, UtterancesOutcome>();
  if (!paths.length) return out;
  const worker = spawnWorker(opts.workerPath);
  const jobId = randomUUID();
  try {
    for (const [i, path] of paths.entries()) {
      if (opts.signal?.aborted) break;
      const outcome = await new Promise<UtterancesOutcome>((resolve) => {
        const onMessage = (m: WorkerToHost) => {
          if ((m.type !== 'utterances-out' && m.type !== 'utterances-error') || m.jobId !== jobId || m.path !== path) return;
          cleanup();
          resolve(m.type === 'utterances-out' ? { ok: true, segments: m.segments, fileDurationSec: m.fileDurationSec } : { ok: false, error: m.error });
        };
        const onError = (e: Error) => {
          cleanup();
          resolve({ ok: false, error: `worker crashed: ${e.message}` });
        };
        const onExit = (code: number) => {
          cleanup();
          resolve({ ok: false, error: `worker exited with code ${code}` });
        };
        const onAbort = () => {
          cleanup();
          resolve({ ok: false, error: 'cancelled' });
        };
        const cleanup = () => {
          worker.off('message', onMessage).off('error', onError).off('exit', onExit);
          opts.signal?.removeEventListener('abort', onAbort);
        };
        worker.on('message', onMessage).on('error', onError).on('exit', onExit);
        opts.signal?.addEventListener('abort', onAbort);
        worker.postMessage({ type: 'utterances', jobId, path } satisfies HostToWorker);
      });
      if (outcome.ok || outcome.error !== 'cancelled') {
        out.set(path, outcome);
        opts.onFile?.(path, outcome, i + 1, paths.length);
      }
      if (!outcome.ok && /^worker (crashed|exited)/.test(outcome.error)) break;
    }
  } finally {
    await worker.terminate();
  }
  return out;
}
