// Hugging Face `audiofolder` layout: audio files plus a metadata.csv whose `file_name` column is relative to
// the folder. By default the audio is copied into <folder>/audio/ so the folder is self-contained;
// segments of longer files cannot be copied as files and are reported as skipped.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { csvLine } from '../import/csv';
import type { ProjectStore } from '../project-store';
import { copyFileAtomic, writeFileAtomic } from './atomic';
import { exportRows } from './rows';

export interface HfExportOptions {
  /** Copy audio into <folder>/audio (default). If false, file_name points at the original files. */
  copyAudio?: boolean;
}

export interface HfExportReport {
  written: number;
  skippedSegments: number;
}

export function exportHfAudiofolder(store: ProjectStore, folder: string, opts: HfExportOptions = {}): HfExportReport {
  const copy = opts.copyAudio ?? true;
  mkdirSync(folder, { recursive: true });
  if (copy) mkdirSync(join(folder, 'audio'), { recursive: true });
  let written = 0;
  let skippedSegments = 0;
  const lines: string[] = [csvLine(['file_name', 'label', 'speaker', 'import_label', 'duration_sec', 'hash'])];
  for (const r of exportRows(store)) {
    if (r.segmentStartSec != null) {
      skippedSegments++;
      continue;
    }
    let fileName: string;
    if (copy) {
      // The hash prefix keeps same-named files from different folders apart.
      fileName = `audio/${r.hash.slice(0, 12)}_${basename(r.path)}`;
      const dest = join(folder, fileName);
      if (!existsSync(dest)) copyFileAtomic(r.path, dest);
    } else {
      fileName = relative(folder, r.path).split(sep).join('/');
    }
    lines.push(csvLine([fileName, r.currentLabel, r.speaker, r.importLabel, r.durationSec, r.hash]));
    written++;
  }
  writeFileAtomic(join(folder, 'metadata.csv'), lines);
  return { written, skippedSegments };
}
