// A long recording → its utterances, by Silero VAD. PCM WAVs are read ten minutes at a time (segment.ts),
// so an hour-long session never sits in memory whole; other formats are decoded whole first.
import { resampleMono } from './resample';
import { readSegment } from './segment';
import { VAD_SAMPLE_RATE, type SpeechSegment, type Vad, type VadOptions } from './vad';

/** Files longer than this are treated as recordings to cut into utterances at import (an utterance in a
 * speech-emotion corpus lasts seconds: EmoDB's longest is under 9 s). */
export const LONG_RECORDING_SEC = 60;

export interface Utterances {
  segments: SpeechSegment[];
  fileDurationSec: number;
}

export async function findUtterances(path: string, vad: Vad, opts: { pieceSec?: number; vad?: VadOptions } = {}): Promise<Utterances> {
  const pieceSec = opts.pieceSec ?? 600;
  const stream = vad.stream();
  const first = await readSegment(path, { startSec: 0, endSec: pieceSec });
  if (!first.sliced) {
    const mono = first.mono; // the whole file
    await stream.push(await resampleMono(mono.samples, mono.sampleRate, VAD_SAMPLE_RATE));
    return { segments: await stream.finish(opts.vad), fileDurationSec: mono.samples.length / mono.sampleRate };
  }
  let piece = first;
  for (let start = 0; ; ) {
    await stream.push(await resampleMono(piece.mono.samples, piece.mono.sampleRate, VAD_SAMPLE_RATE));
    start += pieceSec;
    if (start >= first.fileDurationSec) break;
    piece = await readSegment(path, { startSec: start, endSec: start + pieceSec });
  }
  return { segments: await stream.finish(opts.vad), fileDurationSec: first.fileDurationSec };
}
