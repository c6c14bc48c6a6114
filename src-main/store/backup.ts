// Online backup through SQLite's backup API (consistent even while another connection writes), written to
// a temporary file beside the target and renamed into place.
import { renameSync, rmSync } from 'node:fs';
import { describeWriteError, tempPathFor } from './export/atomic';
import type { ProjectStore } from './project-store';

export async function backupProject(store: ProjectStore, target: string): Promise<void> {
  const tmp = tempPathFor(target);
  try {
    await store.db.backup(tmp);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw describeWriteError(target, e);
  }
}
