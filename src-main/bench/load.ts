// `eodn bench --load`: a synthetic project of 100,000 clips (rows and cached embeddings, no audio) through
// the studio's own code paths: import (row inserts), opening (lock + missing-file check), paging the clip
// list at offsets, 10,000 single annotations in bursts as a reviewer makes them, and a training run on
// synthetic embeddings of every clip. Times per step and peak RSS (the whole process, sampled every 25 ms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encoderCacheKey } from '../engine/embed/cache-key';
import { trainModel } from '../pipeline';
import { refreshMissing } from '../store/import/relink';
import { ProjectStore } from '../store/project-store';
import { makeRng as rng } from '../engine/odn/rng';
import { SYNTHETIC_CLASSES, populateSynthetic } from '../store/synthetic';
import { withPeakRss } from './rss';

export interface LoadBenchOptions {
  clips?: number;
  annotations?: number;
  /** Annotations per burst (each its own transaction, as from the Review view). */
  burst?: number;
  /** Dimension of the synthetic embeddings. */
  dim?: number;
  /** Head epochs of the training run (the pipeline's default is 150). */
  epochs?: number;
  /** Speakers in the synthetic project: leave-one-speaker-out cross-validation trains one head per speaker. */
  speakers?: number;
  dir?: string;
  log?: (line: string) => void;
}

export interface LoadBench {
  clips: number;
  audioHours: number;
  importSec: number;
  /** Writing one cached embedding per clip (what embedding the project would leave behind). */
  embeddingsSec: number;
  /** ProjectStore.open with the lock, plus the missing-file check the studio runs on open. */
  openSec: number;
  missingFlagged: number;
  /** One 100-row page at each offset, sorted and filtered as the Library view asks. */
  pages: { offset: number; query: string; ms: number }[];
  annotate: { count: number; bursts: number; burstSize: number; meanMsPerAnnotation: number; maxBurstMs: number };
  train: { rows: number; trainRows: number; dim: number; epochs: number; speakers: number; seconds: number; predictions: number };
  peakRssMb: { import: number; annotate: number; train: number; overall: number };
  fileBytes: number;
}

const sec = (t0: number) => (performance.now() - t0) / 1000;

