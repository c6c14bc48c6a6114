// What the Praat and ELAN exports show of each source recording: one entry per audio file of the project (a
// whole clip, or a long recording cut into utterances), with interval tiers over its clips:
//   label        each clip's current label (its import label until someone answers it, then the answer);
//   prediction   the active model version's decision for each clip: its label, or UNKNOWN_TEXT for an unknown
//                (absent when the project has no active model);
//   <annotator>  once several annotators have answered in the project, one tier per annotator: their answer
//                still standing on each clip (TIER_PREFIX + their name);
//   adjudication once any clip has an adjudicator's decision: those decisions (which gave those clips' labels).
// Plus the file names the exports give them: the recording's path relative to the folder holding all of them
// (so same-named recordings in different folders stay apart, and say which they are), and an index beside them.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { StoreError } from '../errors';
import { csvLine } from '../import/csv';
import type { ProjectStore } from '../project-store';
import { commonFolder } from './label-studio';
import { exportRows } from './rows';

export interface Interval {
  xmin: number;
  xmax: number;
  text: string;
}

export interface Tier {
  name: string;
  /** One stretch per clip, sorted, not overlapping; text '' where the clip has none on this tier. */
  intervals: Interval[];
}

export interface RecordingTiers {
  /** The audio file. */
  path: string;
  durationSec: number;
  /** The clips on it (1 for a whole clip). */
  clips: number;
  tiers: Tier[];
}

export const LABEL_TIER = 'label';
export const PREDICTION_TIER = 'prediction';
export const TIER_PREFIX = 'annotator ';
export const ADJUDICATION_TIER = 'adjudication';
/** The prediction tier's text for a clip the model calls unknown. */
export const UNKNOWN_TEXT = '<unknown>';

const round = (x: number) => Math.round(x * 1e9) / 1e9;

/** Every recording of the project with its tiers, in the order of their first clip. */
export function recordingTiers(store: ProjectStore): RecordingTiers[] {
  const rows = [...exportRows(store)];
  const hasModel = store.activeModelVersionId() != null;
  const annotators = [...new Set(rows.flatMap((r) => r.answers.filter((a) => !a.adjudicated).map((a) => a.annotator)))].sort();
  const perAnnotator = annotators.length > 1;
  const adjudications = rows.some((r) => r.answers.some((a) => a.adjudicated));
  const byPath = new Map<string, { durationSec: number; rows: typeof rows }>();
  for (const r of rows) {
    let g = byPath.get(r.path);
    if (!g) byPath.set(r.path, (g = { durationSec: 0, rows: [] }));
    const end = r.segmentEndSec ?? r.durationSec;
    g.durationSec = Math.max(g.durationSec, r.fileDurationSec ?? 0, r.segmentStartSec == null ? r.durationSec : 0, end);
    g.rows.push(r);
  }
  const out: RecordingTiers[] = [];
  for (const [path, g] of byPath) {
    const spans = g.rows
      .map((r) => ({ r, xmin: r.segmentStartSec ?? 0, xmax: r.segmentEndSec ?? g.durationSec }))
      .sort((a, b) => a.xmin - b.xmin || a.xmax - b.xmax);
    const tier = (name: string, text: (r: (typeof rows)[number]) => string | null): Tier => {
      const intervals: Interval[] = [];
      let t = 0;
      for (const s of spans) {
        // Overlapping clips (rare: two cuts of one file) keep the earlier clip's stretch.
        const xmin = round(Math.max(s.xmin, t));
        const xmax = round(Math.min(s.xmax, g.durationSec));
        if (xmax <= xmin) continue;
        t = xmax;
        intervals.push({ xmin, xmax, text: text(s.r) ?? '' });
      }
      return { name, intervals };
    };
    const tiers = [tier(LABEL_TIER, (r) => r.currentLabel)];
    if (hasModel) tiers.push(tier(PREDICTION_TIER, (r) => (r.decision == null ? null : (r.predictedLabel ?? UNKNOWN_TEXT))));
    if (perAnnotator) {
      for (const a of annotators) tiers.push(tier(TIER_PREFIX + a, (r) => r.answers.find((x) => x.annotator === a && !x.adjudicated)?.label ?? null));
    }
    if (adjudications) tiers.push(tier(ADJUDICATION_TIER, (r) => r.answers.find((x) => x.adjudicated)?.label ?? null));
    out.push({ path, durationSec: round(g.durationSec), clips: g.rows.length, tiers });
  }
  return out;
}

/** Each recording's output name (forward slashes, no extension): its path relative to the common folder of all
 * recordings, extension dropped; `-2`, `-3`… where two would meet (a.wav and a.flac side by side). */
export function outputNames(paths: readonly string[]): Map<string, string> {
  const root = commonFolder(paths) ?? '/';
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const p of paths) {
    const rel = relative(root, p);
    const stem = join(dirname(rel), basename(rel, extname(rel))).split(sep).join('/');
    let name = stem;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${stem}-${k}`;
    used.add(name.toLowerCase());
    out.set(p, name);
  }
  return out;
}

/** The index written beside the files: which file shows which recording. */
export const INDEX_FILE = 'index.csv';

export function indexCsv(entries: readonly { file: string; rec: RecordingTiers }[]): string[] {
  return [
    csvLine(['file', 'audio', 'duration_sec', 'clips', 'tiers']),
    ...entries.map(({ file, rec }) => csvLine([file, rec.path, rec.durationSec, rec.clips, rec.tiers.map((t) => t.name).join('|')])),
  ];
}

/** Creates the output folder of a per-recording export; a path that exists and is not a folder is refused. */
export function outputFolder(folder: string): void {
  if (existsSync(folder) && !statSync(folder).isDirectory()) {
    throw new StoreError('invalid', `cannot export to ${folder}: it exists and is not a folder. Nothing was written; give a folder path.`);
  }
  mkdirSync(folder, { recursive: true });
}
