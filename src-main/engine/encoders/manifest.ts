// Any ONNX audio encoder described by a small JSON manifest, e.g.
//   { "id": "my-encoder", "model": "encoder.onnx", "sampleRate": 16000, "input": "input_values",
//     "inputLayout": "batch-samples", "inputScale": 1, "output": "last_hidden_state", "pooling": "mean+std",
//     "padding": { "attentionMask": "attention_mask" }, "convLayers": [[10,5],[3,2],[3,2],[3,2],[3,2],[2,2],[2,2]],
//     "maxBatch": 16 }
// `model` is relative to the manifest's folder. The output tensor is read as [batch, …time…, features]:
// its last axis holds the features and every axis between batch and last is pooled over.
// Loading validates the manifest against the model (names, ranks) and runs one second of silence
// through it, so a wrong manifest fails at load with a message saying what does not fit.
//
// Batching (docs/encoders/README.md): clips are grouped by length and each group runs as one batch. How a
// group may mix lengths is the manifest's `padding`: an attention-mask input (the padded tail is masked),
// "zero-pad" (zeros are harmless once each clip's own output frames are kept), or "exact-length" (the
// default: only equal-length clips share a run). A clip's frames in a padded output are counted with
// `convLayers` (the model's strided convolutions, as transformers' _get_feat_extract_output_lengths does),
// else estimated from the padded output's length. The loader checks the claim on a probe batch of
// synthetic clips against single-clip runs and falls back (to equal lengths, then to one clip per run)
// with the reason when a batched vector differs.
import { dirname, resolve } from 'node:path';
import * as v from 'valibot';
import { readRegularFile, statRegularFile } from '../regular-file';
import { createOnnxSession, ort } from './onnx-session';
import { meanStd } from './speech-embedding';
import { EncoderError, type AudioEncoder, type BatchingInfo, type BatchingMode, type EncoderOptions } from './types';

const int = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));

const ManifestSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  model: v.pipe(v.string(), v.minLength(1)),
  sampleRate: v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(192000)),
  input: v.pipe(v.string(), v.minLength(1)),
  /** [batch, samples] or [batch, 1, samples]. */
  inputLayout: v.picklist(['batch-samples', 'batch-channel-samples']),
  /** Multiplies the [-1, 1] samples (32767 for models trained on int16-scale audio). */
  inputScale: v.optional(v.number(), 1),
  output: v.pipe(v.string(), v.minLength(1)),
  pooling: v.picklist(['mean', 'mean+std', 'first']),
  /** Shortest input the model accepts, in samples; shorter clips are zero-padded. */
  minSamples: v.optional(int(1), 1),
  /** How the model treats padding: see the file's head. */
  padding: v.optional(
    v.union([v.picklist(['exact-length', 'zero-pad']), v.strictObject({ attentionMask: v.pipe(v.string(), v.minLength(1)) })]),
    'exact-length',
  ),
  /** The strided convolutions from samples to output frames: [kernel, stride] or [kernel, stride, padding] each. */
  convLayers: v.optional(
    v.pipe(
      v.array(v.pipe(v.array(int(0)), v.minLength(2), v.maxLength(3), v.check((l) => l[0] >= 1 && l[1] >= 1, 'kernel and stride must be ≥ 1'))),
      v.minLength(1),
    ),
  ),
  /** Clips per run at most (default 16). */
  maxBatch: v.optional(int(1), 16),
  /** Padded samples per run at most, batch × longest clip (default one minute of audio). */
  maxBatchSamples: v.optional(int(1)),
});

export type EncoderManifest = v.InferOutput<typeof ManifestSchema>;

