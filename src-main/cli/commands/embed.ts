// eodn embed <folder-or-manifest> --out FILE: imports the source into a project (by default a cache
// project in the user's data folder), embeds every clip through the project's embedding cache (a clip
// is computed once, whatever the run), and writes one row per source file or utterance:
//   .jsonl (default): {"path","start","end","speaker","label","vector":[…]} per line
//   .csv:             path,start,end,speaker,label,v0,v1,… with a header row
// start and end are empty for a whole file; a long recording (over a minute) is cut into utterances by the
// VAD first, and each utterance gets a row with its offsets in seconds.
// Vectors are written with 9 significant digits, which read back as the same float32 values.
import type { CAC } from 'cac';
import cliProgress from 'cli-progress';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { defaultDataDir } from '../../app/paths';
import type { EncoderSpec } from '../../engine/encoders/create';
import { describeBatching } from '../../engine/encoders/manifest';
import { readRegularFile } from '../../engine/regular-file';
import type { Clip } from '../../../shared/domain';
import { describeEmbedRun, embedProjectClips } from '../../jobs/embedding-cache';
import { defaultWorkerPath } from '../../jobs/worker-path';
import { describeSplit, splitLongRecordings } from '../../pipeline/split-recordings';
import { importDataset, resolveSource, sha256 } from '../../store/import';
import { ProjectStore } from '../../store/project-store';

export interface EmbedCommandOptions {
  source: string;
  out: string;
  /** Project file; default <dataDir>/cache/embeddings.eodn. */
  project?: string;
  dataDir?: string;
  encoder?: string;
  gpu?: boolean;
  workers?: number;
  /** Show progress bars (default: when stderr is a terminal). */
  progress?: boolean;
  log?: (line: string) => void;
}

export interface EmbedCommandResult {
  project: string;
  out: string;
  rows: number;
  dim: number | null;
  imported: number;
  computed: number;
  cached: number;
  provider: string | null;
  seconds: number;
  errors: { file: string; error: string }[];
}

export function parseEncoderOption(kind: string | undefined): EncoderSpec {
  if (!kind || kind === 'speech-embedding') return { kind: 'speech-embedding' };
  if (kind === 'speech-embedding-only' || kind === 'functionals') return { kind };
  if (kind.endsWith('.json')) return { kind: 'manifest', manifestPath: resolve(kind) };
  throw new Error(`unknown encoder "${kind}": use speech-embedding, speech-embedding-only, functionals or a manifest .json`);
}

export const cacheProjectPath = (dataDir = defaultDataDir()) => join(dataDir, 'cache', 'embeddings.eodn');

function openOrCreate(file: string): ProjectStore {
  if (existsSync(file)) return ProjectStore.open(file);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return ProjectStore.create(file, { name: 'embedding cache' });
}

