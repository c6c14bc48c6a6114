// Electron embeds its own Node, with another ABI than the system Node that runs the CLI and the tests.
// Instead of rebuilding better-sqlite3 in place (which would break `eodn` and `npm test`), build a second copy
// of its addon against Electron's headers, once per Electron version, and hand its path to the app
// (EODN_SQLITE_BINDING → better-sqlite3's `nativeBinding`). onnxruntime-node uses N-API and needs nothing.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root } = require('./build-lib.cjs');

function electronSqliteBinding(electronVersion) {
  const out = path.join(root, 'dist', 'electron-native', `better_sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}.node`);
  if (fs.existsSync(out)) return out;
  const src = path.dirname(require.resolve('better-sqlite3/package.json', { paths: [root] }));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eodn-sqlite-electron-'));
  try {
    fs.cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) && !p.endsWith(`${path.sep}build`) });
    const gyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
    console.log(`Building better-sqlite3 for Electron ${electronVersion} (once; needs Electron's headers from the internet)…`);
    const r = spawnSync(
      process.execPath,
      [gyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
      { cwd: work, stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error(`node-gyp could not build better-sqlite3 for Electron ${electronVersion}`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), out);
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { electronSqliteBinding };
