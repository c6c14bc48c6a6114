// Any ONNX audio encoder described by a small JSON manifest, e.g.
//   { "id": "my-encoder", "model": "encoder.onnx", "sampleRate": 16000, "input": "input_values",
//     "inputLayout": "batch-samples", "inputScale": 1, "output": "last_hidden_state", "pooling": "mean+std" }
// `model` is relative to the manifest's folder. The output tensor is read as [batch, …time…, features]:
// its last axis holds the features and every axis between batch and last is pooled over.
// Loading validates the manifest against the model (names, ranks) and runs one second of silence
// through it, so a wrong manifest fails at load with a message saying what does not fit.
import { dirname, resolve } from 'node:path';
import * as v from 'valibot';
import { readRegularFile, statRegularFile } from '../regular-file';
import { createOnnxSession, ort } from './onnx-session';
import { meanStd } from './speech-embedding';
import { EncoderError, type AudioEncoder, type EncoderOptions } from './types';

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
  minSamples: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1),
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

export async function loadManifestEncoder(manifestPath: string, opts: EncoderOptions = {}): Promise<AudioEncoder> {
  let json: unknown;
  try {
    json = JSON.parse((await readRegularFile(manifestPath)).toString('utf8'));
  } catch (e) {
    throw new EncoderError(`${manifestPath}: cannot read manifest (${(e as Error).message})`);
  }
  const m = parseManifest(json, manifestPath);
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
  if (!session.inputNames.includes(m.input)) fail(`input "${m.input}" is not in the model (it has ${session.inputNames.join(', ')})`);
  if (!session.outputNames.includes(m.output)) fail(`output "${m.output}" is not in the model (it has ${session.outputNames.join(', ')})`);
  const meta = session.inputMetadata.find((x) => x.name === m.input);
  const wantRank = m.inputLayout === 'batch-samples' ? 2 : 3;
  if (meta?.isTensor && meta.shape.length !== wantRank)
    fail(`input "${m.input}" has rank ${meta.shape.length} [${meta.shape.join(', ')}], but layout ${m.inputLayout} means rank ${wantRank}`);

  const run = async (clip: Float32Array): Promise<{ data: Float32Array; dims: readonly number[] }> => {
    const len = Math.max(clip.length, m.minSamples);
    const x = new Float32Array(len);
    for (let i = 0; i < clip.length; i++) x[i] = clip[i] * m.inputScale;
    const dims = m.inputLayout === 'batch-samples' ? [1, len] : [1, 1, len];
    const out = (await session.run({ [m.input]: new ort.Tensor('float32', x, dims) }))[m.output];
    return { data: out.data as Float32Array, dims: out.dims };
  };
  let probe;
  try {
    probe = await run(new Float32Array(m.sampleRate));
  } catch (e) {
    return fail(`the model rejects one second of audio shaped as ${m.inputLayout} (${(e as Error).message.split('\n')[0]})`);
  }
  if (probe.dims.length < 2 || probe.dims[0] !== 1) fail(`output "${m.output}" has shape [${probe.dims.join(', ')}]; expected [batch, …, features]`);
  const features = probe.dims[probe.dims.length - 1];
  const dim = m.pooling === 'mean+std' ? 2 * features : features;

  return {
    id: m.id,
    sampleRate: m.sampleRate,
    dim,
    execution: onnx.execution,
    async embed(batch) {
      const out: Float32Array[] = [];
      // One clip per run: clips differ in length and some graphs normalise over the whole tensor.
      for (const clip of batch) {
        const { data } = await run(clip);
        const steps = data.length / features;
        if (m.pooling === 'first') out.push(data.slice(0, features));
        else {
          const ms = meanStd(data, steps, features);
          out.push(m.pooling === 'mean' ? ms.slice(0, features) : ms);
        }
      }
      return out;
    },
    async dispose() {
      await session.release();
    },
  };
}
