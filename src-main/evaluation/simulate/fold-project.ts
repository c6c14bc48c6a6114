// The projects a simulated curator works in. One template holds every clip of the dataset, unlabelled, with
// its speaker and its embedding cached (embedded once for all folds). Each leave-one-speaker-out fold copies
// it, drops the training speakers' clips of the unknown classes (the curator's labelled data has only the
// known ones), labels the training speakers' known clips as a dataset would (annotator "dataset") and trains
// the first model on them with the studio's own trainModel: the test speaker's clips are the unlabelled pool.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EncoderSpec } from '../../engine/encoders/create';
import { embedProjectClips } from '../../jobs/embedding-cache';
import { trainModel } from '../../pipeline';
import type { TrainOptions, UnknownDetectorChoice } from '../../pipeline/types';
import { importDataset } from '../../store/import';
import { ProjectStore } from '../../store/project-store';
import type { EvalClip } from '../dataset';

export const DATASET_ANNOTATOR = 'dataset';

export interface Template {
  file: string;
  /** Every clip: its id in the template (and in every copy), true label and speaker. */
  clips: { id: number; path: string; label: string; speaker: string; name: string }[];
  embedSeconds: number;
  cached: number;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export async function buildTemplate(dir: string, clips: readonly EvalClip[], encoder: EncoderSpec, opts: { workerPath?: string; log?: (l: string) => void } = {}): Promise<Template> {
  const manifest = join(dir, 'pool.csv');
  writeFileSync(manifest, ['path,label,speaker', ...clips.map((c) => `${csvField(c.path)},,${csvField(c.speaker)}`), ''].join('\n'));
  const file = join(dir, 'template.eodn');
  const store = ProjectStore.create(file, { name: 'simulation template' });
  try {
    const report = await importDataset(store, manifest);
    if (report.errors.length) throw new Error(`simulation: ${report.errors.length} clips could not be imported, e.g. ${report.errors[0].file}: ${report.errors[0].reason}`);
    let last = 0;
    const emb = await embedProjectClips(store, {
      encoder,
      workerPath: opts.workerPath,
      keepVectors: false,
      onProgress: (p) => {
        if (p.done === p.total || performance.now() - last > 5000) {
          last = performance.now();
          opts.log?.(`embedding ${p.done}/${p.total}`);
        }
      },
    });
    if (emb.errors.length) throw new Error(`simulation: ${emb.errors.length} clips could not be embedded, e.g. ${emb.errors[0].file}: ${emb.errors[0].error}`);
    const byPath = new Map(clips.map((c) => [c.path, c]));
    const rows = store.listClipRows({ offset: 0, limit: 1_000_000 }).rows;
    const paths = new Map(store.clipPaths().map((p) => [p.id, p.path]));
    const out = rows.map((r) => {
      const c = byPath.get(paths.get(r.id)!);
      if (!c) throw new Error(`simulation: clip ${r.id} is not in the dataset`);
      return { id: r.id, path: c.path, label: c.label, speaker: c.speaker, name: r.name };
    });
    return { file, clips: out.sort((a, b) => a.id - b.id), embedSeconds: emb.seconds, cached: emb.cached };
  } finally {
    store.close();
  }
}

export interface FoldSpec {
  testSpeaker: string;
  known: readonly string[];
  encoder: EncoderSpec;
  workerPath?: string;
  /** What the first model flags unknowns with (studio-loop.ts `loopUnknownDetector`). */
  unknownDetector?: UnknownDetectorChoice;
  /** Overrides of the detection head's settings (default: the studio's). */
  detectorHead?: TrainOptions['detectorHead'];
}

/** Copies the template to `file`, sets the fold's labelled data up and trains the known-class model. */
export async function foldProject(template: Template, file: string, spec: FoldSpec): Promise<{ poolIds: number[]; trainSeconds: number }> {
  const src = ProjectStore.open(template.file, { readonly: true });
  try {
    await src.db.backup(file);
  } finally {
    src.close();
  }
  const known = new Set(spec.known);
  const store = ProjectStore.open(file);
  try {
    const others = template.clips.filter((c) => c.speaker !== spec.testSpeaker);
    const drop = others.filter((c) => !known.has(c.label)).map((c) => c.id);
    const labelled = others.filter((c) => known.has(c.label));
    store.write(() => {
      const del = store.db.prepare('DELETE FROM clips WHERE id = ?');
      for (const id of drop) del.run(id);
      store.ensureClasses(spec.known, 'import');
      store.annotateMany(labelled.map((c) => ({ clipId: c.id, action: 'relabel' as const, label: c.label, annotator: DATASET_ANNOTATOR })));
    });
    const t0 = performance.now();
    await trainModel(store, { known: [...spec.known], encoder: spec.encoder, unknownDetector: spec.unknownDetector, detectorHead: spec.detectorHead, name: 'known classes', embed: { workerPath: spec.workerPath } });
    const poolIds = template.clips.filter((c) => c.speaker === spec.testSpeaker).map((c) => c.id);
    return { poolIds, trainSeconds: (performance.now() - t0) / 1000 };
  } finally {
    store.close();
  }
}

/** A copy of a fold's project, for one run of a policy (SQLite's backup: consistent, no fs call on the file). */
export async function copyProject(from: string, to: string): Promise<void> {
  const src = ProjectStore.open(from, { readonly: true });
  try {
    await src.db.backup(to);
  } finally {
    src.close();
  }
}
