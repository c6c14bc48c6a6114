// `eodn bench`: embedding throughput on EmoDB (or the demo clips when it is absent) and on a long
// synthetic recording cut by VAD, for one worker and for the best pool setting; optionally the GPU;
// and the store's 100,000-clip figures. Everything measured here, nothing estimated.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { appRoot } from '../app/paths';
import type { EmbedJobItem } from '../jobs/protocol';
import { findUtterancesInWorker } from '../jobs/utterances-host';
import { defaultWorkerPath } from '../jobs/worker-path';
import { walkAudio } from '../store/import/sources';
import { writeSyntheticRecording } from './recordings';
import { profileStages, type StageProfile } from './stages';
import { benchStore, type StoreBench } from './store';
import { table } from './table';
import { measureThroughput, type ThroughputRow, type ThroughputSetting } from './throughput';

export interface BenchOptions {
  /** Folder of clips; default <appRoot>/../shared/data/emodb. */
  data?: string;
  gpu?: boolean;
  /** Length of the synthetic recording (default 600 s). */
  longSec?: number;
  /** Clips in the store bench (default 100,000). */
  storeClips?: number;
  log?: (line: string) => void;
}

export interface BenchReport {
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  dataset: { name: 'emodb' | 'folder' | 'demo'; dir: string; files: number; note?: string };
  stages: StageProfile;
  clips: ThroughputRow[];
  long: {
    durationSec: number;
    utterances: number;
    /** Reading, resampling and VAD, as the import does it (a worker, the file read ten minutes at a time). */
    vadSec: number;
    segments: number;
    speechSec: number;
    embed: ThroughputRow;
    /** Recording seconds per wall second for decode + VAD + embedding together. */
    realtimeFactor: number;
  };
  /** The GPU rows: the hybrid job, then one worker doing everything. */
  gpu?: ThroughputRow[];
  store: StoreBench;
}

function demoClips(): string[] {
  const demo = join(appRoot(), 'resources', 'demo', 'clips');
  return readdirSync(demo).filter((f) => f.endsWith('.wav')).sort().map((f) => join(demo, f));
}

export function resolveBenchData(data?: string): { name: 'emodb' | 'folder' | 'demo'; dir: string; files: string[]; note?: string } {
  const wanted = resolve(data ?? join(appRoot(), '..', 'shared', 'data', 'emodb'));
  const dir = existsSync(join(wanted, 'wav')) ? join(wanted, 'wav') : wanted;
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const files = walkAudio(dir);
    if (files.length) return { name: data ? 'folder' : 'emodb', dir, files };
  }
  const files = demoClips();
  return { name: 'demo', dir: dirname(files[0]), files, note: `${wanted} not found: benched on the ${files.length} demo clips only` };
}

