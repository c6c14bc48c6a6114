// The import graph of the sources and the layer rules of docs/ARCHITECTURE.md, as data: the layers test
// reads the table there (one row per layer, lowest first, each with its folders and the layers it may import)
// and checks every relative import against it, and that no two files import each other, even through others.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export interface Layer {
  name: string;
  /** Folders (repo-relative, no trailing slash) whose files belong to this layer. */
  folders: string[];
  /** Layers this one may import (its own files always). */
  mayImport: string[];
}

/** A source file's relative imports, already resolved to repo-relative source paths. */
export type ImportGraph = Map<string, string[]>;

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
const SOURCE = /\.(ts|mts|cts|svelte)$/;

/** Reads the layers table of docs/ARCHITECTURE.md: `| layer | folders | may import | what it knows |`. */
export function parseLayerTable(markdown: string): Layer[] {
  const start = markdown.indexOf('## Layers');
  if (start < 0) throw new Error('ARCHITECTURE.md has no "## Layers" section');
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  const rows = lines
    .slice(first + 2, end < 0 ? undefined : end) // the first table only, past its header and rule
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\/$/, ''));
  return rows.map(([name, folders, may]) => ({ name, folders: codes(folders), mayImport: may === '—' ? [] : may.split(',').map((s) => s.trim()).filter(Boolean) }));
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (SOURCE.test(name)) out.push(p);
  }
  return out;
}

/** Resolves a relative specifier the way the bundlers do (file, .ts, index.ts); null for non-source files. */
function resolveSpecifier(root: string, from: string, spec: string, exists: (p: string) => boolean): string | null {
  const base = normalize(join(dirname(from), spec));
  for (const c of [base, `${base}.ts`, join(base, 'index.ts')]) if (SOURCE.test(c) && exists(c)) return c;
  return null;
}

/** Every relative import of every source file under `tops` (repo-relative paths). */
export function readImportGraph(root: string, tops: string[]): ImportGraph {
  const files = tops.flatMap((t) => walk(join(root, t))).map((f) => relative(root, f));
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const f of files) {
    const text = readFileSync(join(root, f), 'utf8');
    const targets = [...text.matchAll(IMPORT)]
      .map((m) => m[1] ?? m[2] ?? m[3] ?? m[4])
      .filter((s) => s.startsWith('.'))
      .map((s) => resolveSpecifier(root, f, s, (p) => known.has(p)))
      .filter((t): t is string => t !== null);
    graph.set(f, [...new Set(targets)]);
  }
  return graph;
}

/** The layer a file belongs to: the row with the longest folder that contains it. */
export function layerOf(file: string, layers: Layer[]): Layer | null {
  let best: { layer: Layer; len: number } | null = null;
  for (const layer of layers) {
    for (const folder of layer.folders) {
      if ((file === folder || file.startsWith(`${folder}/`)) && folder.length > (best?.len ?? -1)) best = { layer, len: folder.length };
    }
  }
  return best?.layer ?? null;
}

/** Every broken rule, in words: files in no layer, imports that point up or sideways, a table that is not a stack. */
export function layerViolations(graph: ImportGraph, layers: Layer[]): string[] {
  const problems: string[] = [];
  const rank = new Map(layers.map((l, i) => [l.name, i]));
  for (const [i, l] of layers.entries()) {
    for (const m of l.mayImport) {
      const r = rank.get(m);
      if (r === undefined) problems.push(`table: layer "${l.name}" may import "${m}", which is no layer`);
      else if (r >= i) problems.push(`table: layer "${l.name}" may import "${m}", which is not below it`);
    }
  }
  for (const [file, targets] of graph) {
    const from = layerOf(file, layers);
    if (!from) {
      problems.push(`${file}: in no layer of the table`);
      continue;
    }
    for (const t of targets) {
      const to = layerOf(t, layers);
      if (!to || to === from) continue;
      if (!from.mayImport.includes(to.name)) problems.push(`${file} → ${t}: ${from.name} may not import ${to.name}`);
    }
  }
  return problems;
}

/** Groups of files that import each other (strongly connected components of more than one file). */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
