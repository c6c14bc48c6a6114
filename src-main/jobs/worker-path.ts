// Where the embedding worker's entry file is: the bundled .cjs next to the running bundle (dist/main),
// or the TypeScript source when running unbundled (vitest, tsx), which embed-host loads through tsx.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../app/paths';

export function defaultWorkerPath(): string {
  // esbuild defines EODN_BUNDLED for the bundles; then __dirname is dist/main, where embed-worker.cjs lies.
  if (process.env.EODN_BUNDLED === '1') {
    const bundled = join(__dirname, 'embed-worker.cjs');
    if (existsSync(bundled)) return bundled;
  }
  return join(appRoot(), 'src-main', 'jobs', 'embed-worker.ts');
}
