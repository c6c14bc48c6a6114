// npm run dist: package the studio with electron-builder. It needs Electron's binary and packaging tools that
// it downloads on first use; where that cannot work (no internet), say what is needed instead of failing
// obscurely.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { buildMainSync, buildRenderer, root } = require('./build-lib.cjs');
const args = process.argv.slice(2);

// Check for Electron before building anything: the answer comes at once, and a failed run changes no file.
const hasLocalElectron = args.some((a) => a.startsWith('-c.electronDist=') || a.startsWith('--config.electronDist='));
let electronBin = null;
try {
  electronBin = require('electron');
} catch {
  /* not installed or never downloaded */
}
if (!hasLocalElectron && !(typeof electronBin === 'string' && fs.existsSync(electronBin))) {
  console.error(
    [
      'npm run dist needs an Electron binary, and none is installed here (offline installs cannot download it).',
      'Either run it on a machine with internet access (npm ci downloads Electron; electron-builder then fetches',
      'its AppImage/deb/nsis/dmg tools), or pass a local Electron: npm run dist -- -c.electronDist=/path/to/electron-dist',
    ].join('\n'),
  );
  process.exit(2);
}
buildMainSync({ force: true });
await buildRenderer({ force: true });
const cli = path.join(root, 'node_modules', 'electron-builder', 'cli.js');
const result = spawnSync(process.execPath, [cli, '--config', 'electron-builder.yml', ...args], { stdio: 'inherit', cwd: root });
if (result.status !== 0) {
  console.error('electron-builder failed. If the log mentions downloads from github.com, this machine has no internet access: see above.');
}
process.exit(result.status ?? 1);
