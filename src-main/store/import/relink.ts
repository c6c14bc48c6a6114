// Finding clips again after their folder moved: clips are identified by content hash, so any file under the
// new folder with the same bytes is the same clip.
import { existsSync, statSync } from 'node:fs';
import { NotRegularFileError, readRegularFile } from '../../engine/regular-file';
import type { ProjectStore } from '../project-store';
import { sha256 } from './import-dataset';
import { walkAudio } from './sources';

/** Re-checks every clip's path and sets the missing flag; returns how many are missing. */
export function refreshMissing(store: ProjectStore): number {
  const rows = store.clipPaths();
  const update = store.db.prepare('UPDATE clips SET missing = ? WHERE id = ?');
  let missing = 0;
  store.write(() => {
    for (const r of rows) {
      const gone = !existsSync(r.path);
      missing += gone ? 1 : 0;
      if (gone !== r.missing) update.run(gone ? 1 : 0, r.id);
    }
  });
  return missing;
}

export interface RelinkReport {
  relinked: number;
  stillMissing: number;
  scanned: number;
}

export async function relinkByHash(store: ProjectStore, folder: string): Promise<RelinkReport> {
  refreshMissing(store);
  const missing = store.db.prepare('SELECT id, hash, size_bytes FROM clips WHERE missing = 1').all() as { id: number; hash: string; size_bytes: number }[];
  const byHash = new Map<string, number[]>();
  for (const m of missing) byHash.set(m.hash, [...(byHash.get(m.hash) ?? []), m.id]);
  // Only files of a size some missing clip has are worth hashing.
  const sizes = new Set(missing.map((m) => m.size_bytes));
  const found: { ids: number[]; path: string }[] = [];
  let scanned = 0;
  if (missing.length) {
    for (const file of walkAudio(folder)) {
      if (!sizes.has(statSync(file).size)) continue;
      scanned++;
      // walkAudio lists regular files only, but one may have been swapped for a FIFO since: never block on it.
      let bytes: Buffer;
      try {
        bytes = await readRegularFile(file);
      } catch (e) {
        if (e instanceof NotRegularFileError) continue;
        throw e;
      }
      const hash = sha256(bytes);
      const ids = byHash.get(hash);
      if (ids) {
        found.push({ ids, path: file });
        byHash.delete(hash);
      }
    }
  }
  const update = store.db.prepare('UPDATE clips SET path = ?, missing = 0 WHERE id = ?');
  let relinked = 0;
  store.write(() => {
    for (const f of found) for (const id of f.ids) relinked += update.run(f.path, id).changes;
  });
  return { relinked, stillMissing: missing.length - relinked, scanned };
}