export async function runBench(opts: BenchOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const cores = availableParallelism();
  const data = resolveBenchData(opts.data);
  if (data.note) log(`note: ${data.note}`);
  const items: EmbedJobItem[] = data.files.map((path, i) => ({ key: String(i), path }));

  log(`profiling stages on ${Math.min(80, data.files.length)} clips (one thread)…`);
  const stages = await profileStages(data.files.slice(0, 80));

  const settings: [string, ThroughputSetting][] = [
    ['1 worker, 1 thread', { workers: 1, threadsPerWorker: 1, batchSize: 16, device: 'cpu' }],
    [`1 worker, ${cores} threads`, { workers: 1, threadsPerWorker: cores, batchSize: 16, device: 'cpu' }],
    [`${cores} workers, 1 thread`, { workers: cores, threadsPerWorker: 1, batchSize: 16, device: 'cpu' }],
    [`${cores} workers, 1 thread, batch 4`, { workers: cores, threadsPerWorker: 1, batchSize: 4, device: 'cpu' }],
  ];
  const clips: ThroughputRow[] = [];
  for (const [label, s] of settings) {
    log(`embedding ${items.length} clips: ${label}…`);
    clips.push(await measureThroughput(label, items, s));
  }
  const best = clips.reduce((a, b) => (b.realtimeFactor > a.realtimeFactor ? b : a));

  log('long recording: writing, VAD, embedding segments…');
  const tmp = mkdtempSync(join(tmpdir(), 'eodn-bench-long-'));
  let long: BenchReport['long'];
  try {
    const rec = writeSyntheticRecording(demoClips(), join(tmp, 'long.wav'), opts.longSec ?? 600);
    const t = performance.now();
    const found = (await findUtterancesInWorker([rec.file], { workerPath: defaultWorkerPath() })).get(rec.file);
    if (!found?.ok) throw new Error(`VAD failed on the synthetic recording: ${found?.error ?? 'no answer'}`);
    const segs = found.segments;
    const vadSec = (performance.now() - t) / 1000;
    const segItems = segs.map((s, i) => ({ key: String(i), path: rec.file, segment: s }));
    const embed = await measureThroughput(`segments, ${best.label}`, segItems, best);
    long = {
      durationSec: rec.durationSec,
      utterances: rec.utterances,
      vadSec,
      segments: segs.length,
      speechSec: segs.reduce((a, s) => a + s.endSec - s.startSec, 0),
      embed,
      realtimeFactor: rec.durationSec / (vadSec + embed.wallSec),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  let gpu: ThroughputRow[] | undefined;
  if (opts.gpu) {
    const fronts = Math.max(1, cores - 1);
    log(`GPU: same clips, hybrid (${fronts} CPU workers + 1 embedding worker)…`);
    gpu = [await measureThroughput(`gpu hybrid (${fronts} CPU + 1 GPU worker)`, items, { workers: fronts, threadsPerWorker: 1, batchSize: 16, device: 'gpu' })];
    log('GPU: same clips, one worker doing everything…');
    gpu.push(await measureThroughput('gpu (1 worker, all stages)', items, { workers: 1, threadsPerWorker: cores, batchSize: 64, device: 'gpu', hybrid: false }));
  }

  log(`store: ${(opts.storeClips ?? 100_000).toLocaleString('en')}-clip synthetic project…`);
  const store = benchStore({ clips: opts.storeClips });
  return {
    machine: { cpus: cores, cpuModel: cpus()[0]?.model ?? '', node: process.version, platform: `${process.platform}-${process.arch}` },
    dataset: { name: data.name, dir: data.dir, files: data.files.length, ...(data.note ? { note: data.note } : {}) },
    stages,
    clips,
    long,
    gpu,
    store,
  };
}

const f = (x: number, d = 1) => x.toFixed(d);

export function formatBench(r: BenchReport): string {
  const out: string[] = [];
  out.push(`E-ODN Studio bench — ${r.machine.cpus} cores (${r.machine.cpuModel}), Node ${r.machine.node}, ${r.machine.platform}`);
  out.push(`clips: ${r.dataset.name}, ${r.dataset.files} files in ${r.dataset.dir}${r.dataset.note ? ` (${r.dataset.note})` : ''}`);
  const s = r.stages.msPerClip;
  out.push('', `where the time goes (one thread, CPU ms per clip of ${f(r.stages.audioSec / Math.max(1, r.stages.clips), 2)} s):`);
  out.push(table(['stage', 'ms/clip'], [
    ['read + decode', f(s.decode, 2)],
    ['resample → 16 kHz', f(s.resample, 2)],
    ['functionals (375-d)', f(s.functionals, 2)],
    ['  of which pitch', f(s.pitch, 2)],
    ['speech embedding (ONNX)', f(s.speechEmbedding, 2)],
    ['total', f(s.total, 2)],
  ]));
  const rows = (rs: ThroughputRow[]) =>
    rs.map((x) => [x.label, String(x.items), String(x.failed), f(x.audioSec), f(x.wallSec, 2), f(x.loadSec, 2), f(x.realtimeFactor), f(x.steadyRealtimeFactor), f(x.clipsPerSec), f(x.peakRssMb, 0), x.provider ?? '-']);
  const head = ['setting', 'items', 'failed', 'audio s', 'wall s', 'load s', '× realtime', 'excl. load', 'clips/s', 'peak RSS MB', 'provider'];
  out.push('', 'embedding (speech-embedding + functionals, 567-d; wall time includes starting workers and loading models):');
  out.push(table(head, rows([...r.clips, ...(r.gpu ?? [])])));
  const fallbacks = [...new Set((r.gpu ?? []).flatMap((g) => g.fallbacks))];
  if (fallbacks.length) out.push(`gpu fallbacks: ${fallbacks.join(' | ')}`);
  const l = r.long;
  out.push('', `long recording: ${f(l.durationSec / 60)} min synthetic (${l.utterances} utterances + silences)`);
  out.push(table(['step', 'seconds', 'note'], [
    ['read + VAD (silero, worker)', f(l.vadSec, 2), `${l.segments} segments, ${f(l.speechSec)} s of speech`],
    ['embed segments', f(l.embed.wallSec, 2), `${l.embed.label}, peak RSS ${f(l.embed.peakRssMb, 0)} MB`],
    ['whole recording', f(l.vadSec + l.embed.wallSec, 2), `${f(l.realtimeFactor)}× realtime`],
  ]));
  const st = r.store;
  out.push('', `store: ${st.clips.toLocaleString('en')}-clip synthetic project (${f(st.fileBytes / 2 ** 20)} MB)`);
  out.push(table(['step', 'seconds'], [
    ['insert clips (import)', f(st.importSec, 2)],
    ['predictions for all', f(st.predictionsSec, 2)],
    ['open', f(st.openSec, 3)],
    ['2 list pages', f(st.listSec, 3)],
  ]));
  return out.join('\n');
}
