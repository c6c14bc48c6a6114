// The project's clips as the pipeline sees them: id, speaker, current label; which classes count as known;
// their embeddings through the project's cache; the annotators' votes and the rows a head is fitted on (the
// current labels, or the votes' distribution: soft labels).
import type { EncoderSpec } from '../engine/encoders/create';
import { embedProjectClips, embedRunMessage } from '../jobs/embedding-cache';
import { clipVotes } from '../store/adjudication';
import type { ProjectStore } from '../store/project-store';
import type { EmbedRunOptions, RunHooks } from './types';

export interface ClipInfo {
  id: number;
  speaker: string | null;
  label: string | null;
}

export class PipelineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PipelineError';
  }
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** Whether the run was asked to stop (its signal aborted, or its poll says so). */
export function cancelRequested(hooks: RunHooks): boolean {
  return !!(hooks.signal?.aborted || hooks.shouldAbort?.());
}

export function checkCancelled(hooks: RunHooks): void {
  if (cancelRequested(hooks)) throw new CancelledError();
}

/** Every clip of the project with its current (annotated, else imported) label. */
export function projectClips(store: ProjectStore): ClipInfo[] {
  const out: ClipInfo[] = [];
  const page = 10_000;
  for (let offset = 0; ; offset += page) {
    const { rows, total } = store.listClipRows({ offset, limit: page });
    for (const r of rows) out.push({ id: r.id, speaker: r.speaker, label: r.currentLabel });
    if (offset + page >= total || rows.length === 0) break;
  }
  return out.sort((a, b) => a.id - b.id);
}

export function labelCounts(clips: readonly ClipInfo[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of clips) if (c.label !== null) m.set(c.label, (m.get(c.label) ?? 0) + 1);
  return m;
}

/** The known classes: the explicit list (each must have labelled clips) or every class with ≥ min clips. */
export function chooseKnownClasses(clips: readonly ClipInfo[], known: readonly string[] | undefined, minClips: number): string[] {
  const counts = labelCounts(clips);
  let out: string[];
  if (known && known.length) {
    const names = known.map((k) => k.trim()).filter(Boolean);
    if (new Set(names).size !== names.length) throw new PipelineError('the known classes contain a duplicate');
    const empty = names.filter((n) => !counts.get(n));
    if (empty.length) throw new PipelineError(`no clip is labelled ${empty.map((n) => `"${n}"`).join(', ')}`);
    out = names;
  } else {
    out = [...counts.entries()].filter(([, n]) => n >= minClips).map(([name]) => name).sort();
  }
  if (out.length < 2) throw new PipelineError(`training needs at least 2 known classes with labelled clips (have ${out.length}; at least ${minClips} clips each when chosen automatically)`);
  return out;
}

export interface ProjectVectors {
  vectors: Map<number, Float32Array>;
  errors: { clipId: number; file: string; error: string }[];
  computed: number;
  cached: number;
  provider: string | null;
}

/** Embeddings of every clip (from the cache where they are), reporting progress as stage 'embed'. */
export async function projectVectors(store: ProjectStore, encoder: EncoderSpec, embed: EmbedRunOptions, hooks: RunHooks): Promise<ProjectVectors> {
  const r = await embedProjectClips(store, {
    encoder,
    workerPath: embed.workerPath,
    workers: embed.workers,
    signal: hooks.signal,
    onProgress: (p) => hooks.onProgress?.({ stage: 'embed', done: p.done, total: p.total, message: `embedding clips (${p.cached} cached)` }),
  });
  if (r.cancelled) throw new CancelledError();
  checkCancelled(hooks);
  // Tells the job (and the status bar) where the embeddings actually ran, e.g. after a GPU provider fell back.
  if (r.provider)
    hooks.onProgress?.({ stage: 'embed', done: r.vectors.size, total: r.vectors.size + r.errors.length, message: embedRunMessage(r), provider: r.provider, clipsPerSec: r.clipsPerSec, encoder: r.encoderId });
  return { vectors: r.vectors, errors: r.errors, computed: r.computed, cached: r.cached, provider: r.provider };
}

/** Which labels a model is trained on: each clip's current label ('majority', the label rule's), or, where two
 * or more annotators voted, the distribution of their votes ('distribution': soft labels). */
export type TrainingLabels = 'majority' | 'distribution';

/** One row the heads are fitted on: a clip, a class and the row's sample weight. */
export interface TrainingRow {
  clipId: number;
  speaker: string | null;
  label: string;
  weight: number;
}

/** Each clip's votes (annotators' standing answers naming a class; adjudications are not votes), by clip id;
 * clips nobody voted on are absent. */
export function projectVotes(store: ProjectStore): Map<number, { annotator: string; label: string }[]> {
  const ids = (store.db.prepare('SELECT DISTINCT clip_id FROM annotations ORDER BY clip_id').all() as { clip_id: number }[]).map((r) => r.clip_id);
  const out = new Map<number, { annotator: string; label: string }[]>();
  for (const c of clipVotes(store.db, ids)) if (c.votes.length) out.set(c.clipId, c.votes);
  return out;
}

/**
 * The rows the heads are fitted on, clip by clip in the order given. 'majority': one row per clip whose current
 * label is known, weight 1 (what training always did). 'distribution': a clip with votes from two or more
 * annotators gives one row per voted known class, weighted by that class's share of all its votes (votes for
 * classes outside the known ones are dropped with their share, so such a clip weighs less than 1; an
 * adjudicated clip too follows its votes); every other clip one row of its current label, weight 1.
 */
export function trainingRows(
  clips: readonly ClipInfo[],
  votes: ReadonlyMap<number, readonly { label: string }[]>,
  known: readonly string[],
  labels: TrainingLabels,
): TrainingRow[] {
  const isKnown = new Set(known);
  const rows: TrainingRow[] = [];
  for (const c of clips) {
    const v = labels === 'distribution' ? votes.get(c.id) : undefined;
    if (v && v.length >= 2) {
      const counts = new Map<string, number>();
      for (const { label } of v) counts.set(label, (counts.get(label) ?? 0) + 1);
      for (const k of known) {
        const n = counts.get(k);
        if (n) rows.push({ clipId: c.id, speaker: c.speaker, label: k, weight: n / v.length });
      }
    } else if (c.label !== null && isKnown.has(c.label)) rows.push({ clipId: c.id, speaker: c.speaker, label: c.label, weight: 1 });
  }
  return rows;
}

/**
 * Sample weights that make a head's class balancing (Head.fit with classWeight 'balanced' weighs each row by
 * n / (classes × rows of its class)) count each class by its weight instead of its rows: a class seen mostly as
 * a minority vote would otherwise be counted by its many light rows. Each row's weight is scaled by
 * (rows of its class / weight of its class) × (total weight / rows), so that, times Head.fit's factor, a row of
 * class c weighs weight × total weight / (classes × weight of c). Unweighted rows come back as ones.
 */
export function balancedSampleWeights(y: ArrayLike<number>, weight: ArrayLike<number>, nClasses: number): Float64Array {
  const n = y.length;
  const rowsOf = new Float64Array(nClasses);
  const massOf = new Float64Array(nClasses);
  let mass = 0;
  for (let i = 0; i < n; i++) {
    rowsOf[y[i]]++;
    massOf[y[i]] += weight[i];
    mass += weight[i];
  }
  return Float64Array.from({ length: n }, (_, i) => (weight[i] * (rowsOf[y[i]] / massOf[y[i]]) * mass) / n);
}
