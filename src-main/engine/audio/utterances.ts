// A long recording → its utterances, by Silero VAD. PCM WAVs are read ten minutes at a time (segment.ts),
// so an hour-long session never sits in memory whole; other formats are decoded whole.
import { readRegularFile } from '../regular-file';
import { decodeMono } from './decode';
import { downmixToMono } from './downmix';
import { resampleMono } from './resample';
import { readWavFrames, wavLayout } from './segment';
import { VAD_SAMPLE_RATE, type SpeechSegment, type Vad, type VadOptions } from './vad';

/** Files longer than this are treated as recordings to cut into utterances at import (an utterance in a
 * speech-emotion corpus lasts seconds: EmoDB's longest is under 9 s). */
export const LONG_RECORDING_SEC = 60;

export interface Utterances {
  segments: SpeechSegment[];
  fileDurationSec: number;
}

export async function findUtterances(path: string, vad: Vad, opts: { pieceSec?: number; vad?: VadOptions } = {}): Promise<Utterances> {
  const stream = vad.stream();
  const layout = await wavLayout(path);
  if (!layout) {
    const mono = await decodeMono(await readRegularFile(path), path);
    await stream.push(await resampleMono(mono.samples, mono.sampleRate, VAD_SAMPLE_RATE));
    return { segments: await stream.finish(opts.vad), fileDurationSec: mono.samples.length / mono.sampleRate };
  }
  const piece = Math.round((opts.pieceSec ?? 600) * layout.sampleRate);
  for (let first = 0; first < layout.frames; first += piece) {
    const audio = await readWavFrames(path, layout, first, first + piece);
    await stream.push(await resampleMono(downmixToMono(audio.channelData), layout.sampleRate, VAD_SAMPLE_RATE));
  }
  return { segments: await stream.finish(opts.vad), fileDurationSec: layout.frames / layout.sampleRate };
}