export function parseManifest(json: unknown, where = 'manifest'): EncoderManifest {
  const r = v.safeParse(ManifestSchema, json);
  if (!r.success) {
    const issues = r.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`).join('; ');
    throw new EncoderError(`${where} is not a valid encoder manifest: ${issues}`);
  }
  return r.output;
}

export interface ManifestEncoderOptions extends EncoderOptions {
  /** Overrides the manifest's maxBatch (1: one clip per run, as the bench's unbatched row). */
  maxBatch?: number;
}

/** The lowest cosine a probe clip's batched vector may have against its single-clip vector. */
export const PROBE_MIN_COSINE = 0.9999;
/** A padded group's longest clip is at most this much longer than its shortest (padding is wasted work). */
const PAD_SLACK = 1.25;

/** Output frames of a clip of `samples` samples through `layers` ([kernel, stride, padding?] each). */
export function convFrames(samples: number, layers: readonly (readonly number[])[]): number {
  let n = samples;
  for (const [k, s, p = 0] of layers) n = Math.floor((n + 2 * p - k) / s) + 1;
  return n;
}

/**
 * Indices of clips (by their lengths in samples) grouped into runs. Padded modes sort by length and close a
 * group when it is full (maxBatch), over the samples budget, or its longest clip would exceed PAD_SLACK × its
 * shortest; 'exact-length' groups equal lengths only; 'single' runs each clip alone.
 */
export function planBatches(lengths: readonly number[], mode: BatchingMode, maxBatch: number, maxBatchSamples: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  if (mode === 'single' || maxBatch <= 1) return order.map((i) => [i]);
  const groups: number[][] = [];
  let cur: number[] = [];
  for (const i of order) {
    const len = lengths[i];
    const first = cur.length ? lengths[cur[0]] : len;
    const fits =
      cur.length > 0 &&
      cur.length < maxBatch &&
      (cur.length + 1) * len <= maxBatchSamples &&
      (mode === 'exact-length' ? len === first : len <= PAD_SLACK * first);
    if (!fits && cur.length) {
      groups.push(cur);
      cur = [];
    }
    cur.push(i);
  }
  if (cur.length) groups.push(cur);
  return groups;
}

/** One line for a log: how a manifest encoder batches, and why not as declared. */
export function describeBatching(b: BatchingInfo): string {
  const how = b.mode === 'single' ? 'one clip per run' : `${b.mode}, up to ${b.maxBatch} clips (${b.maxBatchSamples} padded samples) per run`;
  return `batching: ${how}${b.reason ? ` (declared ${b.declared}: ${b.reason})` : ''}`;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  // Two zero vectors are the same vector.
  return aa === 0 && bb === 0 ? 1 : ab / Math.sqrt(aa * bb);
}

/** Deterministic speech-like probe audio: a few drifting partials under an envelope, plus noise, at a
 * loudness that differs by seed (real clips do, and a graph normalising over the batch shows it). */
function probeClip(samples: number, sampleRate: number, seed: number): Float32Array {
  const gain = [0.6, 0.15, 0.9, 0.3, 0.05][seed % 5];
  let s = seed * 2654435761;
  const noise = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const out = new Float32Array(samples);
  const f0 = 110 + 40 * seed;
  for (let i = 0; i < samples; i++) {
    const t = i / sampleRate;
    const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t + seed);
    let x = 0;
    for (let h = 1; h <= 4; h++) x += Math.sin(2 * Math.PI * f0 * h * (1 + 0.05 * t) * t) / h;
    out[i] = gain * (0.3 * env * x + 0.02 * noise());
  }
  return out;
}

/** The manifest alone, read and validated, no model loaded: what a CPU stage that only decodes and resamples
 * for the encoder needs (its id and rate; the hybrid job's fronts, src-main/jobs/embed-hybrid.ts). */
export async function readManifest(manifestPath: string): Promise<EncoderManifest> {
  let json: unknown;
  try {
    json = JSON.parse((await readRegularFile(manifestPath)).toString('utf8'));
  } catch (e) {
    throw new EncoderError(`${manifestPath}: cannot read manifest (${(e as Error).message})`);
  }
  return parseManifest(json, manifestPath);
}

export async function loadManifestEncoder(manifestPath: string, opts: ManifestEncoderOptions = {}): Promise<AudioEncoder> {
  const m = await readManifest(manifestPath);
  const modelPath = resolve(dirname(manifestPath), m.model);
  let onnx;
  try {
    statRegularFile(modelPath); // ONNX Runtime opens the path itself, and would block on a FIFO
    onnx = await createOnnxSession(modelPath, opts);
  } catch (e) {
    throw new EncoderError(`${manifestPath}: cannot load model ${modelPath} (${(e as Error).message.split('\n')[0]})`);
  }
  const { session } = onnx;
  const fail = (msg: string): never => {
    void session.release();
    throw new EncoderError(`${manifestPath}: ${msg}`);
  };
  const maskName = typeof m.padding === 'object' ? m.padding.attentionMask : null;
  if (!session.inputNames.includes(m.input)) fail(`input "${m.input}" is not in the model (it has ${session.inputNames.join(', ')})`);
  if (maskName && !session.inputNames.includes(maskName)) fail(`attention mask input "${maskName}" is not in the model (it has ${session.inputNames.join(', ')})`);
  const others = session.inputNames.filter((n) => n !== m.input && n !== maskName);
  if (others.length) fail(`the model also wants input${others.length > 1 ? 's' : ''} ${others.join(', ')}; an attention mask is named by "padding": { "attentionMask": "…" }`);
  if (!session.outputNames.includes(m.output)) fail(`output "${m.output}" is not in the model (it has ${session.outputNames.join(', ')})`);
  const meta = session.inputMetadata.find((x) => x.name === m.input);
  const wantRank = m.inputLayout === 'batch-samples' ? 2 : 3;
  if (meta?.isTensor && meta.shape.length !== wantRank)
    fail(`input "${m.input}" has rank ${meta.shape.length} [${meta.shape.join(', ')}], but layout ${m.inputLayout} means rank ${wantRank}`);
  const maskMeta = maskName ? session.inputMetadata.find((x) => x.name === maskName) : undefined;
  const maskType = maskMeta?.isTensor ? maskMeta.type : 'int64';
  if (!['int64', 'int32', 'float32', 'bool'].includes(maskType)) fail(`attention mask "${maskName}" is ${maskType}; int64, int32, float32 or bool expected`);

  const maskTensor = (lengths: readonly number[], padded: number): ort.Tensor => {
    const n = lengths.length * padded;
    const data = maskType === 'int64' ? new BigInt64Array(n) : maskType === 'int32' ? new Int32Array(n) : maskType === 'float32' ? new Float32Array(n) : new Uint8Array(n);
    lengths.forEach((len, b) => {
      if (data instanceof BigInt64Array) data.fill(1n, b * padded, b * padded + len);
      else data.fill(1, b * padded, b * padded + len);
    });
    return new ort.Tensor(maskType as 'int64', data, [lengths.length, padded]);
  };

  /** One run over clips zero-padded to the longest; each row of the output as its own Float32Array. */
  const runRaw = async (clips: readonly Float32Array[]): Promise<{ rows: Float32Array[]; dims: readonly number[]; lengths: number[]; padded: number }> => {
    const lengths = clips.map((c) => Math.max(c.length, m.minSamples));
    const padded = Math.max(...lengths);
    const x = new Float32Array(clips.length * padded);
    clips.forEach((clip, b) => {
      const o = b * padded;
      for (let i = 0; i < clip.length; i++) x[o + i] = clip[i] * m.inputScale;
    });
    const dims = m.inputLayout === 'batch-samples' ? [clips.length, padded] : [clips.length, 1, padded];
    const feeds: Record<string, ort.Tensor> = { [m.input]: new ort.Tensor('float32', x, dims) };
    if (maskName) feeds[maskName] = maskTensor(lengths, padded);
    const out = (await session.run(feeds))[m.output];
    const data = out.data as Float32Array;
    if (out.dims[0] !== clips.length) throw new EncoderError(`output "${m.output}" has ${out.dims[0]} rows for a batch of ${clips.length}`);
    const rowSize = data.length / clips.length;
    return { rows: clips.map((_, b) => data.subarray(b * rowSize, (b + 1) * rowSize)), dims: out.dims, lengths, padded };
  };

  let probe;
  try {
    probe = await runRaw([new Float32Array(m.sampleRate)]);
  } catch (e) {
    return fail(`the model rejects one second of audio shaped as ${m.inputLayout} (${(e as Error).message.split('\n')[0]})`);
  }
  if (probe.dims.length < 2 || probe.dims[0] !== 1) fail(`output "${m.output}" has shape [${probe.dims.join(', ')}]; expected [batch, …, features]`);
  const features = probe.dims[probe.dims.length - 1];
  const dim = m.pooling === 'mean+std' ? 2 * features : features;
  // Only a [batch, frames, features] output can be cropped to a clip's own frames.
  const framed = probe.dims.length === 3;
  if (m.convLayers && framed && convFrames(m.sampleRate, m.convLayers) !== probe.dims[1])
    fail(`convLayers give ${convFrames(m.sampleRate, m.convLayers)} frames for ${m.sampleRate} samples, but the model outputs ${probe.dims[1]}`);

  /** A clip's frames in a row padded to `padded` samples with `frames` frames. */
  const framesOf = (len: number, padded: number, frames: number) =>
    len === padded ? frames : Math.min(frames, Math.max(1, m.convLayers ? convFrames(len, m.convLayers) : Math.floor((frames * len) / padded)));

  const pool = (row: Float32Array): Float32Array => {
    if (m.pooling === 'first') return row.slice(0, features);
    const ms = meanStd(row, row.length / features, features);
    return m.pooling === 'mean' ? ms.slice(0, features) : ms;
  };

  /** Pooled vectors of clips run as one batch, each cropped to its own frames. */
  const runGroup = async (clips: readonly Float32Array[]): Promise<Float32Array[]> => {
    const r = await runRaw(clips);
    return r.rows.map((row, b) => (framed && r.lengths[b] < r.padded ? pool(row.subarray(0, framesOf(r.lengths[b], r.padded, r.dims[1]) * features)) : pool(row)));
  };

  const declared: BatchingMode = maskName ? 'attention-mask' : m.padding === 'zero-pad' ? 'zero-pad' : 'exact-length';
  const maxBatch = Math.max(1, Math.floor(opts.maxBatch ?? m.maxBatch));
  const maxBatchSamples = m.maxBatchSamples ?? 60 * m.sampleRate;
  let batching: BatchingInfo;
  try {
    batching = await probeBatching();
  } catch (e) {
    return fail(`the model fails on the probe clips (${(e as Error).message.split('\n')[0]})`);
  }

  /**
   * Checks the declared padding on synthetic clips (odd lengths, so that a frame count estimated from the
   * padded output is put to the test): each clip's vector from a batch against its vector alone.
   */
  async function probeBatching(): Promise<BatchingInfo> {
    const base = { declared, maxBatch, maxBatchSamples };
    if (maxBatch <= 1) return { ...base, mode: 'single', reason: opts.maxBatch !== undefined ? `maxBatch ${maxBatch} asked` : 'maxBatch is 1 in the manifest' };
    const sr = m.sampleRate;
    const lengths = [sr - 37, Math.round(0.71 * sr) + 13, sr - 37, Math.round(0.46 * sr) + 101, Math.round(0.87 * sr) + 7].map((l) => Math.max(l, m.minSamples));
    const clips = lengths.map((l, i) => probeClip(l, sr, i + 1));
    const alone: Float32Array[] = [];
    for (const c of clips) alone.push((await runGroup([c]))[0]);
    const worst = (idx: number[], got: Float32Array[]) => Math.min(...idx.map((i, k) => cosine(alone[i], got[k])));
    const tryBatch = async (idx: number[]): Promise<{ cos: number } | { error: string }> => {
      try {
        return { cos: worst(idx, await runGroup(idx.map((i) => clips[i]))) };
      } catch (e) {
        // ONNX Runtime puts the useful part of a shape error on its next lines: keep them, on one line.
        return { error: (e as Error).message.replace(/\s+/g, ' ').trim().slice(0, 200) };
      }
    };
    let reason: string | undefined;
    if (declared !== 'exact-length') {
      const all = clips.map((_, i) => i);
      const r = await tryBatch(all);
      if ('cos' in r && r.cos >= PROBE_MIN_COSINE) return { ...base, mode: declared, probeCosine: r.cos };
      reason =
        'error' in r
          ? `a padded batch of ${all.length} fails (${r.error})`
          : `a padded batch changes a clip's vector (cosine ${r.cos.toFixed(6)} < ${PROBE_MIN_COSINE}` +
            (framed && !m.convLayers ? '; if the frame count is at fault, give convLayers' : '') +
            ')';
    }
    const eq = await tryBatch([0, 2]); // two equal-length clips: no padding at all
    if ('cos' in eq && eq.cos >= PROBE_MIN_COSINE) return { ...base, mode: 'exact-length', probeCosine: eq.cos, ...(reason ? { reason: `${reason}: batching equal-length clips only` } : {}) };
    const why = 'error' in eq ? `a batch of 2 equal-length clips fails (${eq.error})` : `a batch of 2 equal-length clips changes a clip's vector (cosine ${eq.cos.toFixed(6)})`;
    return { ...base, mode: 'single', reason: `${reason ? `${reason}; ` : ''}${why}: one clip per run` };
  }

  return {
    id: m.id,
    sampleRate: m.sampleRate,
    dim,
    execution: { ...onnx.execution, batching },
    preferredBatch: batching.mode === 'single' ? undefined : 2 * maxBatch,
    async embed(batch) {
      const out: Float32Array[] = new Array(batch.length);
      const lengths = batch.map((c) => Math.max(c.length, m.minSamples));
      for (const group of planBatches(lengths, batching.mode, maxBatch, maxBatchSamples)) {
        const vectors = await runGroup(group.map((i) => batch[i]));
        group.forEach((i, k) => (out[i] = vectors[k]));
      }
      return out;
    },
    async dispose() {
      await session.release();
    },
  };
}