export async function benchLoad(opts: LoadBenchOptions = {}): Promise<LoadBench> {
  const clips = opts.clips ?? 100_000;
  const annotations = Math.min(opts.annotations ?? 10_000, clips);
  const burstSize = opts.burst ?? 100;
  const dim = opts.dim ?? 64;
  const epochs = opts.epochs ?? 20;
  const speakers = opts.speakers ?? 4;
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(opts.dir ?? tmpdir(), 'eodn-load-'));
  const file = join(dir, 'load.eodn');
  try {
    return await withPeakRss(async () => {
      log(`load: importing ${clips} synthetic clips…`);
      let importSec = 0;
      let embeddingsSec = 0;
      const imp = await withPeakRss(async () => {
        const store = ProjectStore.create(file, { name: 'load' });
        try {
          let t = performance.now();
          populateSynthetic(store, { clips, speakers });
          importSec = sec(t);
          t = performance.now();
          putSyntheticEmbeddings(store, dim);
          embeddingsSec = sec(t);
          store.db.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          store.close();
        }
      });

      let t = performance.now();
      const store = ProjectStore.open(file, { lock: true });
      try {
        const missingFlagged = refreshMissing(store); // synthetic paths do not exist: every clip is flagged
        const openSec = sec(t);
        const audioHours = (store.db.prepare('SELECT SUM(duration_sec) FROM clips').pluck().get() as number) / 3600;

        log('load: paging the clip list…');
        const pages: LoadBench['pages'] = [];
        for (const offset of [0, Math.floor(clips / 2), Math.max(0, clips - 100)]) {
          for (const [query, q] of [
            ['by name', { sort: { by: 'name', dir: 'asc' } }],
            ['label = anger, by duration desc', { filter: { label: 'anger' }, sort: { by: 'duration', dir: 'desc' } }],
          ] as const) {
            const t0 = performance.now();
            store.listClipRows({ offset, limit: 100, ...q });
            pages.push({ offset, query, ms: performance.now() - t0 });
          }
        }

        log(`load: ${annotations} annotations in bursts of ${burstSize}…`);
        let maxBurstMs = 0;
        let annotateMs = 0;
        let bursts = 0;
        const ann = await withPeakRss(async () => {
          const rand = rng(7);
          for (let done = 0; done < annotations; done += burstSize, bursts++) {
            const t0 = performance.now();
            for (let k = done; k < Math.min(annotations, done + burstSize); k++) {
              const clipId = 1 + Math.floor(rand() * clips);
              store.annotate(clipId, { annotator: 'load', action: 'relabel', label: SYNTHETIC_CLASSES[k % SYNTHETIC_CLASSES.length] });
            }
            const ms = performance.now() - t0;
            annotateMs += ms;
            maxBurstMs = Math.max(maxBurstMs, ms);
            // Between bursts the reviewer's view refreshes its page.
            store.listClipRows({ offset: 0, limit: 100, filter: { reviewed: false } });
            await new Promise((r) => setImmediate(r));
          }
        });

        log(`load: training on ${clips} synthetic ${dim}-d embeddings (${epochs} epochs, ${speakers} speakers)…`);
        const known = SYNTHETIC_CLASSES.slice(0, 5);
        t = performance.now();
        const tr = await withPeakRss(() => trainModel(store, { known, encoder: { kind: 'functionals' }, head: { epochs }, name: 'load bench' }));
        const trainSec = sec(t);
        const version = tr.value;
        const fileBytes = store.db.prepare('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()').pluck().get() as number;
        return {
          clips,
          audioHours,
          importSec,
          embeddingsSec,
          openSec,
          missingFlagged,
          pages,
          annotate: { count: annotations, bursts, burstSize, meanMsPerAnnotation: annotations ? annotateMs / annotations : 0, maxBurstMs },
          train: {
            rows: clips,
            trainRows: (version.metrics as { nTrain: number }).nTrain,
            dim,
            epochs,
            speakers,
            seconds: trainSec,
            predictions: store.listPredictions(version.id).length,
          },
          peakRssMb: { import: imp.peakRssMb, annotate: ann.peakRssMb, train: tr.peakRssMb, overall: 0 },
          fileBytes,
        } satisfies LoadBench;
      } finally {
        store.close();
      }
    }).then(({ value, peakRssMb }) => ({ ...value, peakRssMb: { ...value.peakRssMb, overall: peakRssMb } }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One cached embedding per clip under the functionals encoder's cache key, so that training reads them instead
 * of decoding audio. Each class gets its own mean direction plus noise: separable, but not trivially.
 */
function putSyntheticEmbeddings(store: ProjectStore, dim: number): void {
  const { encoderId, settingsHash } = encoderCacheKey({ kind: 'functionals' });
  const rand = rng(3);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const centres = SYNTHETIC_CLASSES.map(() => Float32Array.from({ length: dim }, gauss));
  const rows = store.db.prepare('SELECT id, hash, import_label AS label FROM clips ORDER BY id').all() as { id: number; hash: string; label: string | null }[];
  for (let s = 0; s < rows.length; s += 5000) {
    store.putEmbeddings(
      rows.slice(s, s + 5000).map((r) => {
        const c = r.label ? centres[SYNTHETIC_CLASSES.indexOf(r.label)] : centres[r.id % centres.length];
        const v = new Float32Array(dim);
        for (let k = 0; k < dim; k++) v[k] = 0.6 * c[k] + gauss();
        return { key: { clipHash: r.hash, segment: '', encoderId, settingsHash }, vector: v };
      }),
    );
  }
}

export function formatLoadBench(b: LoadBench): string {
  const f = (x: number, d = 2) => x.toFixed(d);
  return [
    `load: ${b.clips} clips (${f(b.audioHours, 1)} h of audio by duration), project file ${f(b.fileBytes / 2 ** 20, 0)} MiB`,
    `  import ${f(b.importSec)} s; cached embeddings ${f(b.embeddingsSec)} s; open + missing check ${f(b.openSec)} s (${b.missingFlagged} flagged)`,
    ...b.pages.map((p) => `  page at ${p.offset} (${p.query}): ${f(p.ms, 1)} ms`),
    `  annotate ${b.annotate.count} in ${b.annotate.bursts} bursts of ${b.annotate.burstSize}: ${f(b.annotate.meanMsPerAnnotation, 2)} ms each on average, slowest burst ${f(b.annotate.maxBurstMs, 0)} ms`,
    `  train on ${b.train.rows} clips (${b.train.trainRows} labelled known, ${b.train.dim}-d, ${b.train.epochs} epochs, ${b.train.speakers} speakers): ${f(b.train.seconds, 1)} s, ${b.train.predictions} predictions`,
    `  peak RSS: import ${f(b.peakRssMb.import, 0)} MiB, annotate ${f(b.peakRssMb.annotate, 0)} MiB, train ${f(b.peakRssMb.train, 0)} MiB, overall ${f(b.peakRssMb.overall, 0)} MiB`,
  ].join('\n');
}
