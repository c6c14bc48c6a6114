// The whole pipeline for one file or many: read → decode → downmix → resample → encode (pooled).
import type { AudioEncoder } from '../encoders/types';
import { readSegment } from '../audio/segment';
import { readRegularFile } from '../regular-file';
import { prepareAudio, prepareMono, type PrepareOptions, type PreparedAudio } from './prepare';

export type AudioInput = string | { bytes: Uint8Array; name: string };

export interface EmbedResult {
  vector: Float32Array;
  encoderId: string;
  durationSec: number;
  source: PreparedAudio['source'];
}

export interface EmbedFileOptions extends PrepareOptions {}

async function bytesOf(input: AudioInput): Promise<[Uint8Array, string]> {
  if (typeof input === 'string') return [await readRegularFile(input), input];
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
  await encodeReady(ready, encoder, outcomes, (i) => {
    const input = inputs[i];
    return typeof input === 'string' ? input : input.name;
  });
  return outcomes;
}

export interface EmbedItem {
  path: string;
  segment?: { startSec: number; endSec: number };
}

/**
 * Files and segments of files, embedded with one encoder call. A segment of a PCM WAV is read on its own;
 * other files with segments are decoded once for all of them (audio/segment.ts). Each segment is then
 * prepared exactly as embedFile prepares it.
 */
export async function embedItems(items: readonly EmbedItem[], encoder: AudioEncoder, opts: Omit<EmbedFileOptions, 'segment'> = {}): Promise<EmbedOutcome[]> {
  const { outcomes, ready } = await prepareItems(items, encoder.sampleRate, opts);
  await encodeReady(ready, encoder, outcomes, (i) => items[i].path);
  return outcomes;
}

/** Read, decode and resample items (segments cut as embedItems does); failures are filled into `outcomes`,
 * the others come back in `ready`. The hybrid job's CPU workers use it before their half of the encoder. */
export async function prepareItems(
  items: readonly EmbedItem[],
  sampleRate: number,
  opts: Omit<EmbedFileOptions, 'segment'> = {},
): Promise<{ outcomes: EmbedOutcome[]; ready: { i: number; audio: PreparedAudio }[] }> {
  const outcomes: EmbedOutcome[] = new Array(items.length);
  const ready: { i: number; audio: PreparedAudio }[] = [];
  for (const [i, it] of items.entries()) {
    try {
      let audio: PreparedAudio;
      if (it.segment) {
        const seg = await readSegment(it.path, it.segment);
        audio = await prepareMono(seg.mono, it.path, sampleRate, { ...opts, segment: seg.segment, fileDurationSec: seg.fileDurationSec });
      } else {
        audio = await prepareAudio(await readRegularFile(it.path), it.path, sampleRate, opts);
      }
      ready.push({ i, audio });
    } catch (e) {
      outcomes[i] = { ok: false, file: it.path, error: (e as Error).message };
    }
  }
  return { outcomes, ready };
}

async function encodeReady(ready: { i: number; audio: PreparedAudio }[], encoder: AudioEncoder, outcomes: EmbedOutcome[], nameOf: (i: number) => string): Promise<void> {
  const done = (r: (typeof ready)[number], vector: Float32Array) => {
    outcomes[r.i] = { ok: true, result: { vector, encoderId: encoder.id, durationSec: r.audio.durationSec, source: r.audio.source } };
  };
  if (ready.length === 0) return;
  try {
    const vectors = await encoder.embed(ready.map((r) => r.audio.samples));
    ready.forEach((r, k) => done(r, vectors[k]));
  } catch {
    // One clip the model rejects must not cost the whole batch: retry one by one to find it.
    for (const r of ready) {
      try {
        done(r, (await encoder.embed([r.audio.samples]))[0]);
      } catch (e) {
        outcomes[r.i] = { ok: false, file: nameOf(r.i), error: `encoder failed: ${(e as Error).message.split('\n')[0]}` };
      }
    }
  }
}
