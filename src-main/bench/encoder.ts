// `eodn bench --encoder <manifest.json>`: a manifest encoder batched (clips grouped by length, one run per
// group: engine/encoders/manifest.ts) against the same encoder run one clip per call, on the same clips:
//   encoder only — the clips decoded and resampled once beforehand, then embedded in this thread by one
//                  session with every core (the shape of a GPU worker's job); the passes alternate and the
//                  best of each is kept, since other processes share the cores;
//   pipeline     — the worker pool as `eodn embed` runs it (decode, resample, embed; one worker per core; with
//                  --gpu the hybrid job: CPU workers decode and resample, one inference worker runs the encoder),
//                  so the share of the time the encoder has in the whole is seen too.
// Also the lowest cosine between a clip's batched and unbatched vectors on these real clips, and what the rates
// are worth: the graph's FLOPs for a clip of median length against a plain matrix multiply's rate on the same
// provider and threads (flops.ts).
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createEncoder, type EncoderSpec } from '../engine/encoders/create';
import { cosine, describeBatching } from '../engine/encoders/manifest';
import type { BatchingInfo } from '../engine/encoders/types';
import { prepareAudio } from '../engine/embed/prepare';
import type { EmbedJobItem } from '../jobs/protocol';
import { countManifestFlops, matmulPeak, type FlopCount, type MatmulPeak } from './flops';
import { resolveBenchData } from './run';
import { table } from './table';
import { measureThroughput, type ThroughputRow } from './throughput';

export interface EncoderBenchOptions {
  manifest: string;
  /** Folder of clips (default EmoDB next to the app, else the demo clips: see resolveBenchData). */
  data?: string;
  /** Clips used (default: all of the folder). */
  clips?: number;
  /** Timed passes of the encoder-only step per setting (default 3). */
  repeats?: number;
  /** Skip the worker-pool step. */
  encoderOnly?: boolean;
  /** Intra-op threads of the encoder-only step's session (default: every core). */
  threads?: number;
  /** Ask for a GPU (CUDA, then WebGPU, else the CPU, as onnx-session.ts tries them); the pool step then runs
   * one worker, as GPU jobs do. */
  gpu?: boolean;
  log?: (line: string) => void;
}

export interface EncoderOnlyRow {
  label: string;
  batching: BatchingInfo | null;
  clips: number;
  audioSec: number;
  /** Best of the passes. */
  wallSec: number;
  clipsPerSec: number;
  realtimeFactor: number;
  /** Every pass's wall seconds, in order. */
  passes: number[];
  /** The least CPU time (this process, all threads) a pass took: unlike wall time, it hardly grows when
   * other processes share the cores. */
  cpuSec: number;
}

export interface EncoderBenchReport {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  manifest: string;
  encoder: { id: string; dim: number; sampleRate: number; provider: string; fallbacks: string[]; batching: BatchingInfo | null };
  dataset: { dir: string; files: number; note?: string };
  /** speedup: unbatched ÷ batched best wall time; cpuSpeedup: the same in CPU time. */
  encoderOnly: { threads: number; window: number; rows: EncoderOnlyRow[]; speedup: number; cpuSpeedup: number; minCosine: number };
  /** FLOPs of a clip of the median length; the matrix-multiply rate; each encoder-only row's share of it. */
  compute: { perClip: FlopCount; peak: MatmulPeak; share: { unbatched: number; batched: number } };
  pipeline?: { rows: ThroughputRow[]; speedup: number };
}

