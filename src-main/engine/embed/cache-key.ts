// What identifies an embedding besides the audio: the encoder and every setting that changes its output.
// PIPELINE_VERSION is bumped whenever decoding, resampling or feature code changes the vectors, so that
// cached vectors from older code are missed rather than mixed with new ones.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EncoderSpec } from '../encoders/create';
import { DEFAULT_ENCODER_ID } from '../encoders/create';
import { fileKind, NotRegularFileError, readRegularFileSync } from '../regular-file';

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
  // A manifest encoder is identified by its manifest's id; its settings by the model file's SHA-256 and the
  // manifest fields that change a vector. How clips are batched (padding, convLayers, maxBatch…) is left out:
  // the loader only batches when that gives the single-clip vectors (manifest.ts), and the model may move.
  const text = readRegularFileSync(spec.manifestPath).toString('utf8'); // on the main thread: never a FIFO
  let id = 'manifest';
  let settings: unknown = text;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (typeof json.id === 'string' && json.id) id = json.id;
    if (typeof json.model === 'string') {
      const { sampleRate, input, inputLayout, inputScale = 1, output, pooling, minSamples = 1 } = json;
      settings = { sampleRate, input, inputLayout, inputScale, output, pooling, minSamples, model: modelFileHash(resolve(dirname(spec.manifestPath), json.model)) };
    }
  } catch {
    // An invalid manifest or a missing model still gets a key; loading it in the worker reports what is wrong.
  }
  return { encoderId: id, settingsHash: hash(JSON.stringify({ v: PIPELINE_VERSION, kind: 'manifest', settings })) };
}

const modelHashes = new Map<string, string>();

/**
 * SHA-256 of a model file, read in chunks (a wav2vec2-base graph is ~360 MB: 0.34 s of hashing on a shared
 * 2-core machine, plus the read). Remembered for the process by device, inode, size and modification time,
 * so a studio session hashes each model once.
 */
export function modelFileHash(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotRegularFileError(path, fileKind(st));
    const memo = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    const known = modelHashes.get(memo);
    if (known) return known;
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(4 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
    const digest = h.digest('hex');
    modelHashes.set(memo, digest);
    return digest;
  } finally {
    closeSync(fd);
  }
}
