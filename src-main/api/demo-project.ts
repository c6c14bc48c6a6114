// The built-in demo project: created on first start in the user's data folder from resources/demo
// (80 EmoDB clips and their manifest); the audio stays where it is, referenced by path.
import fs from 'node:fs';
import path from 'node:path';
import { resourcesDir } from '../app/paths';
import { importDataset } from '../store/import';
import { ProjectStore } from '../store/project-store';
import type { StudioService } from './studio-service';

export const DEMO_PROJECT_NAME = 'EmoDB demo (2 speakers)';

/** Creates the demo project if needed (finishing an interrupted first import), then opens it. */
export async function openDemoProject(service: StudioService, dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'projects', 'emodb-demo.eodn');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const store = fs.existsSync(file) ? ProjectStore.open(file) : ProjectStore.create(file, { name: DEMO_PROJECT_NAME });
  try {
    // Re-running an import adds only what is missing, so a first start killed halfway heals itself.
    const report = await importDataset(store, path.join(resourcesDir(), 'demo', 'labels.csv'));
    if (report.errors.length) throw new Error(`demo project: ${report.errors.map((e) => `${e.file}: ${e.reason}`).join('; ')}`);
  } finally {
    store.close();
  }
  service.openProject(file);
  return file;
}
