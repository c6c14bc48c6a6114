import { readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { decodeMono } from '../src-main/engine/audio/decode';
import { resampleMono } from '../src-main/engine/audio/resample';
import { extractFeatures } from '../src-main/engine/features/extract';
import { pitchTrack } from '../src-main/engine/features/pitch';
import { powerSpectrogram, frameSpec } from '../src-main/engine/features/spectrogram';
const dir = '../shared/data/emodb/wav';
const files = readdirSync(dir).slice(0, 150).map((f) => `${dir}/${f}`);
const xs: Float32Array[] = [];
for (const f of files) { const m = await decodeMono(await readFile(f), f); xs.push(await resampleMono(m.samples, m.sampleRate, 16000)); }
const dur = xs.reduce((a, x) => a + x.length / 16000, 0) / xs.length;
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now(); for (const x of xs) extractFeatures(x, 16000); const all = (performance.now() - t) / xs.length;
  t = performance.now(); for (const x of xs) pitchTrack(x, 16000); const p = (performance.now() - t) / xs.length;
  t = performance.now(); for (const x of xs) powerSpectrogram(x, frameSpec(16000)); const s = (performance.now() - t) / xs.length;
  console.log(`clip ${dur.toFixed(2)} s: functionals ${all.toFixed(2)} ms, pitch ${p.toFixed(2)}, spectrogram ${s.toFixed(2)}`);
}
import { polyphaseResample } from '../src-main/engine/audio/polyphase';
{
  let t = performance.now(); for (const x of xs) polyphaseResample(x, 16000, 8000); console.log('decimate', ((performance.now() - t) / xs.length).toFixed(2));
  t = performance.now(); for (const x of xs) polyphaseResample(x, 16000, 8000); console.log('decimate', ((performance.now() - t) / xs.length).toFixed(2));
}
