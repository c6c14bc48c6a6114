// Importing a dataset: each file is read once, hashed (SHA-256, the clip's identity) and decoded for its
// duration, rate and channels. Problems with one file are collected and the import goes on. Clips are
// committed in batches, one transaction each, so a killed import loses at most its current batch, and a
// re-run skips by hash everything already committed.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { ImportError, ImportReport } from '../../../shared/domain';
import { AudioDecodeError, decodeAudio } from '../../engine/audio/decode';
import type { NewClip } from '../clips';
import type { ProjectStore } from '../project-store';
import type { ImportEntry } from './manifest';
import { resolveSource, type ImportSource } from './sources';

export interface ImportProgress {
  done: number;
  total: number;
  file: string;
  added: number;
  errors: number;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Files per transaction. */
  batchSize?: number;
}

export interface ImportDuplicate {
  file: string;
  /** Path of the clip (already in the project, or earlier in this import) with the same bytes. */
  sameAs: string;
}

export interface ImportResult extends ImportReport {
  kind: ImportSource['kind'];
  total: number;
  duplicates: ImportDuplicate[];
  /** True when the signal stopped the import early (everything before it is committed). */
  cancelled: boolean;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function readEntry(e: ImportEntry): Promise<{ bytes: Buffer } | { error: string }> {
  try {
    const st = await stat(e.path);
    if (st.isDirectory()) return { error: 'is a folder, not an audio file' };
    return { bytes: await readFile(e.path) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: 'file not found' };
    if (code === 'EACCES' || code === 'EPERM') return { error: 'permission denied' };
    return { error: `cannot read file (${code ?? (err as Error).message})` };
  }
}

export async function importDataset(store: ProjectStore, source: ImportSource | string, opts: ImportOptions = {}): Promise<ImportResult> {
  const resolved = resolveSource(source);
  const entries = resolved.entries;
  const batchSize = Math.max(1, opts.batchSize ?? 64);
  // Whole-file clips already in the project, by hash → path.
  const known = new Map<string, string>(
    (store.db.prepare('SELECT hash, path FROM clips WHERE segment_start IS NULL').all() as { hash: string; path: string }[]).map((r) => [r.hash, r.path]),
  );
  const errors: ImportError[] = [];
  const duplicates: ImportDuplicate[] = [];
  let added = 0;
  let pending: NewClip[] = [];
  let cancelled = false;

  const flush = () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    store.write(() => {
      const labels = new Set(batch.map((c) => c.importLabel).filter((l): l is string => !!l));
      store.ensureClasses(labels, 'import');
      added += store.insertClips(batch).filter((id) => id !== null).length;
    });
  };

  for (let i = 0; i < entries.length; i++) {
    if (opts.signal?.aborted) {
      cancelled = true;
      break;
    }
    const e = entries[i];
    const read = await readEntry(e);
    if ('error' in read) errors.push({ file: e.path, reason: read.error });
    else {
      const hash = sha256(read.bytes);
      const sameAs = known.get(hash);
      if (sameAs !== undefined) duplicates.push({ file: e.path, sameAs });
      else {
        try {
          const audio = await decodeAudio(read.bytes, e.path);
          const frames = audio.channelData[0].length;
          const durationSec = frames / audio.sampleRate;
          if (frames === 0) throw new AudioDecodeError(e.path, 'no samples');
          known.set(hash, e.path);
          pending.push({
            path: e.path,
            hash,
            sizeBytes: read.bytes.byteLength,
            durationSec,
            fileDurationSec: durationSec,
            sampleRate: audio.sampleRate,
            channels: audio.channelData.length,
            speaker: e.speaker,
            importLabel: e.label,
            importPad: e.pad,
          });
        } catch (err) {
          if (!(err instanceof AudioDecodeError)) throw err;
          errors.push({ file: e.path, reason: err.cause_ });
        }
      }
    }
    if (pending.length >= batchSize) flush();
    opts.onProgress?.({ done: i + 1, total: entries.length, file: e.path, added: added + pending.length, errors: errors.length });
  }
  flush();
  return { kind: resolved.source.kind, total: entries.length, added, skippedDuplicates: duplicates.length, duplicates, errors, cancelled };
}
