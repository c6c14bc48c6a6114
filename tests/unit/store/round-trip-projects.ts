// The projects the round-trip and Praat tests export: the demo project and a project with a long recording cut
// into utterances by the VAD (as `eodn import` cuts it), each with answers of several annotators (a relabel, a
// reject, a tie, a majority, an adjudication, a new class) and an active model version whose predictions
// include an unknown. Also: a view of a project that two projects can be compared by, and what its TextGrid and
// ELAN tiers should show, computed from the store's rows and histories (not from the exporters' code).
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeSyntheticRecording } from '../../../src-main/bench/recordings';
import { defaultWorkerPath } from '../../../src-main/jobs/worker-path';
import { importAndSplit } from '../../../src-main/pipeline/import-and-split';
import { standingEvents } from '../../../src-main/store/current-label';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_CLIPS, DEMO_MANIFEST, demoClipNames } from './helpers';

export interface ClipView {
  path: string;
  hash: string;
  segmentStartSec: number | null;
  segmentEndSec: number | null;
  durationSec: number;
  fileDurationSec: number | null;
  speaker: string | null;
  importLabel: string | null;
  label: string | null;
  reviewed: boolean;
  /** Each annotator's standing answer: [annotator, label, adjudicated], sorted. */
  answers: [string, string | null, boolean][];
  /** The annotator a CSV row names (rows.ts decidingAnswer, restated): the adjudicator, else the latest
   * standing answer with the clip's label, else the latest one; null when not reviewed. */
  decider: string | null;
  /** The model's label for the clip (UNKNOWN for an unknown, null without prediction). */
  predicted: string | null;
}

export const UNKNOWN = '<unknown>';

/** Every clip of a project, by id order, as the comparisons see it. */
export function viewClips(store: ProjectStore): ClipView[] {
  const version = store.activeModelVersionId();
  const rows = store.db
    .prepare(
      `SELECT c.id, c.path, c.hash, c.segment_start, c.segment_end, c.duration_sec, c.file_duration_sec, c.speaker, c.import_label, c.current_label, c.reviewed,
              p.decision_kind, json_extract(p.decision, '$.label') AS predicted
       FROM clips c LEFT JOIN predictions p ON p.clip_id = c.id AND p.model_version_id = ? ORDER BY c.id`,
    )
    .all(version ?? -1) as Record<string, unknown>[];
  return rows.map((r) => {
    const importLabel = r.import_label as string | null;
    const standing = standingEvents(store.clipHistory(r.id as number));
    const latest = new Map<string, { at: number; answer: [string, string | null, boolean] }>();
    standing.forEach((e, at) => {
      const adjudicated = e.adjudicated === true;
      // A reject alone leaves the import label, or none when it rejected the import label.
      const label = e.action === 'reject' ? (e.label !== null && e.label === importLabel ? null : importLabel) : e.label;
      const key = `${adjudicated}\u0000${e.annotator}`;
      latest.delete(key);
      latest.set(key, { at, answer: [e.annotator, label, adjudicated] });
    });
    const inOrder = [...latest.values()].sort((a, b) => a.at - b.at).map((x) => x.answer);
    const current = r.current_label as string | null;
    const decider = inOrder.filter((a) => a[2]).at(-1) ?? inOrder.filter((a) => a[1] === current).at(-1) ?? inOrder.at(-1);
    return {
      path: r.path as string,
      hash: r.hash as string,
      segmentStartSec: r.segment_start as number | null,
      segmentEndSec: r.segment_end as number | null,
      durationSec: r.duration_sec as number,
      fileDurationSec: r.file_duration_sec as number | null,
      speaker: r.speaker as string | null,
      importLabel,
      label: r.current_label as string | null,
      reviewed: r.reviewed === 1,
      answers: inOrder.slice().sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1)),
      decider: decider?.[0] ?? null,
      predicted: r.decision_kind == null ? null : ((r.predicted as string | null) ?? UNKNOWN),
    };
  });
}

/** Decisions by many annotators on some clips (by position among `ids`), and a model with an unknown. */
export function decide(store: ProjectStore, ids: readonly number[]): void {
  const label = (i: number) => store.getClip(ids[i]).importLabel;
  store.ensureClasses(['anger', 'fear'], 'manual');
  store.annotate(ids[0], { annotator: 'ann', action: 'relabel', label: 'anger' });
  store.annotate(ids[1], { annotator: 'ann', action: 'reject', label: label(1) });
  // A tie: no label.
  store.annotate(ids[2], { annotator: 'ann', action: 'relabel', label: 'anger' });
  store.annotate(ids[2], { annotator: 'bob', action: 'relabel', label: 'fear' });
  // A majority.
  store.annotate(ids[3], { annotator: 'ann', action: 'relabel', label: 'anger' });
  store.annotate(ids[3], { annotator: 'bob', action: 'relabel', label: 'anger' });
  store.annotate(ids[3], { annotator: 'cy', action: 'relabel', label: 'fear' });
  // An adjudication over a disagreement.
  store.annotate(ids[4], { annotator: 'ann', action: 'relabel', label: 'fear' });
  store.annotate(ids[4], { annotator: 'bob', action: 'relabel', label: 'anger' });
  store.annotate(ids[4], { annotator: 'cy', action: 'relabel', label: 'anger', adjudicated: true });
  // A new class; and an answer taken back.
  store.annotate(ids[5], { annotator: 'bob', action: 'new-class', label: 'contempt' });
  store.annotate(ids[6], { annotator: 'ann', action: 'relabel', label: 'anger' });
  store.annotate(ids[6], { annotator: 'ann', action: 'undo' });
  const v = store.insertModelVersion({ parentId: null, name: 'm1', classes: ['anger', 'fear'], bundle: {}, thresholds: {}, settings: {}, metrics: {} });
  store.setActiveModelVersion(v.id);
  const pred = (clipId: number, kind: 'accepted' | 'unknown', top1: number) => ({
    clipId,
    probs: top1 === 0 ? [0.8, 0.2] : [0.3, 0.7],
    pad: null,
    nearest: [],
    decision: { kind, top1, top2: 1 - top1, p1: 0.8, p2: 0.2, eta: 0.5, mu: 0.2, delta: 0.1, label: kind === 'unknown' ? null : ['anger', 'fear'][top1], reason: '' },
  });
  store.upsertPredictions(v.id, ids.map((id, i) => pred(id, i % 5 === 4 ? 'unknown' : 'accepted', i % 2)));
}

