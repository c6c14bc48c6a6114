// The whole pipeline for one file or many: read → decode → downmix → resample → encode (pooled).
import { readFile } from 'node:fs/promises';
import type { AudioEncoder } from '../encoders/types';
import { prepareAudio, type PrepareOptions, type PreparedAudio } from './prepare';

export type AudioInput = string | { bytes: Uint8Array; name: string };

export interface EmbedResult {
  vector: Float32Array;
  encoderId: string;
  durationSec: number;
  source: PreparedAudio['source'];
}

export interface EmbedFileOptions extends PrepareOptions {}

async function bytesOf(input: AudioInput): Promise<[Uint8Array, string]> {
  if (typeof input === 'string') return [await readFile(input), input];
  return [input.bytes, input.name];
}

export async function embedFile(input: AudioInput, encoder: AudioEncoder, opts: EmbedFileOptions = {}): Promise<EmbedResult> {
  const [bytes, name] = await bytesOf(input);
  const audio = await prepareAudio(bytes, name, encoder.sampleRate, opts);
  const [vector] = await encoder.embed([audio.samples]);
  return { vector, encoderId: encoder.id, durationSec: audio.durationSec, source: audio.source };
}

export type EmbedOutcome = { ok: true; result: EmbedResult } | { ok: false; file: string; error: string };

/**
 * Embeds several inputs with one encoder call for all that decode: the batched path the worker and the
 * bench use. A file that fails to read or decode gives an error outcome and does not stop the others.
 */
export async function embedBatch(inputs: readonly AudioInput[], encoder: AudioEncoder, opts: EmbedFileOptions = {}): Promise<EmbedOutcome[]> {
  const outcomes: EmbedOutcome[] = new Array(inputs.length);
  const ready: { i: number; audio: PreparedAudio }[] = [];
  for (const [i, input] of inputs.entries()) {
    const name = typeof input === 'string' ? input : input.name;
    try {
      const [bytes] = await bytesOf(input);
      ready.push({ i, audio: await prepareAudio(bytes, name, encoder.sampleRate, opts) });
    } catch (e) {
      outcomes[i] = { ok: false, file: name, error: (e as Error).message };
    }
  }
  const done = (r: (typeof ready)[number], vector: Float32Array) => {
    outcomes[r.i] = { ok: true, result: { vector, encoderId: encoder.id, durationSec: r.audio.durationSec, source: r.audio.source } };
  };
  if (ready.length === 0) return outcomes;
  try {
    const vectors = await encoder.embed(ready.map((r) => r.audio.samples));
    ready.forEach((r, k) => done(r, vectors[k]));
  } catch {
    // One clip the model rejects must not cost the whole batch: retry one by one to find it.
    for (const r of ready) {
      try {
        done(r, (await encoder.embed([r.audio.samples]))[0]);
      } catch (e) {
        const name = inputs[r.i];
        outcomes[r.i] = { ok: false, file: typeof name === 'string' ? name : name.name, error: `encoder failed: ${(e as Error).message.split('\n')[0]}` };
      }
    }
  }
  return outcomes;
}
