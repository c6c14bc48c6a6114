// Label Studio task JSON (importable through its "Import" dialog), with the labeling config it needs beside it
// (`<out>.config.xml`). One task per clip:
//   data.audio   a URL Label Studio can load: `--audio-url-prefix` + the clip's path relative to an audio root
//                (URL-encoded per segment), or `/data/local-files/?d=<path relative to --local-files-root>` (its
//                local-files storage, served from LOCAL_FILES_DOCUMENT_ROOT); without either, the absolute path
//                (Label Studio will not find it; the CLI warns).
//   data.*       the clip id, name, speaker, segment offsets, import label, current label and the model's decision;
//                data.vote_distribution (each voted class's share of the annotators' votes, an object class →
//                share) and data.label_rule (the step of the rule that gave data.label: single, majority,
//                adjudicated, unresolved, none), as in the CSV export (tabular.ts). `eodn import` ignores them.
//   annotations  the import label first (when there is one), then each annotator's current answer (the
//                append-only history replayed), oldest first (an empty result when a reject left no label); an
//                adjudicator's decision has ground_truth true. The clip's label follows from them by the studio's
//                rule (current-label.ts: adjudication, else majority, else the one answer) and is data.label.
//                Label Studio's completed_by is one of its user ids, so the annotator's name goes in
//                meta.eodn.annotators, one per annotation, in order: `eodn import` replays them as they were.
//   predictions  the active model version's label, with model_version (its name) and score (its confidence).
//   meta.eodn    the clip id, its path, and how data.audio was made (so `eodn import` can map it back).
// Every result is a Choices result on the whole task; a segment's offsets stay in data (segment_start/end).
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { StoreError } from '../errors';
import type { ProjectStore } from '../project-store';
import { writeFileAtomic } from './atomic';
import { exportRows } from './rows';
import { softLabelValues } from './tabular';

export { currentLabelsByAnnotator } from './rows';

export interface LabelStudioOptions {
  /** Turns a clip's absolute path into the URL Label Studio loads (overrides the options below). */
  audioUrl?: (path: string) => string;
  /** data.audio = this prefix + the clip's path relative to `audioRoot`, URL-encoded per path segment. */
  audioUrlPrefix?: string;
  /** The folder `audioUrlPrefix` stands for (default: the common folder of the clips). */
  audioRoot?: string;
  /** Label Studio's LOCAL_FILES_DOCUMENT_ROOT: data.audio = /data/local-files/?d=<path relative to it>. */
  localFilesRoot?: string;
  fromName?: string;
  toName?: string;
}

/** How data.audio was made, kept in each task's meta.eodn so that an import can map URLs back to files. */
export type AudioMapping = { kind: 'path' } | { kind: 'url-prefix'; prefix: string; root: string } | { kind: 'local-files'; root: string } | { kind: 'custom' };

export const LOCAL_FILES_URL = '/data/local-files/?d=';

/** A relative path as URL path segments, each percent-encoded (the slashes kept). */
export const encodePathSegments = (rel: string): string => rel.split(sep).map(encodeURIComponent).join('/');

/** The deepest folder holding every path (the root `/` at worst). */
export function commonFolder(paths: Iterable<string>): string | null {
  let common: string[] | null = null;
  for (const p of paths) {
    const parts = dirname(resolve(p)).split(sep);
    if (!common) common = parts;
    else {
      let i = 0;
      while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
      common = common.slice(0, i);
    }
  }
  if (!common) return null;
  return common.join(sep) || sep;
}

function relativeUnder(root: string, path: string, option: string): string {
  const rel = relative(root, path);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) {
    throw new StoreError('invalid', `${path} is not under ${root}: choose ${option} so that it holds every clip of the project`);
  }
  return rel;
}

/** The function that makes data.audio, and the mapping it stands for. Throws StoreError when a clip lies outside
 * the chosen root (before anything is written). */
