// What an encoder's throughput is worth against the hardware: the multiply-adds of one clip, counted from the
// graph, and the rate a plain matrix multiply reaches on the same provider (issue 15: read a figure against
// the limit). Counting: the graph is opened (onnx-proto), every Conv, MatMul and Gemm's inputs and output are
// made graph outputs, and one clip is run, so that each product's shapes are the real ones for that length;
// 2 FLOPs per multiply-add. Other operators (softmax, norms, activations) are left out: on these models they
// are a few per cent.
import { dirname, resolve } from 'node:path';
import { onnx } from 'onnx-proto';
import { parseManifest } from '../engine/encoders/manifest';
import { createOnnxSession, ort } from '../engine/encoders/onnx-session';
import type { Device } from '../engine/encoders/types';
import { readRegularFileSync } from '../engine/regular-file';

export interface FlopCount {
  /** Input length the count is for, in samples. */
  samples: number;
  flops: number;
  /** Per operator type: FLOPs and node count. */
  byOp: Record<string, { flops: number; nodes: number }>;
}

const prod = (d: readonly number[]) => d.reduce((a, b) => a * b, 1);

/** FLOPs of one clip of `samples` samples through a manifest encoder's graph (run on the CPU). */
export async function countManifestFlops(manifestPath: string, samples: number): Promise<FlopCount> {
  const m = parseManifest(JSON.parse(readRegularFileSync(manifestPath).toString('utf8')), manifestPath);
  const model = onnx.ModelProto.decode(readRegularFileSync(resolve(dirname(manifestPath), m.model)));
  // Decoded messages always carry their repeated fields (as empty arrays when absent).
  const g = model.graph as onnx.GraphProto | null;
  if (!g) throw new Error(`${m.model} has no graph`);
  const weights = new Map(g.initializer.map((t) => [t.name!, (t.dims ?? []).map(Number)]));
  const counted = g.node.filter((n) => n.opType === 'Conv' || n.opType === 'MatMul' || n.opType === 'Gemm');
  const known = new Set([...g.output.map((o) => o.name!), ...g.input.map((i) => i.name!)]);
  const expose = new Set<string>();
  for (const n of counted) for (const name of [...(n.input ?? []).slice(0, 2), n.output![0]]) if (name && !weights.has(name) && !known.has(name)) expose.add(name);
  for (const name of expose) g.output.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }));
  const { session } = await createOnnxSession(onnx.ModelProto.encode(model).finish(), { threads: 1 });
  try {
    const len = Math.max(samples, m.minSamples);
    const dims = m.inputLayout === 'batch-samples' ? [1, len] : [1, 1, len];
    const feeds: Record<string, ort.Tensor> = { [m.input]: new ort.Tensor('float32', new Float32Array(len), dims) };
    if (typeof m.padding === 'object') {
      const meta = session.inputMetadata.find((x) => x.name === (m.padding as { attentionMask: string }).attentionMask);
      const type = meta?.isTensor ? meta.type : 'int64';
      const data = type === 'int64' ? new BigInt64Array(len).fill(1n) : type === 'int32' ? new Int32Array(len).fill(1) : type === 'float32' ? new Float32Array(len).fill(1) : new Uint8Array(len).fill(1);
      feeds[m.padding.attentionMask] = new ort.Tensor(type as 'int64', data, [1, len]);
    }
    const out = await session.run(feeds);
    const shape = (name: string): number[] => {
      const w = weights.get(name);
      if (w) return w;
      const t = out[name];
      if (t) return [...t.dims];
      if (name === m.input) return dims;
      throw new Error(`no shape for tensor ${name}`);
    };
    const byOp: FlopCount['byOp'] = {};
    let flops = 0;
    for (const n of counted) {
      const [a, b] = [shape(n.input![0]), shape(n.input![1])];
      const y = shape(n.output![0]);
      let f: number;
      if (n.opType === 'Conv') f = 2 * prod(y) * prod(b.slice(1)); // weight [Cout, Cin/groups, …kernel]
      else if (n.opType === 'MatMul') f = 2 * prod(y) * (a.length === 1 ? a[0] : a[a.length - 1]);
      else {
        const transA = n.attribute?.find((x) => x.name === 'transA')?.i;
        f = 2 * prod(y) * (Number(transA ?? 0) ? a[0] : a[1]);
      }
      flops += f;
      const o = (byOp[n.opType!] ??= { flops: 0, nodes: 0 });
      o.flops += f;
      o.nodes++;
    }
    return { samples: len, flops, byOp };
  } finally {
    await session.release();
  }
}

export interface MatmulPeak {
  provider: string;
  /** FLOPs per second of the best run. */
  flopsPerSec: number;
  size: number;
}

/**
 * The rate of one square float32 matrix multiply (size × size) on the provider the device gives. Both matrices
 * live in the graph (on the device once loaded); a one-element input is added to one of them so that the
 * product cannot be folded away at load, and only the product's sum comes back, so no run moves more than a
 * few bytes between host and device.
 */
export async function matmulPeak(opts: { device?: Device; threads?: number; size?: number; runs?: number } = {}): Promise<MatmulPeak> {
  const n = opts.size ?? (opts.device === 'gpu' ? 4096 : 1024);
  const F = onnx.TensorProto.DataType.FLOAT;
  const matrix = (name: string, seed: number) => {
    const x = new Float32Array(n * n);
    for (let i = 0; i < x.length; i++) x[i] = (((i + seed) * 7919) % 1000) / 1000 - 0.5;
    return { name, dims: [n, n], dataType: F, rawData: new Uint8Array(x.buffer) };
  };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'matmul-peak',
      initializer: [matrix('wa', 1), matrix('wb', 2)],
      node: [
        { opType: 'Add', input: ['wa', 'x'], output: ['a'] },
        { opType: 'MatMul', input: ['a', 'wb'], output: ['y'] },
        { opType: 'ReduceSum', input: ['y'], output: ['s'], attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
      ],
      input: [{ name: 'x', type: { tensorType: { elemType: F, shape: { dim: [{ dimValue: 1 }] } } } }],
      output: [{ name: 's', type: { tensorType: { elemType: F, shape: { dim: [] } } } }],
    },
  });
  const { session, execution } = await createOnnxSession(onnx.ModelProto.encode(model).finish(), { device: opts.device, threads: opts.threads });
  try {
    const feeds = { x: new ort.Tensor('float32', new Float32Array([0.25]), [1]) };
    await session.run(feeds); // warm-up
    let best = Infinity;
    for (let r = 0; r < (opts.runs ?? 5); r++) {
      const t = performance.now();
      await session.run(feeds);
      best = Math.min(best, (performance.now() - t) / 1000);
    }
    return { provider: execution.provider, flopsPerSec: (2 * n * n * n) / best, size: n };
  } finally {
    await session.release();
  }
}
