// `eodn export --format onnx` (issue 16, item 3): the active version on the 80 demo clips as an ONNX graph plus
// its JSON; onnxruntime-node, fed the clips' cached embeddings and the statistics the JSON says to give,
// reproduces every stored probability to 1e-5 — in process, through docs/export-model/run-model.mjs (the Node
// example the docs show, on `eodn embed`-style rows; speakers the export lists and new ones) and from the command
// line; a hidden-layer head too. The Python example runs against a NumPy stand-in for onnxruntime (none here).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyZScore, Head } from '../../../src-main/engine/odn';
import { loadVersion, trainModel } from '../../../src-main/pipeline';
import { exportModelOnnx, modelOnnx, onnxMetaPath, standardizationInputs, type OnnxModelMeta } from '../../../src-main/pipeline/export-model';
import { projectClips, projectVectors } from '../../../src-main/pipeline/project-data';
import type { ModelVersion } from '../../../src-main/store/models';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

const ROOT = resolve(__dirname, '../../..');
const KNOWN = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
const dir = tempDir('eodn-export-model-');
const projectFile = join(dir, 'demo.eodn');
let store: ProjectStore;
let version: ModelVersion;

beforeAll(async () => {
  store = ProjectStore.create(projectFile, { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
}, 120_000);

/** Every embedded clip with its cached vector (as the pipeline reads them) and its stored prediction. */
async function demoRows(v: ModelVersion) {
  const { bundle } = loadVersion(v);
  const emb = await projectVectors(store, bundle.encoder, {}, {});
  const stored = new Map(store.listPredictions(v.id).map((p) => [p.clipId, p]));
  const clips = projectClips(store).filter((c) => emb.vectors.has(c.id));
  return clips.map((c) => ({ clip: c, path: store.getClip(c.id).path, vector: emb.vectors.get(c.id)!, stored: stored.get(c.id)! }));
}

async function runGraph(file: string, features: Float32Array[], mean: Float64Array, scale: Float64Array, meanRows = features.length) {
  const D = features[0].length;
  const session = await ort.InferenceSession.create(file);
  try {
    const flat = new Float32Array(features.length * D);
    features.forEach((x, i) => flat.set(x, i * D));
    const out = await session.run({
      features: new ort.Tensor('float32', flat, [features.length, D]),
      mean: new ort.Tensor('float64', mean, [meanRows, D]),
      scale: new ort.Tensor('float64', scale, [meanRows, D]),
    });
    return { probabilities: out.probabilities.data as Float32Array, standardized: out.standardized.data as Float32Array };
  } finally {
    await session.release();
  }
}

function maxDiff(rows: { stored: { probs: Float32Array } }[], probs: ArrayLike<number>, C: number): number {
  let worst = 0;
  rows.forEach((r, i) => {
    expect(r.stored.probs).toHaveLength(C);
    for (let j = 0; j < C; j++) worst = Math.max(worst, Math.abs(probs[i * C + j] - r.stored.probs[j]));
  });
  return worst;
}

describe('eodn export --format onnx', () => {
  it('says so when the project has no active model version', () => {
    expect(() => modelOnnx(store)).toThrow(/no active model version: train one first/);
    expect(() => exportModelOnnx(store, join(dir, 'none.onnx'))).toThrow(/no active model version/);
    expect(existsSync(join(dir, 'none.onnx'))).toBe(false);
  });

  it("reproduces the active version's stored probabilities of every demo clip to 1e-5 (onnxruntime-node)", async () => {
    version = await trainModel(store, { known: KNOWN });
    const out = join(dir, 'm.onnx');
    const r = exportModelOnnx(store, out);
    expect(r).toMatchObject({ versionId: version.id, classes: KNOWN, dim: 567, onnxPath: out, metaPath: `${out}.json` });
    const meta = JSON.parse(readFileSync(onnxMetaPath(out), 'utf8')) as OnnxModelMeta;
    const { bundle, thresholds, settings } = loadVersion(version);
    expect(meta.format).toBe('eodn-onnx-model/1');
    expect(meta.model).toBe('m.onnx');
    expect(meta.version.id).toBe(version.id);
    expect(meta.classes).toEqual(KNOWN);
    expect(meta.encoder).toMatchObject({ spec: { kind: 'speech-embedding' }, id: 'speech-embedding', dim: 567 });
    expect(meta.encoder.settingsHash).toMatch(/^[0-9a-f]{16}$/);
    expect(meta.graph.head).toEqual({ which: 'detection', hidden: 0, l2: 0.01 });
    expect(meta.standardization.mode).toBe('per-speaker');
    expect(Object.keys(meta.standardization.speakers).sort()).toEqual(Object.keys(bundle.standardizer.speakers).sort());
    expect(meta.decision).toMatchObject({ epsilon: settings.epsilon, rho: settings.rho, muRule: 'top1' });
    expect(meta.decision.thresholds).toEqual(thresholds.classes.map((t, i) => ({ class: KNOWN[i], eta: t.eta, mu: t.mu, delta: t.delta })));
    expect(Object.keys(meta.pad.classPads)).toEqual(KNOWN);
    expect(meta.pad.classPads.anger).toEqual(bundle.classPads[0]);

    const rows = await demoRows(version);
    expect(rows).toHaveLength(80);
    const { mean, scale } = standardizationInputs(meta, rows.map((r) => r.vector), rows.map((r) => r.clip.speaker));
    const { probabilities } = await runGraph(out, rows.map((r) => r.vector), mean, scale);
    const worst = maxDiff(rows, probabilities, KNOWN.length);
    // The same rule for speakers the export does not list: fitted on their own clips (here the same clips).
    const fresh = standardizationInputs(meta, rows.map((r) => r.vector), rows.map((r) => `new-${r.clip.speaker}`));
    fresh.mean.forEach((m, k) => expect(Math.abs(m - mean[k])).toBeLessThan(1e-9));
    fresh.scale.forEach((x, k) => expect(Math.abs(x - scale[k])).toBeLessThan(1e-9));
    expect(worst).toBeLessThan(1e-5);
    // One row of statistics for all clips broadcasts: global z-scores → the head, as TypeScript computes them.
    const g = meta.standardization.global;
    const one = await runGraph(out, rows.map((r) => r.vector), Float64Array.from(g.mean), Float64Array.from(g.scale), 1);
    const expected = Head.fromJSON(bundle.detectorHead!).predictProba(applyZScore(rows.map((r) => r.vector), g));
    expected.forEach((p, i) => p.forEach((x, j) => expect(Math.abs(one.probabilities[i * KNOWN.length + j] - x)).toBeLessThan(1e-6)));
  }, 600_000);

  it('the Node example of docs/export-model runs it on `eodn embed` rows and gives the stored probabilities and decisions', async () => {
    const out = join(dir, 'm.onnx');
    const rows = await demoRows(version);
    // `eodn embed`'s JSONL: path, start, end, speaker, label, vector (9 significant digits: the same float32 values).
    const emb = join(dir, 'emb.jsonl');
    writeFileSync(emb, rows.map((r) => JSON.stringify({ path: r.path, start: null, end: null, speaker: r.clip.speaker, label: r.clip.label, vector: Array.from(r.vector, (x) => +x.toPrecision(9)) })).join('\n') + '\n');
    const run = spawnSync(process.execPath, [join(ROOT, 'docs/export-model/run-model.mjs'), out, emb], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; top1: string; kind: string; probabilities: number[] });
    expect(lines).toHaveLength(rows.length);
    let worst = 0;
    lines.forEach((l, i) => {
      const s = rows[i].stored;
      expect(l.path).toBe(rows[i].path);
      l.probabilities.forEach((p, j) => (worst = Math.max(worst, Math.abs(p - s.probs[j]))));
      expect(l.kind).toBe(s.decision.kind);
      expect(l.top1).toBe(KNOWN[s.decision.top1]);
    });
    expect(worst).toBeLessThan(1e-5);

    // A speaker the export does not list gets statistics fitted on its own clips, as the studio fits an unseen
    // speaker: renamed, the demo's speakers (fitted on these very clips) give the same probabilities again.
    const renamed = join(dir, 'emb-renamed.jsonl');
    writeFileSync(renamed, readFileSync(emb, 'utf8').replace(/"speaker":"([^"]*)"/g, '"speaker":"new-$1"'));
    expect(readFileSync(renamed, 'utf8').match(/"speaker":"new-/g)).toHaveLength(80);
    const again = spawnSync(process.execPath, [join(ROOT, 'docs/export-model/run-model.mjs'), out, renamed], { encoding: 'utf8', timeout: 120_000 });
    expect(again.status, again.stderr).toBe(0);
    const speakers = new Set<string>();
    again.stdout.trim().split('\n').forEach((line, i) => {
      const l = JSON.parse(line) as { kind: string; probabilities: number[] };
      speakers.add(String(rows[i].clip.speaker));
      expect(l.kind).toBe(rows[i].stored.decision.kind);
      l.probabilities.forEach((p, j) => expect(Math.abs(p - rows[i].stored.probs[j])).toBeLessThan(1e-5));
    });
    expect(speakers.size).toBeGreaterThan(1);
  }, 180_000);

  it("the Python example is the one the docs show, and with a NumPy stand-in for onnxruntime gives the stored decisions", () => {
    const script = readFileSync(join(ROOT, 'docs/export-model/run_model.py'), 'utf8');
    const shown = /```python\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'docs/export-model/README.md'), 'utf8'))![1];
    expect(script).toContain(shown);
    // No Python onnxruntime here: a stand-in module computes the graph (the detection head) in NumPy and checks
    // the feeds' names, dtypes and shapes against the graph's inputs, so the script's own logic is exercised.
    if (spawnSync('python3', ['-c', 'import numpy']).status !== 0) return;
    const out = join(dir, 'm.onnx');
    const stub = join(dir, 'pystub');
    mkdirSync(stub, { recursive: true });
    writeFileSync(join(dir, 'head.json'), JSON.stringify(loadVersion(version).bundle.detectorHead));
    writeFileSync(
      join(stub, 'onnxruntime.py'),
      [
        'import json, os, numpy as np',
        'class InferenceSession:',
        '    def __init__(self, path, providers=None):',
        "        h = json.load(open(os.environ['EODN_HEAD'])); self.W = np.array(h['W']).reshape(-1, h['nClasses']); self.b = np.array(h['b'])",
        "        assert h['settings']['hidden'] == 0 and os.path.exists(path)",
        '    def run(self, names, feeds):',
        "        x, m, s = feeds['features'], feeds['mean'], feeds['scale']",
        "        assert names == ['probabilities'] and sorted(feeds) == ['features', 'mean', 'scale']",
        "        assert x.dtype == np.float32 and m.dtype == np.float64 and s.dtype == np.float64 and m.shape == x.shape == s.shape",
        '        z = ((x.astype(np.float64) - m) / s).astype(np.float32).astype(np.float64)',
        '        l = z @ self.W + self.b; e = np.exp(l - l.max(1, keepdims=True))',
        '        return [(e / e.sum(1, keepdims=True)).astype(np.float32)]',
      ].join('\n') + '\n',
    );
    const run = spawnSync('python3', [join(ROOT, 'docs/export-model/run_model.py'), out, join(dir, 'emb.jsonl')], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PYTHONPATH: stub, EODN_HEAD: join(dir, 'head.json') },
    });
    expect(run.status, run.stderr).toBe(0);
    const stored = new Map(store.listPredictions(version.id).map((p) => [store.getClip(p.clipId).path, p]));
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; top1: string; kind: string; probabilities: number[] });
    expect(lines).toHaveLength(80);
    for (const l of lines) {
      const p = stored.get(l.path)!;
      expect(l.kind).toBe(p.decision.kind);
      expect(l.top1).toBe(KNOWN[p.decision.top1]);
      l.probabilities.forEach((x, j) => expect(Math.abs(x - p.probs[j])).toBeLessThan(1e-5));
    }
  }, 120_000);

  it('exports a head with a hidden layer, reproducing its stored probabilities', async () => {
    const v = await trainModel(store, { known: KNOWN, detectorHead: { hidden: 16, epochs: 40 }, head: { epochs: 20 }, crossValidate: false, activate: false });
    const out = join(dir, 'hidden.onnx');
    exportModelOnnx(store, out, { versionId: v.id });
    const meta = JSON.parse(readFileSync(onnxMetaPath(out), 'utf8')) as OnnxModelMeta;
    expect(meta.graph.head.hidden).toBe(16);
    const rows = await demoRows(v);
    const { mean, scale } = standardizationInputs(meta, rows.map((r) => r.vector), rows.map((r) => r.clip.speaker));
    const { probabilities } = await runGraph(out, rows.map((r) => r.vector), mean, scale);
    expect(maxDiff(rows, probabilities, KNOWN.length)).toBeLessThan(1e-5);
  }, 600_000);

  it('from the command line: writes both files; an unknown format and a project without a model say so', () => {
    const eodn = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/eodn.cjs'), ...args], { encoding: 'utf8', timeout: 180_000 });
    const out = join(dir, 'cli.onnx');
    const r = eodn('export', projectFile, '--format', 'onnx', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`model version ${version.id}`);
    expect(readFileSync(out).equals(readFileSync(join(dir, 'm.onnx')))).toBe(true);
    expect((JSON.parse(readFileSync(`${out}.json`, 'utf8')) as OnnxModelMeta).version.id).toBe(version.id);

    const bad = eodn('export', projectFile, '--format', 'pt', '--out', join(dir, 'm.pt'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown format "pt": one of .*onnx/);

    const empty = join(dir, 'empty.eodn');
    ProjectStore.create(empty, { name: 'empty' }).close();
    const none = eodn('export', empty, '--format', 'onnx', '--out', join(dir, 'empty.onnx'));
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/no active model version: train one first/);
    expect(existsSync(join(dir, 'empty.onnx'))).toBe(false);
  }, 300_000);
});