export function labelStudioAudio(paths: readonly string[], opts: LabelStudioOptions): { url: (path: string) => string; mapping: AudioMapping } {
  if (opts.audioUrl) return { url: opts.audioUrl, mapping: { kind: 'custom' } };
  if (opts.audioUrlPrefix != null && opts.localFilesRoot != null) throw new StoreError('invalid', 'give either an audio URL prefix or a local-files root, not both');
  let url: (path: string) => string;
  let mapping: AudioMapping;
  if (opts.localFilesRoot != null) {
    const root = resolve(opts.localFilesRoot);
    url = (p) => LOCAL_FILES_URL + encodePathSegments(relativeUnder(root, p, '--local-files-root'));
    mapping = { kind: 'local-files', root };
  } else if (opts.audioUrlPrefix != null) {
    const root = resolve(opts.audioRoot ?? commonFolder(paths) ?? '.');
    const prefix = opts.audioUrlPrefix;
    url = (p) => prefix + encodePathSegments(relativeUnder(root, p, '--audio-root'));
    mapping = { kind: 'url-prefix', prefix, root };
  } else return { url: (p) => p, mapping: { kind: 'path' } };
  for (const p of paths) url(p); // every clip checked first: a bad root writes nothing
  return { url, mapping };
}

/** The labeling config the tasks need: an Audio tag fed by $audio and one Choice per project class. */
export function labelStudioConfig(classes: readonly string[], opts: Pick<LabelStudioOptions, 'fromName' | 'toName'> = {}): string {
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const from = x(opts.fromName ?? 'emotion');
  const to = x(opts.toName ?? 'audio');
  return [
    '<View>',
    `  <Audio name="${to}" value="$audio"/>`,
    `  <Choices name="${from}" toName="${to}" choice="single" showInline="true">`,
    ...classes.map((c) => `    <Choice value="${x(c)}"/>`),
    '  </Choices>',
    '</View>',
    '',
  ].join('\n');
}

export function labelStudioTasks(store: ProjectStore, opts: LabelStudioOptions = {}): unknown[] {
  const fromName = opts.fromName ?? 'emotion';
  const toName = opts.toName ?? 'audio';
  const rows = [...exportRows(store)];
  const { url, mapping } = labelStudioAudio(rows.map((r) => r.path), opts);
  const choice = (label: string) => [{ from_name: fromName, to_name: toName, type: 'choices', value: { choices: [label] } }];
  const addedAt = new Map((store.db.prepare('SELECT id, added_at FROM clips').all() as { id: number; added_at: string }[]).map((r) => [r.id, r.added_at]));
  const version = store.activeModelVersionId();
  const versionName = version == null ? null : store.getModelVersion(version).name || String(version);
  const tasks: unknown[] = [];
  for (const r of rows) {
    const annotations: unknown[] = [];
    const annotators: string[] = [];
    if (r.importLabel) {
      annotations.push({ result: choice(r.importLabel), was_cancelled: false, ground_truth: false, created_at: addedAt.get(r.id) });
      annotators.push('import');
    }
    for (const a of r.answers) {
      // A reject that leaves the clip without a label: an annotation with no choice.
      // An adjudicator's decision is Label Studio's ground truth.
      annotations.push({ result: a.label ? choice(a.label) : [], was_cancelled: false, ground_truth: a.adjudicated === true, created_at: a.createdAt });
      annotators.push(a.annotator);
    }
    const soft = softLabelValues(r);
    const task: Record<string, unknown> = {
      data: {
        audio: url(r.path),
        clip_id: r.id,
        name: r.name,
        speaker: r.speaker,
        segment_start: r.segmentStartSec,
        segment_end: r.segmentEndSec,
        import_label: r.importLabel,
        label: r.currentLabel,
        reviewed: r.reviewed,
        decision: r.decision,
        vote_distribution: soft.distribution,
        label_rule: soft.rule,
      },
      meta: { eodn: { clip_id: r.id, path: r.path, audio: mapping, annotators } },
    };
    if (annotations.length) task.annotations = annotations;
    if (r.predictedLabel && r.modelVersionId != null) {
      task.predictions = [{ model_version: versionName, score: r.confidence, result: choice(r.predictedLabel) }];
    }
    tasks.push(task);
  }
  return tasks;
}

/** `<out>.config.xml`: where the labeling config of an export to `target` goes. */
export const labelStudioConfigPath = (target: string): string => `${target}.config.xml`;

export function exportLabelStudio(store: ProjectStore, target: string, opts: LabelStudioOptions = {}): number {
  const tasks = labelStudioTasks(store, opts);
  writeFileAtomic(target, [JSON.stringify(tasks, null, 1)]);
  writeFileAtomic(labelStudioConfigPath(target), [labelStudioConfig(store.classes().map((c) => c.name), opts)]);
  return tasks.length;
}
