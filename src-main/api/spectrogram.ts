// Spectrogram of a clip's audio file (or a time range of it), computed in main for the clip view of long
// recordings and segment clips, where the renderer only has peaks and never the samples. The result is what
// wavesurfer's spectrogram plugin draws from `frequenciesDataUrl`: columns (time) × bins (frequency, bin 0 =
// 0 Hz, drawn at the bottom), 8-bit. Bounded in time so an hour of audio is a few MB of JSON; cached on disk
// under the data folder keyed by the file's SHA-256 and the settings, like the peaks. A PCM WAV is read a minute
// at a time as the columns need it; other formats are decoded whole.
import fs from 'node:fs';
import path from 'node:path';
import FFT from 'fft.js';
import { ApiError, type ClipSpectrogram } from '../../shared/api';
import { decodeMono } from '../engine/audio/decode';
import { downmixToMono } from '../engine/audio/downmix';
import { readWavFrames, wavLayout } from '../engine/audio/segment';

/** Bump when the cached format or the computation changes: old files are then ignored. */
const CACHE_FORMAT = 1;
/** Most time columns in one answer (≈ 3.5 MB of JSON with 256 bins): a wide screen's worth for a whole file. */
export const MAX_SPECTROGRAM_COLUMNS = 4000;
/** The clip view's decoded spectrogram uses 512-sample windows: the same bins whatever the path. */
export const SPECTROGRAM_FFT_SIZE = 512;
/** Dynamic range mapped onto 0..255, the loudest cell at 255 (the clip view's autoGain with rangeDB 70). */
export const SPECTROGRAM_RANGE_DB = 70;
/** FFT frames averaged into one column at most: enough to represent a 1-s column, bounded work for hours. */
const MAX_FRAMES_PER_COLUMN = 64;

export interface SpectrogramSettings {
  /** Range of the file in seconds; default the whole file. Clamped to the file; an empty range (endSec not
   * after startSec, or startSec at or past the end) is a bad-request ApiError. */
  startSec?: number;
  endSec?: number;
  /** Time columns wanted, at most MAX_SPECTROGRAM_COLUMNS; default one per 10 ms of the range, within that. */
  columns?: number;
}

/** Mono samples read on demand (a long file a piece at a time). */
export interface SampleSource {
  length: number;
  /** Samples [from, to), inside [0, length). */
  read(from: number, to: number): Promise<Float32Array>;
  /** Samples to read at once. */
  pieceLength: number;
}

/**
 * Power spectra of Hann-windowed `fftSize` frames, averaged (in power) within each of `columns` equal time
 * slices of samples[start, end), then in dB scaled so the loudest cell is 255 and `rangeDb` below it is 0.
 * A slice shorter than a frame gets one frame centred on it; a long slice up to 64 frames spread over it, so
 * a short loud event inside a 1-s column still raises it. Digital silence stays 0 everywhere.
 */