const fmt = (v: Float32Array) => Array.from(v, (x) => +x.toPrecision(9));
const csvCell = (s: string | null) => (s == null ? '' : /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export async function runEmbed(opts: EmbedCommandOptions): Promise<EmbedCommandResult> {
  const t0 = performance.now();
  const log = opts.log ?? ((l: string) => console.error(l));
  const showBars = opts.progress ?? process.stderr.isTTY === true;
  const encoder = parseEncoderOption(opts.encoder);
  const projectFile = resolve(opts.project ?? cacheProjectPath(opts.dataDir));
  const { entries } = resolveSource(opts.source);
  const store = openOrCreate(projectFile);
  const errors: EmbedCommandResult['errors'] = [];
  try {
    const bar = showBars ? new cliProgress.SingleBar({ format: ' {phase} [{bar}] {value}/{total} {extra}', hideCursor: true }, cliProgress.Presets.shades_classic) : null;
    bar?.start(entries.length, 0, { phase: 'import', extra: '' });
    const imp = await importDataset(store, opts.source, { onProgress: (p) => bar?.update(p.done) });
    bar?.stop();
    for (const e of imp.errors) errors.push({ file: e.file, error: e.reason });

    // Long recordings → their utterances (VAD, in a worker): one row per utterance instead of one per file.
    const split = await splitLongRecordings(store, imp.addedIds, { workerPath: defaultWorkerPath() });
    if (split.recordings) log(describeSplit(split));
    for (const k of split.kept) log(`  ${k.file}: ${k.reason}`);

    // Each source file → its clip, or its utterances' clips, by content (a file already in the project under
    // another path is the same clip).
    const clipsOf = new Map<string, Clip[]>();
    const failed = new Set(imp.errors.map((e) => e.file));
    for (const e of entries) {
      if (failed.has(e.path)) continue;
      const clips = store.findClipsByHash(sha256(await readRegularFile(e.path)));
      const whole = clips.find((c) => c.segmentStartSec == null);
      const chosen = whole ? [whole] : clips.sort((a, b) => a.segmentStartSec! - b.segmentStartSec!);
      if (chosen.length) clipsOf.set(e.path, chosen);
    }
    const clipIds = [...new Set([...clipsOf.values()].flat().map((c) => c.id))];
    bar?.start(clipIds.length, 0, { phase: 'embed ', extra: '' });
    const r = await embedProjectClips(store, {
      encoder,
      clipIds,
      device: opts.gpu ? 'gpu' : 'cpu',
      workers: opts.workers,
      onProgress: (p) => bar?.update(p.done, { extra: `${p.cached} cached, ${p.clipsPerSec.toFixed(1)} clips/s` }),
    });
    bar?.stop();
    const failedClips = new Map(r.errors.map((e) => [e.clipId, e.error]));

    mkdirSync(dirname(resolve(opts.out)), { recursive: true });
    const csv = extname(opts.out).toLowerCase() === '.csv';
    const out = createWriteStream(opts.out);
    let rows = 0;
    let dim: number | null = null;
    for (const e of entries) {
      for (const clip of clipsOf.get(e.path) ?? []) {
        const v = r.vectors.get(clip.id);
        const where = clip.segmentStartSec == null ? '' : ` (${clip.segmentStartSec.toFixed(2)}-${clip.segmentEndSec!.toFixed(2)} s)`;
        if (!v) {
          errors.push({ file: e.path + where, error: failedClips.get(clip.id) ?? 'not embedded' });
          continue;
        }
        if (dim === null) {
          dim = v.length;
          if (csv) out.write(['path', 'start', 'end', 'speaker', 'label', ...Array.from({ length: dim }, (_, i) => `v${i}`)].join(',') + '\n');
        }
        const [start, end] = [clip.segmentStartSec, clip.segmentEndSec];
        const line = csv
          ? [csvCell(e.path), start ?? '', end ?? '', csvCell(e.speaker), csvCell(e.label), ...fmt(v)].join(',')
          : JSON.stringify({ path: e.path, start, end, speaker: e.speaker, label: e.label, vector: fmt(v) });
        if (!out.write(line + '\n')) await new Promise<void>((res) => out.once('drain', () => res()));
        rows++;
      }
    }
    await new Promise<void>((res, rej) => {
      out.once('error', rej);
      out.end(() => res());
    });
    const result: EmbedCommandResult = {
      project: projectFile, out: resolve(opts.out), rows, dim, imported: imp.added, computed: r.computed, cached: r.cached,
      provider: r.provider, seconds: (performance.now() - t0) / 1000, errors,
    };
    log(`embedded ${rows} rows (${r.computed} computed${r.provider ? ` on ${r.provider}` : ''}, ${r.cached} cached) → ${result.out} in ${result.seconds.toFixed(1)} s`);
    if (r.execution) log(describeEmbedRun(r));
    if (r.batching) log(describeBatching(r.batching));
    if (errors.length) {
      log(`${errors.length} file(s) could not be embedded:`);
      for (const e of errors) log(`  ${e.file}: ${e.error}`);
    }
    return result;
  } finally {
    store.close();
  }
}

export function registerEmbed(cli: CAC): void {
  cli
    .command('embed <source>', 'Embed a folder or manifest (CSV) of audio files, computing each clip once (cached)')
    .option('--out <file>', 'Output file: .jsonl (path, speaker, label, vector per line) or .csv')
    .option('--project <file>', 'Project to import into and cache in (default: <data dir>/cache/embeddings.eodn)')
    .option('--encoder <kind>', 'speech-embedding (default), speech-embedding-only, functionals, or an encoder manifest .json')
    .option('--gpu', 'Run the encoder on a GPU when one is usable (falls back to the CPU)')
    .option('--workers <n>', 'Worker threads (default: one per core)')
    .action(async (source: string, o: { out?: string; project?: string; encoder?: string; gpu?: boolean; workers?: string }) => {
      if (!o.out) throw new Error('embed needs --out FILE');
      const r = await runEmbed({ source, out: o.out, project: o.project, encoder: o.encoder, gpu: o.gpu, workers: o.workers ? Number(o.workers) : undefined });
      if (r.errors.length) process.exitCode = 1;
    });
}
