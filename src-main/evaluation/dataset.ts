// A labelled dataset for evaluation: a manifest CSV (or the folder holding one) or a folder in EmoDB's or
// RAVDESS's naming, read with the importer's own parsers so both agree on paths, labels and speakers.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Pad } from '../../shared/domain';
import { ImportSourceError } from '../store/import/manifest';
import { resolveSource, type ImportSource } from '../store/import/sources';

export interface EvalClip {
  path: string;
  label: string;
  speaker: string;
  /** The clip's own P, A, D label when the manifest has one. */
  pad: Pad | null;
}

export interface EvalDataset {
  source: ImportSource['kind'];
  clips: EvalClip[];
  /** Entries left out (no label or no speaker), with the reason. */
  skipped: { path: string; reason: string }[];
}

/**
 * The folder's manifest when it has exactly one CSV at its top level (labels.csv preferred), else null: a
 * folder with a manifest is read through it rather than walked.
 */
export function manifestIn(folder: string): string | null {
  const csvs = readdirSync(folder).filter((n) => n.toLowerCase().endsWith('.csv'));
  if (csvs.includes('labels.csv')) return join(folder, 'labels.csv');
  return csvs.length === 1 ? join(folder, csvs[0]) : null;
}

/** Reads a dataset; clips need a label and a speaker (leave-one-speaker-out needs both). */
export function loadDataset(input: string): EvalDataset {
  const abs = resolve(input);
  if (!existsSync(abs)) throw new ImportSourceError(abs, 'not found');
  let target = abs;
  if (statSync(abs).isDirectory()) {
    const m = manifestIn(abs);
    if (m) target = m;
  }
  const { source, entries } = resolveSource(target);
  const clips: EvalClip[] = [];
  const skipped: EvalDataset['skipped'] = [];
  for (const e of entries) {
    if (!e.label) skipped.push({ path: e.path, reason: 'no label' });
    else if (!e.speaker) skipped.push({ path: e.path, reason: 'no speaker' });
    else clips.push({ path: e.path, label: e.label, speaker: e.speaker, pad: e.pad });
  }
  if (clips.length === 0) throw new ImportSourceError(target, `no clip with both a label and a speaker (${source.kind} source, ${entries.length} entries)`);
  return { source: source.kind, clips, skipped };
}
