// clips.peaks: a clip's waveform peaks (engine/display/peaks.ts), cached on disk under the data folder keyed by
// the file's SHA-256 and the resolution (app/disk-cache.ts): a second request for the same file is a file read.
import path from 'node:path';
import type { ClipPeaks } from '../../shared/api';
import { DiskCache } from '../app/disk-cache';
import { filePeaks } from '../engine/display/peaks';

export interface PeaksRequest {
  /** The audio file and its SHA-256 (the clip's identity; the cache key). */
  file: string;
  hash: string;
  pixelsPerSecond?: number;
}

/** Peaks with a disk cache in `<dataDir>/peaks`. One instance per data folder. */
export class PeaksService extends DiskCache<ClipPeaks> {
  constructor(dataDir: string) {
    super({ dir: path.join(dataDir, 'peaks'), format: 1, isValue: (v): v is ClipPeaks => Array.isArray((v as ClipPeaks)?.peaks) && typeof (v as ClipPeaks).durationSec === 'number' });
  }

  cacheFile(hash: string, pixelsPerSecond: number | 'auto'): string {
    return this.file(hash, String(pixelsPerSecond));
  }

  peaks(req: PeaksRequest): Promise<ClipPeaks> {
    return this.get(req.hash, String(req.pixelsPerSecond ?? 'auto'), async () => ({ hash: req.hash, ...(await filePeaks(req.file, req.pixelsPerSecond)) }));
  }
}
