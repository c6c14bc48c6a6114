// Store bench: how long a synthetic 100,000-clip project takes to fill, to open, and to page through.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../store/project-store';
import { populateSynthetic } from './synthetic-project';

export interface StoreBench {
  clips: number;
  /** Inserting the clip rows (10,000 per transaction), as an import would after hashing and decoding. */
  importSec: number;
  /** Predictions of one model version for every clip. */
  predictionsSec: number;
  /** ProjectStore.open on the filled file (pragmas, version check, no migration). */
  openSec: number;
  /** One 100-row page sorted by confidence, filtered by decision, at offset 50,000 (with its total). */
  listSec: number;
  fileBytes: number;
}

export function benchStore(opts: { clips?: number; dir?: string } = {}): StoreBench {
  const clips = opts.clips ?? 100_000;
  const dir = mkdtempSync(join(opts.dir ?? tmpdir(), 'eodn-bench-'));
  const file = join(dir, 'bench.eodn');
  try {
    let store = ProjectStore.create(file, { name: 'bench' });
    let t = performance.now();
    populateSynthetic(store, { clips });
    const importSec = (performance.now() - t) / 1000;
    t = performance.now();
    populateSynthetic(store, { clips: 0, predictions: true });
    const predictionsSec = (performance.now() - t) / 1000;
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    t = performance.now();
    store = ProjectStore.open(file);
    const openSec = (performance.now() - t) / 1000;
    t = performance.now();
    store.listClipRows({ offset: Math.floor(clips / 2), limit: 100, sort: { by: 'confidence', dir: 'desc' } });
    store.listClipRows({ offset: 0, limit: 100, filter: { decision: 'accepted', minConfidence: 0.2 }, sort: { by: 'name', dir: 'asc' } });
    const listSec = (performance.now() - t) / 1000;
    const fileBytes = (store.db.prepare('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()').pluck().get() as number) ?? 0;
    store.close();
    return { clips, importSec, predictionsSec, openSec, listSec, fileBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
