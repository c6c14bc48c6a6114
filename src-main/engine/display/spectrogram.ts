// The spectrogram the clip view draws for a long recording or a segment clip, where the renderer only has peaks
// and never the samples: what wavesurfer's spectrogram plugin draws from `frequenciesDataUrl`, columns (time) ×
// bins (frequency, bin 0 = 0 Hz, drawn at the bottom), 8-bit. Bounded in time so an hour of audio is a few MB of
// JSON. A PCM WAV is read a minute at a time as the columns need it; other formats are decoded whole. The frames
// go through the engine's one STFT step (features/spectrogram.ts).
import type { ClipSpectrogram } from '../../../shared/api';
import { decodeMono } from '../audio/decode';
import { downmixToMono } from '../audio/downmix';
import { readWavFrames, wavLayout } from '../audio/segment';
import { framePower } from '../features/spectrogram';
import { readRegularFile } from '../regular-file';

/** Most time columns in one answer (≈ 3.5 MB of JSON with 256 bins): a wide screen's worth for a whole file. */
export const MAX_SPECTROGRAM_COLUMNS = 4000;
/** The clip view's decoded spectrogram uses 512-sample windows: the same bins whatever the path. */
export const SPECTROGRAM_FFT_SIZE = 512;
/** Dynamic range mapped onto 0..255, the loudest cell at 255 (the clip view's autoGain with rangeDB 70). */
export const SPECTROGRAM_RANGE_DB = 70;
/** FFT frames averaged into one column at most: enough to represent a 1-s column, bounded work for hours. */
const MAX_FRAMES_PER_COLUMN = 64;

export interface SpectrogramSettings {
  /** Range of the file in seconds; default the whole file. Clamped to the file; a start at or past its end is a
   * SpectrogramRangeError. */
  startSec?: number;
  endSec?: number;
  /** Time columns wanted, at most MAX_SPECTROGRAM_COLUMNS; default one per 10 ms of the range, within that. */
  columns?: number;
}

/** A range that starts at or after the end of the file. */
export class SpectrogramRangeError extends Error {}

/** Mono samples read on demand (a long file a piece at a time). */
export interface SampleSource {
  length: number;
  /** Samples [from, to), inside [0, length). */
  read(from: number, to: number): Promise<Float32Array>;
  /** Samples to read at once. */
  pieceLength: number;
}

/** The columns a request gets: `columns`, or one per 10 ms of `spanSec`, within 1..MAX_SPECTROGRAM_COLUMNS. */
export function spectrogramColumns(columns: number | undefined, spanSec: number): number {
  const wanted = columns ?? Math.ceil(spanSec * 100);
  return Math.max(1, Math.min(MAX_SPECTROGRAM_COLUMNS, Math.floor(wanted)));
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
  const stft = framePower(n, n);
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
      const power = stft.of(buf, s0, start, end, bufStart);
      for (let b = 0; b < bins; b++) acc[b] += power[b];
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

/** The spectrogram of an audio file (or a range of it), in the clip view's settings. */
export async function fileSpectrogram(file: string, settings: SpectrogramSettings = {}): Promise<Omit<ClipSpectrogram, 'hash'>> {
  const { samples, sampleRate: sr } = await samplesOf(file);
  const durationSec = samples.length / sr;
  if (settings.startSec !== undefined && settings.startSec > 0 && settings.startSec >= durationSec) {
    throw new SpectrogramRangeError(`startSec (${settings.startSec}) is not before the end of the file (${durationSec} s)`);
  }
  const startSec = Math.min(Math.max(0, settings.startSec ?? 0), durationSec);
  const endSec = Math.min(Math.max(startSec, settings.endSec ?? durationSec), durationSec);
  const { frames, maxDb } = await computeSpectrogram(samples, sr, {
    start: startSec * sr,
    end: endSec * sr,
    columns: spectrogramColumns(settings.columns, endSec - startSec),
  });
  return {
    durationSec,
    sampleRate: sr,
    startSec,
    endSec,
    fftSize: SPECTROGRAM_FFT_SIZE,
    rangeDb: SPECTROGRAM_RANGE_DB,
    maxDb: Number.isFinite(maxDb) ? maxDb : null,
    frames,
  };
}

/** A PCM WAV is read a minute at a time as the columns need it (an hour-long recording never sits in memory
 * whole); other files are decoded whole. */
async function samplesOf(file: string): Promise<{ samples: Float32Array | SampleSource; sampleRate: number }> {
  const layout = await wavLayout(file);
  if (!layout) {
    const audio = await decodeMono(await readRegularFile(file), file); // a clip path swapped for a FIFO must not hang
    return { samples: audio.samples, sampleRate: audio.sampleRate };
  }
  const source: SampleSource = {
    length: layout.frames,
    pieceLength: 60 * layout.sampleRate,
    read: async (from, to) => downmixToMono((await readWavFrames(file, layout, from, to)).channelData),
  };
  return { samples: source, sampleRate: layout.sampleRate };
}
