// Praat TextGrid: one file per source recording (whole clips and cut recordings alike), the tiers of tiers.ts as
// interval tiers whose intervals tile the whole recording (the stretches between clips, and clips without a
// text on that tier, are empty intervals, as Praat requires). Files are named by the recording's path relative
// to the common folder of all recordings (its subfolders kept), and index.csv beside them says which file shows
// which recording.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProjectStore } from '../project-store';
import { writeFileAtomic } from './atomic';
import { indexCsv, INDEX_FILE, outputFolder, outputNames, recordingTiers, type Interval, type Tier } from './tiers';

export type { Interval, Tier } from './tiers';

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The intervals of a tier over [0, duration]: its own, with empty ones in between. */
export function tile(duration: number, intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.xmin - b.xmin);
  const tiles: Interval[] = [];
  let t = 0;
  for (const s of sorted) {
    const start = Math.max(s.xmin, t);
    const end = Math.min(s.xmax, duration);
    if (end <= start) continue; // overlapped away or out of range
    if (start > t) tiles.push({ xmin: t, xmax: start, text: '' });
    tiles.push({ xmin: start, xmax: end, text: s.text });
    t = end;
  }
  if (t < duration || tiles.length === 0) tiles.push({ xmin: t, xmax: Math.max(duration, t), text: '' });
  return tiles;
}

/** Long-format TextGrid text for one recording. */
export function textGrid(duration: number, tiers: readonly Tier[]): string {
  const out = ['File type = "ooTextFile"', 'Object class = "TextGrid"', '', 'xmin = 0', `xmax = ${duration}`, 'tiers? <exists>', `size = ${tiers.length}`, 'item []:'];
  tiers.forEach((tier, k) => {
    const tiles = tile(duration, tier.intervals);
    out.push(
      `    item [${k + 1}]:`,
      '        class = "IntervalTier"',
      `        name = ${q(tier.name)}`,
      '        xmin = 0',
      `        xmax = ${duration}`,
      `        intervals: size = ${tiles.length}`,
    );
    tiles.forEach((iv, i) => {
      out.push(`        intervals [${i + 1}]:`, `            xmin = ${iv.xmin}`, `            xmax = ${iv.xmax}`, `            text = ${q(iv.text)}`);
    });
  });
  return out.join('\n') + '\n';
}

/** Writes one <name>.TextGrid per recording under `folder`, and index.csv; returns the TextGrids written. */
export function exportTextGrids(store: ProjectStore, folder: string): string[] {
  const recs = recordingTiers(store);
  const names = outputNames(recs.map((r) => r.path));
  outputFolder(folder);
  const written: string[] = [];
  const index: { file: string; rec: (typeof recs)[number] }[] = [];
  for (const rec of recs) {
    const file = `${names.get(rec.path)!}.TextGrid`;
    const target = join(folder, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, [textGrid(rec.durationSec, rec.tiers)]);
    written.push(target);
    index.push({ file, rec });
  }
  writeFileAtomic(join(folder, INDEX_FILE), indexCsv(index));
  return written;
}
