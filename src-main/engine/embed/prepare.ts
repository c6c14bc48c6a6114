// Bytes → mono float audio at the encoder's rate, optionally cut to a segment of the file.
import { decodeMono, type AudioFormat, type MonoAudio } from '../audio/decode';
import { resampleMono, type ResampleQuality } from '../audio/resample';
import { segmentFrames } from '../audio/segment';

export interface PreparedAudio {
  samples: Float32Array;
  sampleRate: number;
  /** Duration of what was prepared (the segment, when one was asked for). */
  durationSec: number;
  source: { format: AudioFormat; sampleRate: number; channels: number; durationSec: number };
}

export interface PrepareOptions {
  segment?: { startSec: number; endSec: number };
  /** The source file's duration when `mono` holds only part of it (a segment read on its own). */
  fileDurationSec?: number;
  resampleQuality?: ResampleQuality;
}

export async function prepareAudio(bytes: Uint8Array, file: string, targetRate: number, opts: PrepareOptions = {}): Promise<PreparedAudio> {
  return prepareMono(await decodeMono(bytes, file), file, targetRate, opts);
}

/** The same from audio already decoded (a segment read on its own, or a whole file cut into segments). */
export async function prepareMono(mono: MonoAudio, file: string, targetRate: number, opts: PrepareOptions = {}): Promise<PreparedAudio> {
  const sourceDur = opts.fileDurationSec ?? mono.samples.length / mono.sampleRate;
  let samples = mono.samples;
  if (opts.segment) samples = samples.subarray(...segmentFrames(file, opts.segment, samples.length, mono.sampleRate));
  const out = await resampleMono(samples, mono.sampleRate, targetRate, opts.resampleQuality);
  return {
    samples: out,
    sampleRate: targetRate,
    durationSec: samples.length / mono.sampleRate,
    source: { format: mono.format, sampleRate: mono.sampleRate, channels: mono.channels, durationSec: sourceDur },
  };
}
