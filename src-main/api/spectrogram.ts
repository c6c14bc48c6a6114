// clips.spectrogram: a clip's spectrogram for the clip view (engine/display/spectrogram.ts), cached on disk under
// the data folder keyed by the file's SHA-256 and the settings (app/disk-cache.ts), like the peaks.
import path from 'node:path';
import { ApiError, type ClipSpectrogram } from '../../shared/api';
import { DiskCache } from '../app/disk-cache';
import {
  fileSpectrogram,
  SPECTROGRAM_FFT_SIZE,
  SPECTROGRAM_RANGE_DB,
  SpectrogramRangeError,
  spectrogramColumns,
  type SpectrogramSettings,
} from '../engine/display/spectrogram';

export interface SpectrogramRequest extends SpectrogramSettings {
  /** The audio file and its SHA-256 (the clip's identity; the cache key). */
  file: string;
  hash: string;
}

/** Spectrograms with a disk cache in `<dataDir>/spectrograms`. One instance per data folder. */
export class SpectrogramService extends DiskCache<ClipSpectrogram> {
  constructor(dataDir: string) {
    super({
      dir: path.join(dataDir, 'spectrograms'),
      format: 1,
      isValue: (v): v is ClipSpectrogram => Array.isArray((v as ClipSpectrogram)?.frames) && typeof (v as ClipSpectrogram).sampleRate === 'number',
    });
  }

  cacheFile(hash: string, s: SpectrogramSettings): string {
    return this.file(hash, cacheKey(s));
  }

  /** An empty range (endSec not after startSec, or startSec at or past the end of the file) is a bad request. */
  async spectrogram(req: SpectrogramRequest): Promise<ClipSpectrogram> {
    if (req.startSec !== undefined && req.endSec !== undefined && !(req.endSec > req.startSec)) {
      throw new ApiError('bad-request', `clips.spectrogram: endSec (${req.endSec}) must be after startSec (${req.startSec})`);
    }
    try {
      return await this.get(req.hash, cacheKey(req), async () => ({ hash: req.hash, ...(await fileSpectrogram(req.file, req)) }));
    } catch (e) {
      if (e instanceof SpectrogramRangeError) throw new ApiError('bad-request', `clips.spectrogram: ${e.message}`);
      throw e;
    }
  }
}

function cacheKey(s: SpectrogramSettings): string {
  const part = (x: number | undefined) => (x === undefined ? 'x' : String(Math.round(x * 1000)));
  return `${part(s.startSec)}-${part(s.endSec)}-${s.columns === undefined ? 'auto' : spectrogramColumns(s.columns, 0)}-${SPECTROGRAM_FFT_SIZE}-${SPECTROGRAM_RANGE_DB}`;
}