export async function benchManifestEncoder(opts: EncoderBenchOptions): Promise<EncoderBenchReport> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const manifest = resolve(opts.manifest);
  const data = resolveBenchData(opts.data);
  if (data.note) log(`note: ${data.note}`);
  const files = data.files.slice(0, opts.clips ?? data.files.length);
  const cores = availableParallelism();
  const batchedSpec: EncoderSpec = { kind: 'manifest', manifestPath: manifest };
  const singleSpec: EncoderSpec = { kind: 'manifest', manifestPath: manifest, maxBatch: 1 };

  const threads = Math.max(1, Math.floor(opts.threads ?? cores));
  const device = opts.gpu ? ('gpu' as const) : ('cpu' as const);
  const batched = await createEncoder(batchedSpec, { threads, device });
  const single = await createEncoder(singleSpec, { threads, device });
  try {
    log(`${batched.id}: ${describeBatching(batched.execution.batching!)}`);
    log(`decoding and resampling ${files.length} clips to ${batched.sampleRate} Hz…`);
    const audio: Float32Array[] = [];
    let audioSec = 0;
    for (const f of files) {
      const a = await prepareAudio(await readFile(f), f, batched.sampleRate);
      audio.push(a.samples);
      audioSec += a.durationSec;
    }
    // Calls of the size the embedding worker makes (at least the encoder's preferred batch).
    const window = Math.max(16, batched.preferredBatch ?? 0);
    const pass = async (enc: typeof batched): Promise<{ sec: number; cpuSec: number; vectors: Float32Array[] }> => {
      const t = performance.now();
      const c = process.cpuUsage();
      const vectors: Float32Array[] = [];
      for (let i = 0; i < audio.length; i += window) vectors.push(...(await enc.embed(audio.slice(i, i + window))));
      const cpu = process.cpuUsage(c);
      return { sec: (performance.now() - t) / 1000, cpuSec: (cpu.user + cpu.system) / 1e6, vectors };
    };
    await batched.embed(audio.slice(0, window)); // warm-up: first runs allocate
    await single.embed(audio.slice(0, window));
    const repeats = Math.max(1, opts.repeats ?? 3);
    const secs: [number[], number[]] = [[], []];
    const cpuSecs: [number[], number[]] = [[], []];
    let vb: Float32Array[] = [];
    let vs: Float32Array[] = [];
    for (let r = 0; r < repeats; r++) {
      log(`encoder only, pass ${r + 1}/${repeats}: unbatched, batched…`);
      const s = await pass(single);
      const b = await pass(batched);
      secs[0].push(s.sec);
      secs[1].push(b.sec);
      cpuSecs[0].push(s.cpuSec);
      cpuSecs[1].push(b.cpuSec);
      vs = s.vectors;
      vb = b.vectors;
    }
    const row = (label: string, batching: BatchingInfo | null, passes: number[], cpu: number[]): EncoderOnlyRow => {
      const wallSec = Math.min(...passes);
      return { label, batching, clips: audio.length, audioSec, wallSec, clipsPerSec: audio.length / wallSec, realtimeFactor: audioSec / wallSec, passes, cpuSec: Math.min(...cpu) };
    };
    const rows = [
      row('unbatched (1 clip per run)', single.execution.batching ?? null, secs[0], cpuSecs[0]),
      row(`batched (${batched.execution.batching!.mode})`, batched.execution.batching ?? null, secs[1], cpuSecs[1]),
    ];
    const minCosine = Math.min(...vb.map((v, i) => cosine(v, vs[i])));
    log('counting the graph\'s FLOPs and a matrix multiply\'s rate…');
    const median = [...audio.map((a) => a.length)].sort((a, b) => a - b)[Math.floor(audio.length / 2)];
    const perClip = await countManifestFlops(manifest, median);
    const peak = await matmulPeak({ device, threads });
    const share = (r: EncoderOnlyRow) => (r.clipsPerSec * perClip.flops) / peak.flopsPerSec;
    const compute = { perClip, peak, share: { unbatched: share(rows[0]), batched: share(rows[1]) } };

    let pipeline: EncoderBenchReport['pipeline'];
    if (!opts.encoderOnly) {
      const items: EmbedJobItem[] = files.map((path, i) => ({ key: String(i), path }));
      // --gpu: the hybrid job (jobs/embed-hybrid.ts): CPU workers decode and resample, one inference worker runs the encoder.
      const fronts = Math.max(1, cores - 1);
      const setting = opts.gpu ? { workers: fronts, threadsPerWorker: 1, batchSize: 16, device } : { workers: cores, threadsPerWorker: 1, batchSize: 16, device };
      const how = opts.gpu
        ? `${fronts} CPU worker${fronts > 1 ? 's' : ''} decoding + 1 inference worker, ${device}`
        : `${setting.workers} worker${setting.workers > 1 ? 's' : ''} × ${setting.threadsPerWorker} thread${setting.threadsPerWorker > 1 ? 's' : ''}, ${device}`;
      log(`pipeline (${how}): unbatched…`);
      const pu = await measureThroughput('unbatched, worker pool', items, setting, { encoder: singleSpec });
      log('pipeline: batched…');
      const pb = await measureThroughput('batched, worker pool', items, setting, { encoder: batchedSpec });
      pipeline = { rows: [pu, pb], speedup: pu.wallSec / pb.wallSec };
    }
    return {
      date: new Date().toISOString().slice(0, 10),
      machine: { cpus: cores, cpuModel: cpus()[0]?.model ?? '', node: process.version, platform: `${process.platform}-${process.arch}` },
      manifest,
      encoder: { id: batched.id, dim: batched.dim, sampleRate: batched.sampleRate, provider: batched.execution.provider, fallbacks: batched.execution.fallbacks, batching: batched.execution.batching ?? null },
      dataset: { dir: data.dir, files: files.length, ...(data.note ? { note: data.note } : {}) },
      encoderOnly: { threads, window, rows, speedup: rows[0].wallSec / rows[1].wallSec, cpuSpeedup: rows[0].cpuSec / rows[1].cpuSec, minCosine },
      compute,
      pipeline,
    };
  } finally {
    await batched.dispose();
    await single.dispose();
  }
}

