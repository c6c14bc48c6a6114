// What identifies an embedding besides the audio: the encoder and every setting that changes its output.
// PIPELINE_VERSION is bumped whenever decoding, resampling or feature code changes the vectors, so that
// cached vectors from older code are missed rather than mixed with new ones.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EncoderSpec } from '../encoders/create';
import { DEFAULT_ENCODER_ID } from '../encoders/create';
import { readRegularFileSync } from '../regular-file';

export const PIPELINE_VERSION = 3;

export interface EncoderCacheKey {
  encoderId: string;
  settingsHash: string;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** Computed without loading the model, so that a fully cached run never starts a worker. */
export function encoderCacheKey(spec: EncoderSpec): EncoderCacheKey {
  if (spec.kind !== 'manifest') {
    const encoderId = spec.kind === 'speech-embedding' ? DEFAULT_ENCODER_ID : spec.kind;
    return { encoderId, settingsHash: hash(JSON.stringify({ v: PIPELINE_VERSION, kind: spec.kind })) };
  }
  // A manifest encoder is identified by its manifest's id; its settings by the manifest's bytes and the
  // model file's size and modification time (hashing a large model on every run would be slow).
  const text = readRegularFileSync(spec.manifestPath).toString('utf8'); // on the main thread: never a FIFO
  let id = 'manifest';
  let modelStamp = '';
  try {
    const json = JSON.parse(text) as { id?: unknown; model?: unknown };
    if (typeof json.id === 'string' && json.id) id = json.id;
    if (typeof json.model === 'string') {
      const st = statSync(resolve(dirname(spec.manifestPath), json.model));
      modelStamp = `${st.size}:${st.mtimeMs}`;
    }
  } catch {
    // An invalid manifest still gets a key; loading it in the worker reports what is wrong.
  }
  return { encoderId: id, settingsHash: hash(JSON.stringify({ v: PIPELINE_VERSION, kind: 'manifest', text, modelStamp })) };
}
