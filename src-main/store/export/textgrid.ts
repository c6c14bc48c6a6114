// Praat TextGrid for segmented recordings: one file per source recording, one interval tier "emotion" whose
// intervals tile the whole recording (gaps between segments are empty intervals, as Praat requires).
import { mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { ProjectStore } from '../project-store';
import { writeFileAtomic } from './atomic';
import { exportRows } from './rows';

export interface Interval {
  xmin: number;
  xmax: number;
  text: string;
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Long-format TextGrid text for one recording. */
export function textGrid(duration: number, segments: readonly Interval[], tier = 'emotion'): string {
  const sorted = [...segments].sort((a, b) => a.xmin - b.xmin);
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
  const out = [
    'File type = "ooTextFile"',
    'Object class = "TextGrid"',
    '',
    'xmin = 0',
    `xmax = ${duration}`,
    'tiers? <exists>',
    'size = 1',
    'item []:',
    '    item [1]:',
    '        class = "IntervalTier"',
    `        name = ${q(tier)}`,
    '        xmin = 0',
    `        xmax = ${duration}`,
    `        intervals: size = ${tiles.length}`,
  ];
  tiles.forEach((iv, i) => {
    out.push(`        intervals [${i + 1}]:`, `            xmin = ${iv.xmin}`, `            xmax = ${iv.xmax}`, `            text = ${q(iv.text)}`);
  });
  return out.join('\n') + '\n';
}

/** Writes <folder>/<recording>.TextGrid for every recording that has segments; returns the files written. */
export function exportTextGrids(store: ProjectStore, folder: string): string[] {
  const byFile = new Map<string, { duration: number; segments: Interval[] }>();
  for (const r of exportRows(store)) {
    if (r.segmentStartSec == null || r.segmentEndSec == null) continue;
    const g = byFile.get(r.path) ?? { duration: 0, segments: [] };
    g.duration = Math.max(g.duration, r.fileDurationSec ?? 0, r.segmentEndSec);
    g.segments.push({ xmin: r.segmentStartSec, xmax: r.segmentEndSec, text: r.currentLabel ?? '' });
    byFile.set(r.path, g);
  }
  mkdirSync(folder, { recursive: true });
  const written: string[] = [];
  const used = new Set<string>();
  for (const [path, g] of byFile) {
    let name = basename(path, extname(path));
    for (let k = 2; used.has(name); k++) name = `${basename(path, extname(path))}-${k}`;
    used.add(name);
    const target = join(folder, `${name}.TextGrid`);
    writeFileAtomic(target, [textGrid(g.duration, g.segments)]);
    written.push(target);
  }
  return written;
}