const f = (x: number, d = 1) => x.toFixed(d);

export function formatEncoderBench(r: EncoderBenchReport): string {
  const out: string[] = [];
  out.push(`E-ODN Studio encoder bench ${r.date} — ${r.machine.cpus} cores (${r.machine.cpuModel}), Node ${r.machine.node}, ${r.machine.platform}`);
  out.push(`encoder: ${r.encoder.id} (${r.encoder.dim}-d, ${r.encoder.provider}) from ${r.manifest}`);
  if (r.encoder.fallbacks.length) out.push(`provider fallbacks: ${r.encoder.fallbacks.join(' | ')}`);
  if (r.encoder.batching) out.push(describeBatching(r.encoder.batching));
  out.push(`clips: ${r.dataset.files} in ${r.dataset.dir}${r.dataset.note ? ` (${r.dataset.note})` : ''}`);
  const e = r.encoderOnly;
  out.push('', `encoder only (clips prepared beforehand; one session, ${e.threads} thread${e.threads > 1 ? 's' : ''}; ${e.window} clips per call; best of ${e.rows[0].passes.length} passes):`);
  out.push(table(['setting', 'clips', 'audio s', 'wall s', 'clips/s', '× realtime', 'CPU s', 'passes s'], e.rows.map((x) => [x.label, String(x.clips), f(x.audioSec), f(x.wallSec, 2), f(x.clipsPerSec), f(x.realtimeFactor), f(x.cpuSec, 2), x.passes.map((p) => f(p, 2)).join(' ')])));
  out.push(`batched is ${f(e.speedup, 2)}× the unbatched speed (${f(e.cpuSpeedup, 2)}× in CPU time); lowest cosine between a clip's batched and unbatched vectors: ${e.minCosine.toFixed(6)}`);
  const c = r.compute;
  const gf = (x: number) => (x / 1e9).toFixed(3);
  const ops = Object.entries(c.perClip.byOp).map(([op, o]) => `${op} ${f((100 * o.flops) / Math.max(1, c.perClip.flops), 0)} %`).join(', ');
  out.push(
    `compute: ${gf(c.perClip.flops)} GFLOP per clip of ${f(c.perClip.samples / r.encoder.sampleRate, 2)} s (${ops}); a ${c.peak.size}² matrix multiply runs at ` +
      `${f(c.peak.flopsPerSec / 1e9)} GFLOP/s on ${c.peak.provider}: unbatched reaches ${f(100 * c.share.unbatched)} % of it, batched ${f(100 * c.share.batched)} %`,
  );
  if (r.pipeline) {
    const p = r.pipeline;
    out.push('', 'pipeline (read, decode, resample, embed in the worker pool; wall time includes starting workers and loading the model):');
    out.push(table(['setting', 'items', 'failed', 'wall s', 'load s', 'clips/s', '× realtime', 'excl. load', 'peak RSS MB', 'provider'], p.rows.map((x) => [x.label, String(x.items), String(x.failed), f(x.wallSec, 2), f(x.loadSec, 2), f(x.clipsPerSec), f(x.realtimeFactor), f(x.steadyRealtimeFactor), f(x.peakRssMb, 0), x.provider ?? '-'])));
    out.push(`batched is ${f(p.speedup, 2)}× the unbatched speed through the whole pipeline`);
  }
  return out.join('\n');
}
