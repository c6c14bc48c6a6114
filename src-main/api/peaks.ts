// Waveform peaks for the clip view, computed in main from the decoded audio (a PCM WAV a minute at a time, other
// formats decoded whole) and cached on disk under the data folder, keyed by the file's SHA-256 and the
// resolution. The renderer hands them to wavesurfer with the
// duration, so it never decodes a long recording itself (it only streams the audio for playback); a second
// request for the same file is a file read.
import fs from 'node:fs';
import path from 'node:path';
import type { ClipPeaks } from '../../shared/api';
import { decodeAudio } from '../engine/audio/decode';
import { readWavFrames, wavLayout } from '../engine/audio/segment';
import { readRegularFile } from '../engine/regular-file';

/** Bump when the cached format or the computation changes: old files are then ignored. */
const CACHE_FORMAT = 1;
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

function peaksResult(req: PeaksRequest, frames: number, sampleRate: number, channels: number, bucketSize: number, peaks: number[]): ClipPeaks {
  return { hash: req.hash, durationSec: frames / sampleRate, sampleRate, channels, pixelsPerSecond: sampleRate / bucketSize, peaks };
}

export interface PeaksRequest {
  /** The audio file and its SHA-256 (the clip's identity; the cache key). */
  file: string;
  hash: string;
  pixelsPerSecond?: number;
}

export interface PeaksCacheStats {
  hits: number;
  misses: number;
}

/** Peaks with a disk cache in `<dataDir>/peaks`. One instance per data folder. */
export class PeaksService {
  readonly stats: PeaksCacheStats = { hits: 0, misses: 0 };
  private readonly dir: string;
  /** One computation per key at a time: a double click must not decode an hour of audio twice. */
  private readonly pending = new Map<string, Promise<ClipPeaks>>();

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'peaks');
  }

  cacheFile(hash: string, pixelsPerSecond: number | 'auto'): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a SHA-256 hash: ${hash.slice(0, 80)}`);
    return path.join(this.dir, `${hash}-${pixelsPerSecond}.v${CACHE_FORMAT}.json`);
  }

  async peaks(req: PeaksRequest): Promise<ClipPeaks> {
    const key = this.cacheFile(req.hash, req.pixelsPerSecond ?? 'auto');
    const cached = this.readCache(key);
    if (cached) {
      this.stats.hits++;
      return cached;
    }
    let job = this.pending.get(key);
    if (!job) {
      job = this.compute(req, key).finally(() => this.pending.delete(key));
      this.pending.set(key, job);
    }
    return job;
  }

  private async compute(req: PeaksRequest, key: string): Promise<ClipPeaks> {
    this.stats.misses++;
    const result = (await this.fromWavPieces(req)) ?? (await this.fromWholeFile(req));
    this.writeCache(key, result);
    return result;
  }

  private async fromWholeFile(req: PeaksRequest): Promise<ClipPeaks> {
    const bytes = await readRegularFile(req.file); // a clip path swapped for a FIFO must not hang the studio
    const audio = await decodeAudio(bytes, req.file);
    const frames = audio.channelData[0]?.length ?? 0;
    const bucketSize = bucketSizeFor(frames, audio.sampleRate, req.pixelsPerSecond);
    return peaksResult(req, frames, audio.sampleRate, audio.channelData.length, bucketSize, computePeaks(audio.channelData, bucketSize));
  }

  /** A PCM WAV is read a minute at a time (pieces of whole buckets, so the peaks are the same as from a whole
   * decode): an hour-long recording never sits in memory, and the main thread gets a turn between pieces. */
  private async fromWavPieces(req: PeaksRequest): Promise<ClipPeaks | null> {
    const layout = await wavLayout(req.file);
    if (!layout || layout.frames === 0) return null;
    const { frames, sampleRate } = layout;
    const bucketSize = bucketSizeFor(frames, sampleRate, req.pixelsPerSecond);
    const piece = bucketSize * Math.max(1, Math.round((60 * sampleRate) / bucketSize));
    const peaks = new Array<number>(2 * Math.ceil(frames / bucketSize));
    for (let first = 0, at = 0; first < frames; first += piece) {
      const audio = await readWavFrames(req.file, layout, first, first + piece);
      for (const v of computePeaks(audio.channelData, bucketSize)) peaks[at++] = v;
    }
    return peaksResult(req, frames, sampleRate, layout.channels, bucketSize, peaks);
  }

  private readCache(file: string): ClipPeaks | null {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      const value = JSON.parse(text) as ClipPeaks;
      if (Array.isArray(value.peaks) && typeof value.durationSec === 'number') return value;
    } catch {
      // A torn or foreign file is recomputed (and overwritten) below.
    }
    return null;
  }

  private writeCache(file: string, value: ClipPeaks): void {
    // Write then rename, so a reader never sees half a file; a full disk only costs the cache.
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, file);
    } catch {
      // The peaks were computed; caching them is best effort.
    }
  }
}
