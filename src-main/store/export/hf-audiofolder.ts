// Hugging Face `audiofolder` layout: audio files plus a metadata.csv whose `file_name` column is relative to
// the folder. By default the audio is copied into <folder>/audio/ so the folder is self-contained. Each
// utterance of a cut recording is cut out as a WAV of its own (cut-audio.ts: a PCM WAV's own bytes, any other
// format's decoded samples as float WAV) into <folder>/audio/, with the recording's name and the segment's
// times beside it in the metadata (source_file, source_start, source_end: the file itself is the whole clip). `eodn import` reads the folder back (store/import/hf-audiofolder.ts): the
// metadata's import_label, reviewed and annotator bring back the import labels and reviewed labels. Beside them,
// every vote, the votes' distribution and the step of the label rule that gave `label` (votes,
// vote_distribution, label_rule: JSON text as in the CSV export, see tabular.ts), which the import ignores.
//
// All or nothing: a dataset that silently lacks some clips would skew its label counts, so when any clip's
// audio file is missing the export refuses before writing anything, naming the clips (relink them first, see
// `eodn relink`). Any later failure (disk full, a file vanishing mid-copy) removes the files and folders this
// export created; an earlier export in the same folder keeps its metadata.csv and audio as they were.
import { existsSync, mkdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { StoreError } from '../errors';
import { csvLine } from '../import/csv';
import type { ProjectStore } from '../project-store';
import { copyFileAtomic, writeFileAtomic } from './atomic';
import { SegmentCutter } from './cut-audio';
import { decidingAnswer, exportRows, type ExportRow } from './rows';
import { softLabelCells } from './tabular';

export const HF_COLUMNS = [
  'file_name', 'label', 'speaker', 'import_label', 'duration_sec', 'hash', 'source_file', 'source_start', 'source_end', 'reviewed', 'annotator',
  'votes', 'vote_distribution', 'label_rule',
] as const;

export interface HfExportOptions {
  /** Copy audio into <folder>/audio (default). If false, file_name points at the original files. */
  copyAudio?: boolean;
}

export interface HfExportReport {
  /** Rows of metadata.csv (files listed). */
  written: number;
  /** Of them, utterances of cut recordings cut out as files of their own. */
  cutSegments: number;
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

export async function exportHfAudiofolder(store: ProjectStore, folder: string, opts: HfExportOptions = {}): Promise<HfExportReport> {
  const copy = opts.copyAudio ?? true;
  const rows = [...exportRows(store)];
  const missing = rows.filter((r) => !isFile(r.path));
  if (missing.length) throw new StoreError('not-found', missingMessage(folder, missing));
  if (existsSync(folder) && !statSync(folder).isDirectory()) {
    throw new StoreError('invalid', `cannot export to ${folder}: it exists and is not a folder. Nothing was written.`);
  }

  // What this export created, undone if it fails.
  const madeDirs: string[] = [];
  const madeFiles: string[] = [];
  try {
    madeDirs.push(...makeDirs(folder));
    if (copy || rows.some((r) => r.segmentStartSec != null)) madeDirs.push(...makeDirs(join(folder, 'audio')));
    let written = 0;
    let cutSegments = 0;
    const cutter = new SegmentCutter();
    const lines: string[] = [csvLine([...HF_COLUMNS])];
    for (const r of rows) {
      let fileName: string;
      let hash = r.hash;
      if (r.segmentStartSec != null && r.segmentEndSec != null) {
        // The utterance's own file: the recording's hash prefix and the segment's times (in ms) keep names apart.
        const stem = basename(r.path, extname(r.path));
        fileName = `audio/${r.hash.slice(0, 12)}_${stem}_${Math.round(r.segmentStartSec * 1000)}-${Math.round(r.segmentEndSec * 1000)}ms.wav`;
        let cut;
        try {
          cut = await cutter.cut(r.path, { startSec: r.segmentStartSec, endSec: r.segmentEndSec });
        } catch (e) {
          if (!isFile(r.path)) throw new StoreError('not-found', missingMessage(folder, [r], true));
          throw new StoreError('invalid', `cannot cut clip ${r.id} (${r.name}) out of ${r.path}: ${(e as Error).message}. Nothing was written.`);
        }
        hash = cut.hash;
        const dest = join(folder, fileName);
        if (!existsSync(dest)) {
          writeFileAtomic(dest, [cut.bytes]);
          madeFiles.push(dest);
        }
        cutSegments++;
      } else if (copy) {
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
      lines.push(
        csvLine([
          fileName, r.currentLabel, r.speaker, r.importLabel, r.durationSec, hash, basename(r.path), r.segmentStartSec, r.segmentEndSec,
          r.reviewed ? 1 : 0, r.reviewed ? (decidingAnswer(r.currentLabel, r.answers)?.annotator ?? null) : null,
          ...softLabelCells(r),
        ]),
      );
      written++;
    }
    writeFileAtomic(join(folder, 'metadata.csv'), lines);
    return { written, cutSegments };
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
