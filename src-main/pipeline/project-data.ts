// The project's clips as the pipeline sees them: id, speaker, current label; which classes count as known;
// and their embeddings through the project's cache.
import type { EncoderSpec } from '../engine/encoders/create';
import { embedProjectClips } from '../jobs/embedding-cache';
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

export function checkCancelled(hooks: RunHooks): void {
  if (hooks.signal?.aborted || hooks.shouldAbort?.()) throw new CancelledError();
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
  if (r.provider) hooks.onProgress?.({ stage: 'embed', done: r.vectors.size, total: r.vectors.size + r.errors.length, message: `embedded on ${r.provider}`, provider: r.provider });
  return { vectors: r.vectors, errors: r.errors, computed: r.computed, cached: r.cached, provider: r.provider };
}
