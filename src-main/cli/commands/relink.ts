// eodn relink <project> <folder>: after the project's audio moved (a renamed folder, another drive), finds
// each missing clip under <folder> by its content hash and points the clip at it. Nothing is deleted: clips
// still not found stay in the project, flagged missing, with their labels and history.
import type { CAC } from 'cac';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { refreshMissing, relinkByHash, type RelinkReport } from '../../store/import/relink';
import { ProjectStore } from '../../store/project-store';

export async function relinkProject(project: string, folder: string): Promise<RelinkReport & { missingBefore: number }> {
  const file = resolve(project);
  const dir = resolve(folder);
  if (!existsSync(file)) throw new Error(`no project file at ${file}`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: no such folder`);
  const store = ProjectStore.open(file);
  try {
    const missingBefore = refreshMissing(store);
    return { missingBefore, ...(await relinkByHash(store, dir)) };
  } finally {
    store.close();
  }
}

export function registerRelink(cli: CAC): void {
  cli
    .command('relink <project> <folder>', "Find the project's missing clips under a folder by content hash and update their paths")
    .example('eodn relink lab.eodn /mnt/new-drive/recordings')
    .action(async (project: string, folder: string) => {
      const r = await relinkProject(project, folder);
      console.log(`${r.missingBefore} clips were missing; ${r.relinked} relinked, ${r.stillMissing} still missing (${r.scanned} candidate files hashed under ${resolve(folder)})`);
      if (r.stillMissing > 0) process.exitCode = 1;
    });
}
