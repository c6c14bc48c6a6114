// Waveform peaks for the clip view, from the decoded audio (a PCM WAV a minute at a time, other formats decoded
// whole). The renderer hands them to wavesurfer with the duration, so it never decodes a long recording itself
// (it only streams the audio for playback).
import type { ClipPeaks } from '../../../shared/api';
import { decodeAudio } from '../audio/decode';
import { readWavFrames, wavLayout } from '../audio/segment';
import { readRegularFile } from '../regular-file';

/** Keeps a long recording's answer small (≈ 1 MB of JSON): the resolution is lowered to fit. */
export const MAX_PEAK_BUCKETS = 200_000;
/** Enough buckets that a short clip drawn across a wide view still shows single glottal pulses. */
const TARGET_BUCKETS = 20_000;

/** The resolution used when the caller does not ask for one: fine for short clips, coarse for hours. */
export function defaultPixelsPerSecond(durationSec: number): number {
  return Math.min(1000, Math.max(20, Math.round(TARGET_BUCKETS / Math.max(durationSec, 1e-3))));
}

/**
 * Min and max of every bucket of `bucketSize` frames over all channels, interleaved [min0, max0, min1, max1, …]
 * (the audiowaveform layout wavesurfer draws directly). Rounded to 4 decimals: invisible on screen, half the JSON.
 */
export function computePeaks(channels: readonly Float32Array[], bucketSize: number): number[] {
  const frames = channels[0]?.length ?? 0;
  const size = Math.max(1, Math.floor(bucketSize));
  const buckets = Math.ceil(frames / size);
  const out = new Array<number>(buckets * 2);
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  for (let b = 0; b < buckets; b++) {
    const start = b * size;
    const end = Math.min(frames, start + size);
    let lo = Infinity;
    let hi = -Infinity;
    for (const ch of channels) {
      for (let i = start; i < end; i++) {
        const x = ch[i];
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
    out[2 * b] = round(lo);
    out[2 * b + 1] = round(hi);
  }
  return out;
}

function bucketSizeFor(frames: number, sampleRate: number, wanted?: number): number {
  const durationSec = frames / sampleRate;
  let pps = Math.min(wanted ?? defaultPixelsPerSecond(durationSec), sampleRate);
  if (durationSec * pps > MAX_PEAK_BUCKETS) pps = MAX_PEAK_BUCKETS / durationSec;
  return Math.max(1, Math.round(sampleRate / pps));
}

export type WaveformPeaks = Omit<ClipPeaks, 'hash'>;

function waveformPeaks(frames: number, sampleRate: number, channels: number, bucketSize: number, peaks: number[]): WaveformPeaks {
  return { durationSec: frames / sampleRate, sampleRate, channels, pixelsPerSecond: sampleRate / bucketSize, peaks };
}

/** The peaks of a whole audio file at `pixelsPerSecond` (default: defaultPixelsPerSecond of its duration). */
export async function filePeaks(file: string, pixelsPerSecond?: number): Promise<WaveformPeaks> {
  return (await fromWavPieces(file, pixelsPerSecond)) ?? (await fromWholeFile(file, pixelsPerSecond));
}

async function fromWholeFile(file: string, pixelsPerSecond?: number): Promise<WaveformPeaks> {
  const bytes = await readRegularFile(file); // a clip path swapped for a FIFO must not hang the studio
  const audio = await decodeAudio(bytes, file);
  const frames = audio.channelData[0]?.length ?? 0;
  const bucketSize = bucketSizeFor(frames, audio.sampleRate, pixelsPerSecond);
  return waveformPeaks(frames, audio.sampleRate, audio.channelData.length, bucketSize, computePeaks(audio.channelData, bucketSize));
}

/** A PCM WAV is read a minute at a time (pieces of whole buckets, so the peaks are the same as from a whole
 * decode): an hour-long recording never sits in memory, and the main thread gets a turn between pieces. */
async function fromWavPieces(file: string, pixelsPerSecond?: number): Promise<WaveformPeaks | null> {
  const layout = await wavLayout(file);
  if (!layout || layout.frames === 0) return null;
  const { frames, sampleRate } = layout;
  const bucketSize = bucketSizeFor(frames, sampleRate, pixelsPerSecond);
  const piece = bucketSize * Math.max(1, Math.round((60 * sampleRate) / bucketSize));
  const peaks = new Array<number>(2 * Math.ceil(frames / bucketSize));
  for (let first = 0, at = 0; first < frames; first += piece) {
    const audio = await readWavFrames(file, layout, first, first + piece);
    for (const v of computePeaks(audio.channelData, bucketSize)) peaks[at++] = v;
  }
  return waveformPeaks(frames, sampleRate, layout.channels, bucketSize, peaks);
}
