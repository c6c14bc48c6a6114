// Online backup through SQLite's backup API (consistent even while another connection writes), written to
// a temporary file beside the target and renamed into place (never over a device, FIFO or folder).
import { renameSync, rmSync } from 'node:fs';
import { describeWriteError, refuseSpecialTarget, tempPathFor } from './export/atomic';
import type { ProjectStore } from './project-store';

export async function backupProject(store: ProjectStore, target: string): Promise<void> {
  refuseSpecialTarget(target); // a device or FIFO at the target would be replaced by the backup
  const tmp = tempPathFor(target);
  try {
    await store.db.backup(tmp);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw describeWriteError(target, e);
  }
}
