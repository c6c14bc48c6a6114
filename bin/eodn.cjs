#!/usr/bin/env node
// `eodn`: the studio's engine on the command line. Rebuilds the bundles first if sources changed
// (the renderer only for `serve`, the one command that shows it).
'use strict';
const { buildMainSync, buildRenderer } = require('../scripts/build-lib.cjs');

buildMainSync();
const needsRenderer = process.argv[2] === 'serve';
(needsRenderer ? buildRenderer() : Promise.resolve()).then(
  () => require('../dist/main/cli.cjs'),
  (e) => {
    console.error(`eodn: build failed: ${e.message}`);
    process.exitCode = 1;
  },
);
