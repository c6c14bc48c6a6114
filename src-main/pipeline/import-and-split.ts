// An import as the studio and `eodn import` both run it: the dataset's files into the project (store/import), then
// each long recording it added cut into its utterances (split-recordings.ts), the utterances replacing it.
import { defaultWorkerPath } from '../jobs/worker-path';
import { importDataset, type ImportProgress, type ImportResult, type ImportSource } from '../store/import';
import type { ProjectStore } from '../store/project-store';
import { describeSplit, splitLongRecordings, type SplitOptions, type SplitReport } from './split-recordings';

export interface ImportAndSplitOptions {
  signal?: AbortSignal;
  /** Worker entry that cuts long recordings into utterances (default: the embedding worker). */
  workerPath?: string;
  onImportProgress?(p: ImportProgress): void;
  /** After the import: progress of cutting its long recordings. */
  onSplitProgress?: SplitOptions['onProgress'];
}

export interface ImportAndSplitResult {
  imported: ImportResult;
  split: SplitReport;
  /** Clips the import left in the project: the files added, each cut recording counted as its utterances. */
  added: number;
  /** The import was stopped (by the signal) before it finished. */
  cancelled: boolean;
}

export async function importAndSplit(store: ProjectStore, source: ImportSource | string, opts: ImportAndSplitOptions = {}): Promise<ImportAndSplitResult> {
  const imported = await importDataset(store, source, { signal: opts.signal, onProgress: opts.onImportProgress });
  const split = await splitLongRecordings(store, imported.addedIds, {
    workerPath: opts.workerPath ?? defaultWorkerPath(),
    signal: opts.signal,
    onProgress: opts.onSplitProgress,
  });
  return {
    imported,
    split,
    added: imported.added - split.recordings + split.segments,
    cancelled: imported.cancelled || !!opts.signal?.aborted,
  };
}

/** "12 added (1 long recording cut into 39 utterances)": the added count with what the cutting did. */
export function describeAdded(r: ImportAndSplitResult): string {
  return `${r.added} added${r.split.recordings ? ` (${describeSplit(r.split)})` : ''}`;
}
