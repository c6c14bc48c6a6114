// npm start: build what is stale, then open the studio on the demo project in Electron; where no Electron
// binary can be had (offline installs cannot download one), say so in one line and serve browser mode.
// Flags: --browser (force browser mode), --port N, --project FILE.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { buildMainSync, buildRenderer, root } = require('./build-lib.cjs');

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

buildMainSync();
await buildRenderer();

function electronBinary() {
  try {
    const bin = require('electron'); // the package exports the binary's path, or throws if it never downloaded
    return typeof bin === 'string' && fs.existsSync(bin) ? { bin } : { why: 'its binary was never downloaded' };
  } catch (e) {
    return { why: e.code === 'MODULE_NOT_FOUND' ? 'the electron package is not installed' : 'its binary was never downloaded' };
  }
}

const electron = args.includes('--browser') ? { why: '--browser was given' } : electronBinary();
let child;
if (electron.bin) {
  const { electronSqliteBinding } = require('./electron-native.cjs');
  const version = require('electron/package.json').version;
  const extra = flag('--project') ? ['--project', path.resolve(flag('--project'))] : [];
  child = spawn(electron.bin, [root, ...extra], { stdio: 'inherit', env: { ...process.env, EODN_SQLITE_BINDING: electronSqliteBinding(version) } });
} else {
  console.log(`Electron is not available here (${electron.why}; it downloads from the internet on install): serving the studio in browser mode instead.`);
  const serveArgs = ['serve', ...(flag('--project') ? [flag('--project')] : []), ...(flag('--port') ? ['--port', flag('--port')] : [])];
  child = spawn(process.execPath, [path.join(root, 'bin', 'eodn.cjs'), ...serveArgs], { stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
