// Synthetic projects (rows and cached embeddings, no audio) for the benches and the large-project tests.
import { createHash } from 'node:crypto';
import { DECISION_KINDS } from '../../shared/domain';
import { encoderCacheKey } from '../engine/embed/cache-key';
import { makeGaussian, makeRng } from '../engine/odn/rng';
import type { NewClip } from '../store/clips';
import type { EmbeddingKey } from '../store/embeddings';
import type { ProjectStore } from '../store/project-store';

export const SYNTHETIC_CLASSES = ['anger', 'boredom', 'disgust', 'fear', 'happiness', 'neutral', 'sadness'];

export function syntheticClip(i: number, rand: () => number, speakers = 40): NewClip {
  return {
    path: `/synthetic/spk${i % speakers}/clip-${String(i).padStart(6, '0')}.wav`,
    hash: createHash('sha256').update(`synthetic-${i}`).digest('hex'),
    sizeBytes: 88_244,
    durationSec: 0.5 + rand() * 9.5,
    sampleRate: 16000,
    channels: 1,
    speaker: `spk${i % speakers}`,
    importLabel: i % 5 === 0 ? null : SYNTHETIC_CLASSES[i % SYNTHETIC_CLASSES.length],
  };
}

export interface SyntheticOptions {
  clips: number;
  /** Also insert a model version, make it active and predict every clip. */
  predictions?: boolean;
  /** Annotate every n-th clip (relabel), 0 for none. */
  annotateEvery?: number;
  batch?: number;
  seed?: number;
  /** Distinct speakers, clip i belonging to speaker i mod n (default 40). */
  speakers?: number;
}

export function populateSynthetic(store: ProjectStore, o: SyntheticOptions): void {
  const rand = makeRng(o.seed ?? 1);
  const batch = o.batch ?? 10_000;
  store.ensureClasses(SYNTHETIC_CLASSES, 'import');
  for (let start = 0; start < o.clips; start += batch) {
    const clips: NewClip[] = [];
    for (let i = start; i < Math.min(o.clips, start + batch); i++) clips.push(syntheticClip(i, rand, o.speakers));
    store.insertClips(clips);
  }
  if (o.predictions) {
    const v = store.insertModelVersion({ parentId: null, name: 'synthetic', classes: SYNTHETIC_CLASSES, bundle: {}, thresholds: {}, settings: {}, metrics: {} });
    store.setActiveModelVersion(v.id);
    const ids = store.db.prepare('SELECT id FROM clips ORDER BY id').pluck().all() as number[];
    for (let s = 0; s < ids.length; s += batch) {
      store.upsertPredictions(
        v.id,
        ids.slice(s, s + batch).map((clipId) => {
          const probs = SYNTHETIC_CLASSES.map(() => rand());
          const sum = probs.reduce((a, b) => a + b, 0);
          const p = probs.map((x) => x / sum);
          const order = p.map((x, k) => [x, k]).sort((a, b) => b[0] - a[0]);
          const kind = DECISION_KINDS[clipId % DECISION_KINDS.length];
          return {
            clipId,
            probs: p,
            pad: null,
            nearest: [],
            decision: {
              kind,
              top1: order[0][1],
              top2: order[1][1],
              p1: order[0][0],
              p2: order[1][0],
              eta: 0.5,
              mu: 0.2,
              delta: 0.1,
              label: kind === 'unknown' || kind === 'ambiguous-unknown' ? null : SYNTHETIC_CLASSES[order[0][1]],
              reason: 'synthetic',
            },
          };
        }),
      );
    }
  }
  if (o.annotateEvery) {
    const ids = store.db.prepare(`SELECT id FROM clips WHERE id % ${o.annotateEvery} = 0 ORDER BY id`).pluck().all() as number[];
    store.annotateMany(ids.map((clipId) => ({ clipId, annotator: 'synthetic', action: 'relabel' as const, label: SYNTHETIC_CLASSES[clipId % 3] })));
  }
}

/**
 * One cached embedding per clip under the functionals encoder's cache key, so that training reads them instead
 * of decoding audio. Each class gets its own mean direction plus noise: separable, but not trivially.
 */
export function putSyntheticEmbeddings(store: ProjectStore, dim: number, seed = 3): void {
  const { encoderId, settingsHash } = encoderCacheKey({ kind: 'functionals' });
  const gauss = makeGaussian(makeRng(seed));
  const centres = SYNTHETIC_CLASSES.map(() => Float32Array.from({ length: dim }, gauss));
  const rows = store.db.prepare('SELECT id, hash, import_label AS label FROM clips ORDER BY id').all() as { id: number; hash: string; label: string | null }[];
  for (let s = 0; s < rows.length; s += 5000) {
    store.putEmbeddings(
      rows.slice(s, s + 5000).map((r) => {
        const c = r.label ? centres[SYNTHETIC_CLASSES.indexOf(r.label)] : centres[r.id % centres.length];
        const v = new Float32Array(dim);
        for (let k = 0; k < dim; k++) v[k] = 0.6 * c[k] + gauss();
        return { key: { clipHash: r.hash, segment: '', encoderId, settingsHash } satisfies EmbeddingKey, vector: v };
      }),
    );
  }
}
