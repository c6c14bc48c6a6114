// Loads an encoder in an embedding worker and embeds nothing: the checks its loader makes (for a manifest
// encoder, every check of engine/encoders/manifest.ts: the manifest's fields, the model file, its inputs and
// output, one second of audio and the padding probe) run off the caller's thread, and a native failure stays
// in the worker. The studio asks this before it starts a training on a manifest encoder, so a bad manifest is
// an answer to the call (nothing started, nothing written), as `eodn train --encoder` fails before training.
import type { EncoderSpec } from '../engine/encoders/create';
import type { Device, ExecutionInfo } from '../engine/encoders/types';
import { startEmbedJob } from './embed-host';
import { defaultWorkerPath } from './worker-path';

export interface EncoderCheck {
  encoderId: string;
  dim: number;
  execution: ExecutionInfo;
  loadSec: number;
}

export class EncoderCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncoderCheckError';
  }
}

/** Resolves with what loaded, or rejects with an EncoderCheckError carrying the loader's message. */
export async function checkEncoder(spec: EncoderSpec, opts: { workerPath?: string; device?: Device } = {}): Promise<EncoderCheck> {
  let ready: EncoderCheck | null = null;
  const handle = startEmbedJob({
    workerPath: opts.workerPath ?? defaultWorkerPath(),
    items: [],
    encoder: spec,
    device: opts.device ?? 'cpu',
    threads: 1,
    onReady: (m) => (ready = { encoderId: m.encoderId, dim: m.dim, execution: m.execution, loadSec: m.loadSec }),
  });
  const summary = await handle.done;
  if (summary.status === 'failed' || !ready) throw new EncoderCheckError(summary.error ?? 'the encoder did not load');
  return ready;
}
