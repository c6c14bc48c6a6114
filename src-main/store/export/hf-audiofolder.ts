// Hugging Face `audiofolder` layout: audio files plus a metadata.csv whose `file_name` column is relative to
// the folder. By default the audio is copied into <folder>/audio/ so the folder is self-contained;
// segments of longer files cannot be copied as files and are reported as skipped.
//
// All or nothing: a dataset that silently lacks some clips would skew its label counts, so when any clip's
// audio file is missing the export refuses before writing anything, naming the clips (relink them first, see
// `eodn relink`). Any later failure (disk full, a file vanishing mid-copy) removes the files and folders this
// export created; an earlier export in the same folder keeps its metadata.csv and audio as they were.
import { existsSync, mkdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { StoreError } from '../errors';
import { csvLine } from '../import/csv';
import type { ProjectStore } from '../project-store';
import { copyFileAtomic, writeFileAtomic } from './atomic';
import { exportRows, type ExportRow } from './rows';

export interface HfExportOptions {
  /** Copy audio into <folder>/audio (default). If false, file_name points at the original files. */
  copyAudio?: boolean;
}

export interface HfExportReport {
  written: number;
  skippedSegments: number;
}

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The clips whose audio file is not there, as one sentence naming the first few. */
function missingMessage(folder: string, missing: ExportRow[], duringExport = false): string {
  const shown = missing.slice(0, 5).map((r) => `clip ${r.id} (${r.path})`);
  const more = missing.length > shown.length ? `, and ${missing.length - shown.length} more` : '';
  return (
    `cannot export to ${folder}: the audio file of ${missing.length === 1 ? '1 clip is' : `${missing.length} clips are`} missing: ` +
    `${shown.join(', ')}${more}${duringExport ? ' (it vanished during the export)' : ''}. Nothing was written. Find moved files with \`eodn relink <project> <folder>\`, then export again.`
  );
}

/** Creates `dir` (and its missing parents), returning the folders it made, outermost first. */
function makeDirs(dir: string): string[] {
  const first = mkdirSync(dir, { recursive: true });
  if (!first) return [];
  const made: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    made.unshift(d);
    if (d === first || dirname(d) === d) break;
  }
  return made;
}

export function exportHfAudiofolder(store: ProjectStore, folder: string, opts: HfExportOptions = {}): HfExportReport {
  const copy = opts.copyAudio ?? true;
  const rows = [...exportRows(store)];
  const missing = rows.filter((r) => r.segmentStartSec == null && !isFile(r.path));
  if (missing.length) throw new StoreError('not-found', missingMessage(folder, missing));
  if (existsSync(folder) && !statSync(folder).isDirectory()) {
    throw new StoreError('invalid', `cannot export to ${folder}: it exists and is not a folder. Nothing was written.`);
  }

  // What this export created, undone if it fails.
  const madeDirs: string[] = [];
  const madeFiles: string[] = [];
  try {
    madeDirs.push(...makeDirs(folder));
    if (copy) madeDirs.push(...makeDirs(join(folder, 'audio')));
    let written = 0;
    let skippedSegments = 0;
    const lines: string[] = [csvLine(['file_name', 'label', 'speaker', 'import_label', 'duration_sec', 'hash'])];
    for (const r of rows) {
      if (r.segmentStartSec != null) {
        skippedSegments++;
        continue;
      }
      let fileName: string;
      if (copy) {
        // The hash prefix keeps same-named files from different folders apart.
        fileName = `audio/${r.hash.slice(0, 12)}_${basename(r.path)}`;
        const dest = join(folder, fileName);
        if (!existsSync(dest)) {
          try {
            copyFileAtomic(r.path, dest);
          } catch (e) {
            if (!isFile(r.path)) throw new StoreError('not-found', missingMessage(folder, [r], true));
            throw e;
          }
          madeFiles.push(dest);
        }
      } else {
        fileName = relative(folder, r.path).split(sep).join('/');
      }
      lines.push(csvLine([fileName, r.currentLabel, r.speaker, r.importLabel, r.durationSec, r.hash]));
      written++;
    }
    writeFileAtomic(join(folder, 'metadata.csv'), lines);
    return { written, skippedSegments };
  } catch (e) {
    for (const f of madeFiles) rmSync(f, { force: true });
    for (const d of madeDirs.reverse()) {
      try {
        rmdirSync(d); // only if empty: nothing that was there before is touched
      } catch {
        /* not empty or already gone */
      }
    }
    throw e;
  }
}
