// A detection head as an ONNX graph (written with onnx-proto), for `eodn export --format onnx`:
//   features [N, D] float32, mean [M, D] float64, scale [M, D] float64   (M = N, one row per clip, or 1)
//   → z = float32((features − mean) / scale)        the studio's z-scores (standardize.ts: float64 arithmetic,
//                                                    stored as Float32Array)
//   → [ReLU(z W1 + b1)] → logits = · W + b → softmax → probabilities [N, C] float32
// Everything after the inputs runs in float64, as Head does in TypeScript, so the graph gives the studio's
// stored probabilities (themselves a Float32Array of Head's float64 softmax) to a rounding of the last bit.
// The standardisation statistics are inputs, not weights: per-speaker z-scoring needs each speaker's own
// (the caller takes them from the export's JSON, or fits them on a new speaker's clips; see pipeline/export-model.ts).
import { onnx } from 'onnx-proto';
import type { HeadJSON } from './head';

export const ONNX_HEAD_INPUTS = { features: 'features', mean: 'mean', scale: 'scale' } as const;
export const ONNX_HEAD_OUTPUTS = { probabilities: 'probabilities', logits: 'logits', standardized: 'standardized' } as const;
/** ONNX operator set of the graph (Softmax over the last axis per row from 13 on). */
export const ONNX_HEAD_OPSET = 13;

export interface HeadGraphOptions {
  /** Graph name and doc string. */
  name?: string;
  doc?: string;
  /** Written as the model's metadata_props (string values). */
  metadata?: Record<string, string>;
  producerVersion?: string;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const DOUBLE = onnx.TensorProto.DataType.DOUBLE;

/** Little-endian float64 bytes, as TensorProto.raw_data holds them. */
function doubleBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return out;
}

/** The head (softmax regression, or one ReLU hidden layer) behind the z-scoring step, as ONNX model bytes. */
export function headOnnxGraph(head: HeadJSON, opts: HeadGraphOptions = {}): Uint8Array {
  if (head.format !== 'eodn-head/1') throw new Error(`unknown head format ${String(head.format)}`);
  const D = head.nFeatures;
  const C = head.nClasses;
  const H = head.settings.hidden;
  const nIn = H > 0 ? H : D;
  if (!(D > 0 && C > 0)) throw new Error('the head is not fitted');
  if (head.W.length !== nIn * C || head.b.length !== C) throw new Error('head has inconsistent output shapes');
  if (H > 0 && (head.W1.length !== D * H || head.b1.length !== H)) throw new Error('head has inconsistent hidden shapes');

  const nodes: onnx.INodeProto[] = [];
  const inits: onnx.ITensorProto[] = [];
  const node = (opType: string, inputs: string[], output: string, attrs: onnx.IAttributeProto[] = []): string => {
    nodes.push({ opType, input: inputs, output: [output], attribute: attrs, name: output });
    return output;
  };
  const weight = (name: string, dims: number[], values: ArrayLike<number>): string => {
    inits.push({ name, dims, dataType: DOUBLE, rawData: doubleBytes(values) });
    return name;
  };
  const to = (t: number): onnx.IAttributeProto => ({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: t });

  const I = ONNX_HEAD_INPUTS;
  const O = ONNX_HEAD_OUTPUTS;
  const x = node('Cast', [I.features], 'features_f64', [to(DOUBLE)]);
  const z64 = node('Div', [node('Sub', [x, I.mean], 'centred'), I.scale], 'z_f64');
  // The studio keeps standardized rows as Float32Array: round there too.
  const z32 = node('Cast', [z64], O.standardized, [to(FLOAT)]);
  let a = node('Cast', [z32], 'z', [to(DOUBLE)]);
  if (H > 0) a = node('Relu', [node('Add', [node('MatMul', [a, weight('W1', [D, H], head.W1)], 'hidden_mm'), weight('b1', [H], head.b1)], 'hidden_pre')], 'hidden');
  const logits64 = node('Add', [node('MatMul', [a, weight('W', [nIn, C], head.W)], 'out_mm'), weight('b', [C], head.b)], 'logits_f64');
  const probs64 = node('Softmax', [logits64], 'probabilities_f64', [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }]);
  node('Cast', [probs64], O.probabilities, [to(FLOAT)]);
  node('Cast', [logits64], O.logits, [to(FLOAT)]);

  const dim = (d: string | number) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const tensor = (name: string, type: number, dims: (string | number)[], doc: string): onnx.IValueInfoProto => ({
    name,
    docString: doc,
    type: { tensorType: { elemType: type, shape: { dim: dims.map(dim) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'eodn-studio',
    producerVersion: opts.producerVersion ?? '',
    docString: opts.doc ?? '',
    opsetImport: [{ domain: '', version: ONNX_HEAD_OPSET }],
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: opts.name ?? 'eodn-head',
      node: nodes,
      initializer: inits,
      input: [
        tensor(I.features, FLOAT, ['N', D], 'pooled embeddings of the encoder the model was trained on, one row per clip'),
        tensor(I.mean, DOUBLE, ['M', D], "z-score means: one row per clip (its speaker's), or one row for all"),
        tensor(I.scale, DOUBLE, ['M', D], 'z-score standard deviations, shaped as mean'),
      ],
      output: [
        tensor(O.probabilities, FLOAT, ['N', C], "the detection head's softmax probabilities, in the class order of the export's JSON"),
        tensor(O.logits, FLOAT, ['N', C], 'pre-softmax outputs'),
        tensor(O.standardized, FLOAT, ['N', D], 'the z-scored features the head reads'),
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
