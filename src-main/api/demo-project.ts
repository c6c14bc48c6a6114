// The built-in demo project: created on first start in the user's data folder from resources/demo
// (80 EmoDB clips and their manifest); the audio stays where it is, referenced by path.
// A demo without a model shows no decisions, so when it has no model version yet a first model is trained
// in the background on five known classes, leaving disgust and fear as the unknowns to discover. It takes a
// few seconds on 2 cores (the default speech-embedding encoder on 80 clips), runs in a worker and reports through `job.progress`
// (the status bar); the library is usable meanwhile. EODN_DEMO_AUTOTRAIN=0 turns it off.
import fs from 'node:fs';
import path from 'node:path';
import { resourcesDir } from '../app/paths';
import { importDataset } from '../store/import';
import { ProjectStore } from '../store/project-store';
import type { StudioService } from './studio-service';

export const DEMO_PROJECT_NAME = 'EmoDB demo (2 speakers)';
/** The demo's known classes; disgust and fear are left out on purpose, to be found as unknown. */
export const DEMO_KNOWN_CLASSES = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];

export interface DemoOptions {
  /** Train a first model in the background when the demo has none (default: on unless EODN_DEMO_AUTOTRAIN=0). */
  autoTrain?: boolean;
}

/** Creates the demo project if needed (finishing an interrupted first import), then opens it. */
export async function openDemoProject(service: StudioService, dataDir: string, opts: DemoOptions = {}): Promise<string> {
  const file = path.join(dataDir, 'projects', 'emodb-demo.eodn');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 }); // the user's data folder: theirs only
  // The lock comes first: a second studio on the demo is refused (StoreError 'locked') before it touches the
  // file. The service's own open below shares this process's lock, so it is never released in between.
  const store = fs.existsSync(file) ? ProjectStore.open(file, { lock: true }) : ProjectStore.create(file, { name: DEMO_PROJECT_NAME, lock: true });
  try {
    // Re-running an import adds only what is missing, so a first start killed halfway heals itself.
    const report = await importDataset(store, path.join(resourcesDir(), 'demo', 'labels.csv'));
    if (report.errors.length) throw new Error(`demo project: ${report.errors.map((e) => `${e.file}: ${e.reason}`).join('; ')}`);
    service.openProject(file);
  } finally {
    store.close();
  }
  const autoTrain = opts.autoTrain ?? process.env.EODN_DEMO_AUTOTRAIN !== '0';
  // A training killed earlier left no version (and was marked failed on open): it simply starts again.
  if (autoTrain && service.currentStore?.listModelVersions().length === 0) {
    service.startTraining({ known: DEMO_KNOWN_CLASSES, name: 'demo: 5 known classes' });
  }
  return file;
}
