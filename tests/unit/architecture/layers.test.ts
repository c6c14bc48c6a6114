// The house keeps its shape: every import in src-main, src-renderer and shared points down the layers table
// of docs/ARCHITECTURE.md (the table is the data this test reads), and no files import each other in a loop.
// The second block shows the checker failing on a deliberately upward import and on a cycle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../store/helpers';
import { importCycles, layerViolations, parseLayerTable, readImportGraph, type ImportGraph } from './import-graph';

const layers = parseLayerTable(readFileSync(join(REPO, 'docs/ARCHITECTURE.md'), 'utf8'));
const graph = readImportGraph(REPO, ['shared', 'src-main', 'src-renderer']);

/** Packages that must never reach the renderer or the shared contract (they run in a browser page). */
const NODE_ONLY = /^(node:|electron$|better-sqlite3$|onnxruntime-node$|worker_threads$|fs$|path$)/;

describe('layers (docs/ARCHITECTURE.md)', () => {
  it('the table is read: a stack of layers, each with folders', () => {
    expect(layers.map((l) => l.name)).toEqual(expect.arrayContaining(['shared contract', 'engine', 'store', 'pipeline', 'api', 'renderer']));
    for (const l of layers) expect(l.folders.length, l.name).toBeGreaterThan(0);
    expect(graph.size).toBeGreaterThan(150);
  });

  it('every import points down the table', () => {
    expect(layerViolations(graph, layers)).toEqual([]);
  });

  it('no files import each other, directly or through others', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('the renderer and the shared contract import no Node-only package', () => {
    const bad: string[] = [];
    for (const file of graph.keys()) {
      if (!file.startsWith('src-renderer/') && !file.startsWith('shared/')) continue;
      const text = readFileSync(join(REPO, file), 'utf8');
      for (const m of text.matchAll(/from\s*['"]([^'"]+)['"]/g)) if (NODE_ONLY.test(m[1])) bad.push(`${file} → ${m[1]}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('the checker itself fails on', () => {
  const stack = parseLayerTable(`## Layers
| layer | folders | may import | knows |
| --- | --- | --- | --- |
| shared contract | \`shared/\` | — | types |
| engine | \`src-main/engine/\` | shared contract | the method |
| store | \`src-main/store/\` | engine, shared contract | SQLite |
`);

  it('an upward import (the engine importing the store)', () => {
    const upward: ImportGraph = new Map([
      ['src-main/engine/odn/decide.ts', ['src-main/store/db.ts', 'shared/domain.ts']],
      ['src-main/store/db.ts', ['src-main/engine/odn/decide.ts']],
      ['shared/domain.ts', []],
    ]);
    expect(layerViolations(upward, stack)).toEqual(['src-main/engine/odn/decide.ts → src-main/store/db.ts: engine may not import store']);
    expect(importCycles(upward)).toEqual([['src-main/engine/odn/decide.ts', 'src-main/store/db.ts']]);
  });

  it('a file in no layer, and a table row that allows an import upward', () => {
    const bad = parseLayerTable(`## Layers
| layer | folders | may import | knows |
| --- | --- | --- | --- |
| shared contract | \`shared/\` | engine | types |
| engine | \`src-main/engine/\` | shared contract | the method |
`);
    expect(layerViolations(new Map([['src-main/elsewhere/x.ts', []]]), bad)).toEqual([
      'table: layer "shared contract" may import "engine", which is not below it',
      'src-main/elsewhere/x.ts: in no layer of the table',
    ]);
  });
});
