// A JSON cache on disk in a folder of the data folder, for what main computes from a clip's audio file (waveform
// peaks, spectrograms). One file per entry, named by the audio file's SHA-256 and the settings, with a format
// number to bump when the stored shape or the computation changes (old files are then ignored). A file is written
// whole then renamed, so a reader never sees half of one; a torn or foreign file is computed again; a full disk
// only costs the cache. One computation per entry at a time: a double click must not decode an hour of audio
// twice.
import fs from 'node:fs';
import path from 'node:path';

export interface DiskCacheStats {
  hits: number;
  misses: number;
}

export interface DiskCacheOptions<T> {
  /** The cache's folder (created 0700 on the first write). */
  dir: string;
  /** Part of every file name. */
  format: number;
  /** Whether a parsed file holds a value (anything else is computed again and overwritten). */
  isValue(value: unknown): value is T;
}

export class DiskCache<T> {
  readonly stats: DiskCacheStats = { hits: 0, misses: 0 };
  private readonly pending = new Map<string, Promise<T>>();

  constructor(private readonly options: DiskCacheOptions<T>) {}

  /** The entry's file: `<dir>/<sha256>-<key>.v<format>.json`. Throws on anything but a SHA-256 hash. */
  file(hash: string, key: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a SHA-256 hash: ${hash.slice(0, 80)}`);
    return path.join(this.options.dir, `${hash}-${key}.v${this.options.format}.json`);
  }

  /** The cached value, or `compute()`'s (then cached; one computation per entry at a time). */
  async get(hash: string, key: string, compute: () => Promise<T>): Promise<T> {
    const file = this.file(hash, key);
    const cached = this.read(file);
    if (cached !== null) {
      this.stats.hits++;
      return cached;
    }
    let job = this.pending.get(file);
    if (!job) {
      this.stats.misses++;
      job = compute()
        .then((value) => {
          this.write(file, value);
          return value;
        })
        .finally(() => this.pending.delete(file));
      this.pending.set(file, job);
    }
    return job;
  }

  private read(file: string): T | null {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      const value: unknown = JSON.parse(text);
      if (this.options.isValue(value)) return value;
    } catch {
      // A torn or foreign file is computed again (and overwritten).
    }
    return null;
  }

  private write(file: string, value: T): void {
    // Write then rename, so a reader never sees half a file; a full disk only costs the cache.
    try {
      fs.mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, file);
    } catch {
      // The value was computed; caching it is best effort.
    }
  }
}