/** The demo project (80 clips of EmoDB) with decide() on its first clips. */
export async function demoProject(file: string): Promise<ProjectStore> {
  const store = ProjectStore.create(file, { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
  decide(store, store.clipIds());
  return store;
}

/** A project with a 90-second session recording (demo utterances) cut into utterances by the VAD at import, and
 * a short clip beside it; decide() on the utterances. Audio under `dir`/data. */
export async function cutProject(file: string, dir: string): Promise<{ store: ProjectStore; recording: string; segments: number }> {
  const data = join(dir, 'data', 'neutral');
  mkdirSync(data, { recursive: true });
  const demo = demoClipNames().map((f) => join(DEMO_CLIPS, f));
  const recording = join(data, 'session.wav');
  writeSyntheticRecording(demo, recording, 90);
  copyFileSync(demo[0], join(data, basename(demo[0])));
  const store = ProjectStore.create(file, { name: 'cut' });
  const r = await importAndSplit(store, join(dir, 'data'), { workerPath: defaultWorkerPath() });
  if (r.split.recordings !== 1) throw new Error(`the session was not cut: ${JSON.stringify(r.split)}`);
  const segmentIds = store.db.prepare('SELECT id FROM clips WHERE segment_start IS NOT NULL ORDER BY segment_start').pluck().all() as number[];
  decide(store, segmentIds);
  return { store, recording, segments: r.split.segments };
}

export interface ExpectedTier {
  name: string;
  /** One per clip, by start: its stretch and its text ('' for none). */
  spans: { xmin: number; xmax: number; text: string }[];
}

/** What the Praat and ELAN exports should show for each recording of a project: its duration and tiers. */
export function expectedTiers(views: readonly ClipView[]): Map<string, { durationSec: number; tiers: ExpectedTier[] }> {
  const byPath = new Map<string, ClipView[]>();
  for (const v of views) byPath.set(v.path, [...(byPath.get(v.path) ?? []), v]);
  const annotators = [...new Set(views.flatMap((v) => v.answers.filter((a) => !a[2]).map((a) => a[0])))].sort();
  const adjudications = views.some((v) => v.answers.some((a) => a[2]));
  const withModel = views.some((v) => v.predicted !== null);
  const out = new Map<string, { durationSec: number; tiers: ExpectedTier[] }>();
  for (const [path, clips] of byPath) {
    clips.sort((a, b) => (a.segmentStartSec ?? 0) - (b.segmentStartSec ?? 0));
    const durationSec = clips[0].segmentStartSec === null ? clips[0].durationSec : clips[0].fileDurationSec!;
    const tier = (name: string, text: (v: ClipView) => string | null): ExpectedTier => ({
      name,
      spans: clips.map((v) => ({ xmin: v.segmentStartSec ?? 0, xmax: v.segmentEndSec ?? durationSec, text: text(v) ?? '' })),
    });
    const tiers = [tier('label', (v) => v.label)];
    if (withModel) tiers.push(tier('prediction', (v) => v.predicted));
    if (annotators.length > 1) for (const a of annotators) tiers.push(tier(`annotator ${a}`, (v) => v.answers.find((x) => x[0] === a && !x[2])?.[1] ?? null));
    if (adjudications) tiers.push(tier('adjudication', (v) => v.answers.find((x) => x[2])?.[1] ?? null));
    out.set(path, { durationSec, tiers });
  }
  return out;
}

/** Checks read intervals of one tier against what it should show: they tile [0, duration], each clip's stretch
 * is one interval with its text, and every other interval is empty. Returns the problems found. */
export function tierProblems(read: readonly { xmin: number; xmax: number; text: string }[], want: ExpectedTier, durationSec: number, tol = 1e-6): string[] {
  const problems: string[] = [];
  const near = (a: number, b: number) => Math.abs(a - b) <= tol;
  if (!read.length || !near(read[0].xmin, 0) || !near(read[read.length - 1].xmax, durationSec)) problems.push(`${want.name}: does not span 0-${durationSec}`);
  for (let i = 1; i < read.length; i++) if (!near(read[i].xmin, read[i - 1].xmax)) problems.push(`${want.name}: a gap at ${read[i - 1].xmax}`);
  const used = new Set<number>();
  for (const s of want.spans) {
    const i = read.findIndex((r) => near(r.xmin, s.xmin) && near(r.xmax, s.xmax));
    if (i < 0) problems.push(`${want.name}: no interval ${s.xmin}-${s.xmax}`);
    else {
      used.add(i);
      if (read[i].text !== s.text) problems.push(`${want.name}: ${s.xmin}-${s.xmax} reads "${read[i].text}", not "${s.text}"`);
    }
  }
  read.forEach((r, i) => {
    if (!used.has(i) && r.text !== '') problems.push(`${want.name}: ${r.xmin}-${r.xmax} "${r.text}" is no clip's`);
  });
  return problems;
}
