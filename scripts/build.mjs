// npm run build: builds every bundle (only what is stale unless --force).
import { createRequire } from 'node:module';
const { buildMainSync, buildRenderer } = createRequire(import.meta.url)('./build-lib.cjs');

const force = process.argv.includes('--force');
const t0 = Date.now();
const main = buildMainSync({ force });
const renderer = await buildRenderer({ force });
console.log(`build: main ${main ? 'rebuilt' : 'up to date'}, renderer ${renderer ? 'rebuilt' : 'up to date'} (${Date.now() - t0} ms)`);