export async function computeSpectrogram(
  samples: Float32Array | SampleSource,
  sampleRate: number,
  opts: { start?: number; end?: number; columns: number; fftSize?: number; rangeDb?: number },
): Promise<{ frames: number[][]; maxDb: number }> {
  const n = opts.fftSize ?? SPECTROGRAM_FFT_SIZE;
  const rangeDb = opts.rangeDb ?? SPECTROGRAM_RANGE_DB;
  const length = samples.length;
  const start = Math.max(0, Math.floor(opts.start ?? 0));
  const end = Math.min(length, Math.ceil(opts.end ?? length));
  // The samples in hand: all of them, or the piece of a source that the current frame falls in. Frames only
  // move forward, so each piece is read once.
  let buf = samples instanceof Float32Array ? samples : new Float32Array(0);
  let bufStart = 0;
  const have = async (a: number, b: number) => {
    if (samples instanceof Float32Array || (a >= bufStart && b <= bufStart + buf.length)) return;
    buf = await samples.read(a, Math.min(end, Math.max(b, a + samples.pieceLength)));
    bufStart = a;
  };
  const columns = Math.max(1, Math.floor(opts.columns));
  const bins = n / 2;
  const fft = new FFT(n);
  const out = fft.createComplexArray() as number[];
  const input = new Float64Array(n);
  const window = new Float64Array(n);
  for (let i = 0; i < n; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  // Power per column in dB, kept until the maximum is known.
  const db = new Float32Array(columns * bins);
  const acc = new Float64Array(bins);
  const span = Math.max(0, end - start);
  let maxDb = -Infinity;
  for (let c = 0; c < columns; c++) {
    const c0 = start + (c * span) / columns;
    const c1 = start + ((c + 1) * span) / columns;
    const k = Math.max(1, Math.min(MAX_FRAMES_PER_COLUMN, Math.floor((c1 - c0) / n)));
    acc.fill(0);
    for (let f = 0; f < k; f++) {
      // Frame centres spread evenly over the slice.
      const centre = c0 + ((f + 0.5) * (c1 - c0)) / k;
      const s0 = Math.round(centre - n / 2);
      await have(Math.max(start, s0), Math.min(end, s0 + n));
      for (let i = 0; i < n; i++) {
        const j = s0 + i;
        input[i] = j >= start && j < end ? buf[j - bufStart] * window[i] : 0;
      }
      fft.realTransform(out, input);
      for (let b = 0; b < bins; b++) acc[b] += out[2 * b] * out[2 * b] + out[2 * b + 1] * out[2 * b + 1];
    }
    for (let b = 0; b < bins; b++) {
      const p = acc[b] / k;
      const v = p > 0 ? 10 * Math.log10(p) : -Infinity;
      db[c * bins + b] = v;
      if (v > maxDb) maxDb = v;
    }
  }
  const floor = maxDb - rangeDb;
  const frames: number[][] = new Array(columns);
  for (let c = 0; c < columns; c++) {
    const col = new Array<number>(bins);
    for (let b = 0; b < bins; b++) {
      const v = db[c * bins + b];
      col[b] = Number.isFinite(maxDb) ? Math.max(0, Math.min(255, Math.round(((v - floor) / rangeDb) * 255))) : 0;
    }
    frames[c] = col;
  }
  return { frames, maxDb: Number.isFinite(maxDb) ? Math.round(maxDb * 100) / 100 : -Infinity };
}

export interface SpectrogramRequest extends SpectrogramSettings {
  /** The audio file and its SHA-256 (the clip's identity; the cache key). */
  file: string;
  hash: string;
}

export interface SpectrogramCacheStats {
  hits: number;
  misses: number;
}

/** Spectrograms with a disk cache in `<dataDir>/spectrograms`. One instance per data folder. */
export class SpectrogramService {
  readonly stats: SpectrogramCacheStats = { hits: 0, misses: 0 };
  private readonly dir: string;
  /** One computation per key at a time: a double click must not decode an hour of audio twice. */
  private readonly pending = new Map<string, Promise<ClipSpectrogram>>();

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'spectrograms');
  }

  cacheFile(hash: string, s: SpectrogramSettings): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a SHA-256 hash: ${hash.slice(0, 80)}`);
    const part = (x: number | undefined) => (x === undefined ? 'x' : String(Math.round(x * 1000)));
    const key = `${part(s.startSec)}-${part(s.endSec)}-${s.columns === undefined ? 'auto' : columnsOf(s.columns, 0)}-${SPECTROGRAM_FFT_SIZE}-${SPECTROGRAM_RANGE_DB}`;
    return path.join(this.dir, `${hash}-${key}.v${CACHE_FORMAT}.json`);
  }

  async spectrogram(req: SpectrogramRequest): Promise<ClipSpectrogram> {
    if (req.startSec !== undefined && req.endSec !== undefined && !(req.endSec > req.startSec)) {
      throw new ApiError('bad-request', `clips.spectrogram: endSec (${req.endSec}) must be after startSec (${req.startSec})`);
    }
    const key = this.cacheFile(req.hash, req);
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

  private async compute(req: SpectrogramRequest, key: string): Promise<ClipSpectrogram> {
    this.stats.misses++;
    const { samples, sampleRate: sr } = await this.samplesOf(req.file);
    const durationSec = samples.length / sr;
    if (req.startSec !== undefined && req.startSec > 0 && req.startSec >= durationSec) {
      throw new ApiError('bad-request', `clips.spectrogram: startSec (${req.startSec}) is not before the end of the file (${durationSec} s)`);
    }
    const startSec = Math.min(Math.max(0, req.startSec ?? 0), durationSec);
    const endSec = Math.min(Math.max(startSec, req.endSec ?? durationSec), durationSec);
    const { frames, maxDb } = await computeSpectrogram(samples, sr, {
      start: startSec * sr,
      end: endSec * sr,
      columns: columnsOf(req.columns, endSec - startSec),
    });
    const result: ClipSpectrogram = {
      hash: req.hash,
      durationSec,
      sampleRate: sr,
      startSec,
      endSec,
      fftSize: SPECTROGRAM_FFT_SIZE,
      rangeDb: SPECTROGRAM_RANGE_DB,
      maxDb: Number.isFinite(maxDb) ? maxDb : null,
      frames,
    };
    this.writeCache(key, result);
    return result;
  }

  /** A PCM WAV is read a minute at a time as the columns need it (an hour-long recording never sits in memory
   * whole); other files are decoded whole. */
  private async samplesOf(file: string): Promise<{ samples: Float32Array | SampleSource; sampleRate: number }> {
    const layout = await wavLayout(file);
    if (!layout) {
      const audio = await decodeMono(await fs.promises.readFile(file), file);
      return { samples: audio.samples, sampleRate: audio.sampleRate };
    }
    const source: SampleSource = {
      length: layout.frames,
      pieceLength: 60 * layout.sampleRate,
      read: async (from, to) => downmixToMono((await readWavFrames(file, layout, from, to)).channelData),
    };
    return { samples: source, sampleRate: layout.sampleRate };
  }

  private readCache(file: string): ClipSpectrogram | null {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      const value = JSON.parse(text) as ClipSpectrogram;
      if (Array.isArray(value.frames) && typeof value.sampleRate === 'number') return value;
    } catch {
      // A torn or foreign file is recomputed (and overwritten).
    }
    return null;
  }

  private writeCache(file: string, value: ClipSpectrogram): void {
    // Write then rename, so a reader never sees half a file; a full disk only costs the cache.
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, file);
    } catch {
      // The spectrogram was computed; caching it is best effort.
    }
  }
}

function columnsOf(columns: number | undefined, spanSec: number): number {
  const wanted = columns ?? Math.ceil(spanSec * 100);
  return Math.max(1, Math.min(MAX_SPECTROGRAM_COLUMNS, Math.floor(wanted)));
}
