// node run-model.mjs m.onnx emb.jsonl — the exported model on `eodn embed … --out emb.jsonl` rows (onnxruntime-node).
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
const [model, emb] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(`${model}.json`, 'utf8')), st = meta.standardization, d = meta.decision;
const rows = readFileSync(emb, 'utf8').trim().split('\n').map((l) => JSON.parse(l)), N = rows.length, D = meta.encoder.dim, C = meta.classes.length;
const fit = (X) => { // population mean and sd of a new speaker's clips, as the studio fits one
  const mean = X[0].map((_, j) => X.reduce((a, x) => a + x[j], 0) / X.length);
  return { mean, scale: mean.map((m, j) => Math.sqrt(X.reduce((a, x) => a + (x[j] - m) ** 2, 0) / X.length)).map((s) => (s > st.minStd ? s : 1)) };
};
const stats = (spk, own = rows.filter((r) => r.speaker === spk).map((r) => r.vector)) =>
  spk == null || st.mode === 'global' ? st.global : st.speakers[spk] ?? (own.length >= st.minClipsPerSpeaker ? fit(own) : st.global);
const S = new Map([...new Set(rows.map((r) => r.speaker))].map((s) => [s, stats(s)]));
const f64 = (k) => new ort.Tensor('float64', Float64Array.from(rows.flatMap((r) => S.get(r.speaker)[k])), [N, D]);
const session = await ort.InferenceSession.create(model);
const { probabilities } = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flatMap((r) => r.vector)), [N, D]), mean: f64('mean'), scale: f64('scale') });
rows.forEach((r, i) => {
  const p = Array.from(probabilities.data.subarray(i * C, (i + 1) * C)), [l, s] = p.map((x, j) => [x, j]).sort((a, b) => b[0] - a[0]).map((e) => e[1]), t = d.thresholds[l];
  const mu = d.muRule === 'top1' ? t.mu : Math[d.muRule](...d.thresholds.map((x) => x.mu));
  const kind = p[l] >= t.eta ? 'accepted' : p[l] < mu ? 'unknown' : p[l] - p[s] >= t.delta ? 'ambiguous-accepted' : 'ambiguous-unknown';
  console.log(JSON.stringify({ path: r.path, top1: meta.classes[l], kind, probabilities: p }));
});
