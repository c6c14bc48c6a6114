// `eodn bench --load`: a project of 100,000 clips and hours of real audio, driven through the studio's own code
// paths and measured where the annotator would feel it.
// 1. A synthetic project of --store-clips clips (rows and cached embeddings, no audio behind them), opened by a
//    StudioService (lock + missing-file check), list pages at offsets, 10,000 annotations through the API in
//    bursts, and a training run in the training worker on synthetic embeddings of every clip.
// 2. Real audio: --audio-hours of 16 kHz WAV recordings built from the demo clips, imported into the same
//    project by the import job, cut into utterances by the VAD (segments become clips), and embedded through
//    the embedding pool with the store cache, first one hour of it, then all of it (memory must not grow with
//    the hours).
// Every heavy phase runs under measurePhase: peak RSS, the main thread's event-loop delay, and the latency of
// clips.list / annotations.add / predictions.forClip issued through StudioService.dispatch every 200 ms.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StudioService } from '../api/studio-service';
import { appRoot } from '../app/paths';
import { encoderCacheKey } from '../engine/embed/cache-key';
import type { EncoderSpec } from '../engine/encoders/create';
import { embedProjectClips } from '../jobs/embedding-cache';
import { ProjectStore } from '../store/project-store';
import { makeRng as rng } from '../engine/odn/rng';
import { loadUtterances, writeRecordings } from './recordings';
import { measurePhase, type PhaseReport, type Probe } from './responsiveness';
import { populateSynthetic, putSyntheticEmbeddings, SYNTHETIC_CLASSES } from './synthetic-project';
import { table } from './table';

export interface LoadBenchOptions {
  clips?: number;
  annotations?: number;
  /** Annotations per burst (as from the Review view; a yield to the event loop between bursts). */
  burst?: number;
  /** Dimension of the synthetic embeddings. */
  dim?: number;
  /** Head epochs of the training run (the pipeline's default is 150). */
  epochs?: number;
  /** Speakers in the synthetic project: leave-one-speaker-out cross-validation trains one head per speaker. */
  speakers?: number;
  /** Hours of real audio to import, segment and embed (default 5; 0 skips that part). */
  audioHours?: number;
  /** Length of each recording file (default 3600 s). */
  fileSec?: number;
  /** Encoder of the audio part (default speech-embedding-only: the 567-d default adds functionals at ~5× the cost). */
  audioEncoder?: EncoderSpec;
  /** Time between rounds of probe calls (default 200 ms). */
  probeIntervalMs?: number;
  dir?: string;
  log?: (line: string) => void;
}

export interface EmbedRun {
  label: string;
  /** Recording hours whose segments were asked for. */
  recordingHours: number;
  clips: number;
  computed: number;
  cached: number;
  errors: number;
  /** Seconds of speech embedded in this run (cached segments excluded). */
  speechSec: number;
  seconds: number;
  /** Speech seconds embedded per wall second. */
  realtimeFactor: number;
  provider: string | null;
}

export interface AudioLoad {
  hours: number;
  files: number;
  fileSec: number;
  encoder: string;
  writeSec: number;
  utterancesWritten: number;
  /** The import job: hashing the files, then the VAD cutting each into utterances in a worker (the
   * utterances replace the whole-file clips). */
  importSec: number;
  clipsImported: number;
  segments: number;
  speechSec: number;
  embeds: EmbedRun[];
  /** Recording seconds per wall second for import + segmentation + embedding of every hour. */
  realtimeFactor: number;
}

export interface LoadBench {
  machine: { cpus: number; loadAvgStart: number[]; loadAvgEnd: number[] };
  clips: number;
  audioHours: number;
  importSec: number;
  /** Writing one cached embedding per clip (what embedding the project would leave behind). */
  embeddingsSec: number;
  /** StudioService.openProject: lock, interrupted-job check and missing-file check. */
  openSec: number;
  missingFlagged: number;
  /** One 100-row page at each offset, sorted and filtered as the Library view asks, through the API. */
  pages: { offset: number; query: string; ms: number }[];
  annotate: { count: number; bursts: number; burstSize: number; meanMsPerAnnotation: number; maxBurstMs: number };
  train: { rows: number; trainRows: number; dim: number; epochs: number; speakers: number; seconds: number; predictions: number; state: string };
  audio: AudioLoad | null;
  /** Every measured phase in order: time, RSS, event-loop delay, API latency. */
  phases: PhaseReport[];
  peakRssMb: { import: number; annotate: number; train: number; overall: number };
  /** process.resourceUsage().maxRSS at the end: the peak of the whole process's life, workers included. */
  processMaxRssMb: number;
  fileBytes: number;
}

const sec = (t0: number) => (performance.now() - t0) / 1000;

export async function benchLoad(opts: LoadBenchOptions = {}): Promise<LoadBench> {
  const clips = opts.clips ?? 100_000;
  const annotations = Math.min(opts.annotations ?? 10_000, clips);
  const burstSize = opts.burst ?? 100;
  const dim = opts.dim ?? 64;
  const epochs = opts.epochs ?? 20;
  const speakers = opts.speakers ?? 4;
  const audioHours = opts.audioHours ?? 5;
  const log = opts.log ?? (() => {});
  const loadAvgStart = loadavg();
  const dir = mkdtempSync(join(opts.dir ?? tmpdir(), 'eodn-load-'));
  const file = join(dir, 'load.eodn');
  const phases: PhaseReport[] = [];
  const overallStart = process.memoryUsage.rss();
  let overallPeak = overallStart;
  const overallTimer = setInterval(() => (overallPeak = Math.max(overallPeak, process.memoryUsage.rss())), 25);
  let service: StudioService | null = null;
  try {
    log(`load: creating ${clips} synthetic clips with cached embeddings…`);
    let importSec = 0;
    let embeddingsSec = 0;
    const created = await measurePhase('create synthetic project', async () => {
      const store = ProjectStore.create(file, { name: 'load' });
      try {
        let t = performance.now();
        populateSynthetic(store, { clips, speakers });
        importSec = sec(t);
        t = performance.now();
        putSyntheticEmbeddings(store, dim);
        embeddingsSec = sec(t);
        store.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        store.close();
      }
    });
    phases.push(created.phase);

    mkdirSync(join(dir, 'data'));
    service = new StudioService({ transport: 'browser', dataDir: join(dir, 'data'), version: 'bench' });
    const api = service;
    const call = <T>(method: string, args: unknown) => api.dispatch(method, args) as Promise<T>;
    let t = performance.now();
    service.openProject(file);
    const openSec = sec(t);
    const store = service.currentStore!;
    const missingFlagged = store.db.prepare('SELECT COUNT(*) FROM clips WHERE missing = 1').pluck().get() as number;
    const syntheticHours = (store.db.prepare('SELECT SUM(duration_sec) FROM clips').pluck().get() as number) / 3600;

    // What the annotator does while a phase runs: a deep page of the library, an answer, a prediction.
    const pick = rng(11);
    const anyClip = () => 1 + Math.floor(pick() * clips);
    const deep = Math.max(0, Math.floor(clips * 0.9));
    const probes: Probe[] = [
      { name: 'clips.list', call: () => call('clips.list', { offset: deep, limit: 100, sort: { by: 'name', dir: 'asc' } }) },
      { name: 'annotations.add', call: () => call('annotations.add', { clipId: anyClip(), action: 'relabel', label: 'neutral', annotator: 'probe' }) },
      { name: 'predictions.forClip', call: () => call('predictions.forClip', { clipId: anyClip() }) },
    ];
    const measured = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const r = await measurePhase(name, fn, { probes, intervalMs: opts.probeIntervalMs });
      phases.push(r.phase);
      return r.value;
    };

    log('load: paging the clip list…');
    const pages: LoadBench['pages'] = [];
    for (const offset of [0, Math.floor(clips / 2), Math.max(0, clips - 100)]) {
      for (const [query, q] of [
        ['by name', { sort: { by: 'name', dir: 'asc' } }],
        ['label = anger, by duration desc', { filter: { label: 'anger' }, sort: { by: 'duration', dir: 'desc' } }],
      ] as const) {
        const t0 = performance.now();
        await call('clips.list', { offset, limit: 100, ...q });
        pages.push({ offset, query, ms: performance.now() - t0 });
      }
    }

    log(`load: ${annotations} annotations through the API in bursts of ${burstSize}…`);
    let maxBurstMs = 0;
    let annotateMs = 0;
    let bursts = 0;
    await measured('review (annotations.add bursts)', async () => {
      const rand = rng(7);
      for (let done = 0; done < annotations; done += burstSize, bursts++) {
        const t0 = performance.now();
        for (let k = done; k < Math.min(annotations, done + burstSize); k++) {
          const clipId = 1 + Math.floor(rand() * clips);
          await call('annotations.add', { clipId, action: 'relabel', label: SYNTHETIC_CLASSES[k % SYNTHETIC_CLASSES.length], annotator: 'load' });
        }
        const ms = performance.now() - t0;
        annotateMs += ms;
        maxBurstMs = Math.max(maxBurstMs, ms);
        // Between bursts the reviewer's view refreshes its page.
        await call('clips.list', { offset: 0, limit: 100, filter: { reviewed: false } });
        await new Promise((r) => setImmediate(r));
      }
    });

    log(`load: training in the worker on ${clips} synthetic ${dim}-d embeddings (${epochs} epochs, ${speakers} speakers)…`);
    const known = SYNTHETIC_CLASSES.slice(0, 5);
    t = performance.now();
    const trainState = await measured('train (training worker)', async () => {
      const { jobId } = service!.startTraining({ known, encoder: { kind: 'functionals' }, head: { epochs }, name: 'load bench' });
      await service!.waitForJob(jobId);
      const job = store.getJob(jobId);
      if (job.state !== 'done') log(`load: training ended ${job.state}: ${job.error ?? job.message}`);
      return job.state;
    });
    const trainSec = sec(t);
    const versionId = store.activeModelVersionId();
    const version = versionId !== null ? store.getModelVersion(versionId) : null;

    const audio = audioHours > 0 ? await audioPart(service, dir, audioHours, opts, measured, log) : null;

    const fileBytes = store.db.prepare('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()').pluck().get() as number;
    const peakOf = (prefix: string) => Math.max(0, ...phases.filter((p) => p.name.startsWith(prefix)).map((p) => p.peakRssMb));
    overallPeak = Math.max(overallPeak, process.memoryUsage.rss());
    return {
      machine: { cpus: availableParallelism(), loadAvgStart, loadAvgEnd: loadavg() },
      clips,
      audioHours: syntheticHours,
      importSec,
      embeddingsSec,
      openSec,
      missingFlagged,
      pages,
      annotate: { count: annotations, bursts, burstSize, meanMsPerAnnotation: annotations ? annotateMs / annotations : 0, maxBurstMs },
      train: {
        rows: clips,
        trainRows: version ? (version.metrics as { nTrain: number }).nTrain : 0,
        dim,
        epochs,
        speakers,
        seconds: trainSec,
        predictions: version ? store.listPredictions(version.id).length : 0,
        state: trainState,
      },
      audio,
      phases,
      peakRssMb: { import: peakOf('create'), annotate: peakOf('review'), train: peakOf('train'), overall: overallPeak / 2 ** 20 },
      processMaxRssMb: process.resourceUsage().maxRSS / 1024,
      fileBytes,
    } satisfies LoadBench;
  } finally {
    clearInterval(overallTimer);
    await service?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Measured = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** Import, segmentation and embedding of `hours` of recordings, in the project the service has open. */
async function audioPart(service: StudioService, dir: string, hours: number, opts: LoadBenchOptions, measured: Measured, log: (l: string) => void): Promise<AudioLoad> {
  const store = service.currentStore!;
  const fileSec = opts.fileSec ?? 3600;
  const encoder: EncoderSpec = opts.audioEncoder ?? { kind: 'speech-embedding-only' };
  const audioDir = join(dir, 'audio');
  mkdirSync(audioDir);

  log(`load: writing ${hours} h of 16 kHz recordings…`);
  let t = performance.now();
  const demo = join(appRoot(), 'resources', 'demo', 'clips');
  const utterances = await loadUtterances(readdirSync(demo).filter((f) => f.endsWith('.wav')).sort().map((f) => join(demo, f)));
  const written = writeRecordings(utterances, audioDir, hours, fileSec);
  const writeSec = sec(t);
  const recordingSec = written.reduce((a, w) => a + w.durationSec, 0);

  log(`load: importing ${written.length} recordings (import job: files, then the VAD in a worker)…`);
  t = performance.now();
  const segmentsByFile = await measured('import audio + VAD (import job, worker)', async () => {
    const { jobId } = (await service.dispatch('projects.import', { source: audioDir })) as { jobId: string };
    await service.projects.waitForImport(jobId);
    const job = store.getJob(jobId);
    if (job.state !== 'done') throw new Error(`import ${job.state}: ${job.error ?? job.message}`);
    const rows = store.db.prepare('SELECT id, path FROM clips WHERE path LIKE ? AND segment_start IS NOT NULL ORDER BY path, segment_start').all(`${audioDir}%`) as { id: number; path: string }[];
    return written.map((w) => rows.filter((r) => r.path === w.file).map((r) => r.id));
  });
  const importSec = sec(t);
  const allIds = segmentsByFile.flat();
  const durations = new Map((store.db.prepare('SELECT id, duration_sec FROM clips WHERE segment_start IS NOT NULL').raw().all() as [number, number][]));

  const embeds: EmbedRun[] = [];
  const embedded = new Set<number>();
  const embedRun = async (label: string, ids: number[], recordingHours: number) => {
    log(`load: ${label}: embedding ${ids.length} segments…`);
    const r = await measured(label, () => embedProjectClips(store, { encoder, clipIds: ids }));
    // Speech computed in this run: segments embedded by an earlier run come from the cache.
    const speechSec = [...r.vectors.keys()].filter((id) => !embedded.has(id)).reduce((a, id) => a + (durations.get(id) ?? 0), 0);
    for (const id of r.vectors.keys()) embedded.add(id);
    embeds.push({
      label,
      recordingHours,
      clips: ids.length,
      computed: r.computed,
      cached: r.cached,
      errors: r.errors.length,
      speechSec,
      seconds: r.seconds,
      realtimeFactor: r.seconds > 0 ? speechSec / r.seconds : 0,
      provider: r.provider,
    });
    if (r.errors.length) log(`load: ${r.errors.length} segments failed, first: ${r.errors[0].error}`);
  };
  const firstHours = (written[0]?.durationSec ?? 0) / 3600;
  if (segmentsByFile.length > 1) await embedRun(`embed ${firstHours.toFixed(1)} h`, segmentsByFile[0], firstHours);
  await embedRun(`embed ${(recordingSec / 3600).toFixed(1)} h`, allIds, recordingSec / 3600);
  const embedSec = embeds.reduce((a, e) => a + e.seconds, 0);
  return {
    hours,
    files: written.length,
    fileSec,
    encoder: encoderCacheKey(encoder).encoderId,
    writeSec,
    utterancesWritten: written.reduce((a, w) => a + w.utterances, 0),
    importSec,
    clipsImported: written.length,
    segments: allIds.length,
    speechSec: allIds.reduce((a, id) => a + (durations.get(id) ?? 0), 0),
    embeds,
    realtimeFactor: recordingSec / (importSec + embedSec),
  };
}

const f = (x: number, d = 2) => x.toFixed(d);

/** Phases as a table: seconds, RSS, event-loop delay and each probe's p50/p99/max, in milliseconds. */
export function formatPhases(phases: readonly PhaseReport[]): string {
  const names = [...new Set(phases.flatMap((p) => Object.keys(p.calls)))];
  const head = ['phase', 's', 'RSS start MiB', 'RSS peak MiB', 'loop delay p50/p99/max ms', ...names.map((n) => `${n} p50/p99/max ms (n)`)];
  const three = (s: { p50Ms: number; p99Ms: number; maxMs: number }) => `${f(s.p50Ms, 1)}/${f(s.p99Ms, 1)}/${f(s.maxMs, 0)}`;
  const rows = phases.map((p) => [
    p.name,
    f(p.seconds, 1),
    f(p.startRssMb, 0),
    f(p.peakRssMb, 0),
    three(p.eventLoop),
    ...names.map((n) => {
      const c = p.calls[n];
      return c ? `${three(c)} (${c.n}${c.errors ? `, ${c.errors} failed` : ''})` : '-';
    }),
  ]);
  return table(head, rows);
}

export function formatLoadBench(b: LoadBench): string {
  const la = (x: number[]) => x.map((v) => f(v, 2)).join(' ');
  const out = [
    `load: ${b.clips} clips (${f(b.audioHours, 1)} h of audio by duration), project file ${f(b.fileBytes / 2 ** 20, 0)} MiB; ${b.machine.cpus} cores, load average ${la(b.machine.loadAvgStart)} at start, ${la(b.machine.loadAvgEnd)} at end`,
    `  import ${f(b.importSec)} s; cached embeddings ${f(b.embeddingsSec)} s; open + missing check ${f(b.openSec)} s (${b.missingFlagged} flagged)`,
    ...b.pages.map((p) => `  page at ${p.offset} (${p.query}): ${f(p.ms, 1)} ms`),
    `  annotate ${b.annotate.count} through the API in ${b.annotate.bursts} bursts of ${b.annotate.burstSize}: ${f(b.annotate.meanMsPerAnnotation, 2)} ms each on average, slowest burst ${f(b.annotate.maxBurstMs, 0)} ms`,
    `  train in the worker on ${b.train.rows} clips (${b.train.trainRows} labelled known, ${b.train.dim}-d, ${b.train.epochs} epochs, ${b.train.speakers} speakers): ${b.train.state}, ${f(b.train.seconds, 1)} s, ${b.train.predictions} predictions`,
  ];
  const a = b.audio;
  if (a) {
    out.push(
      `audio: ${f(a.hours, 1)} h in ${a.files} files of up to ${f(Math.min(a.fileSec, a.hours * 3600) / 60, 0)} min (16 kHz mono WAV from the demo clips, ${a.utterancesWritten} utterances), written in ${f(a.writeSec, 1)} s`,
      `  import job ${f(a.importSec, 1)} s (${a.clipsImported} files hashed, then cut by the VAD in a worker) → ${a.segments} segments, ${f(a.speechSec / 3600, 2)} h of speech`,
      ...a.embeds.map(
        (e) =>
          `  ${e.label} (${a.encoder}): ${e.clips} segments (${e.computed} computed, ${e.cached} cached, ${e.errors} failed) in ${f(e.seconds, 1)} s, ${f(e.realtimeFactor, 1)}× realtime of speech, provider ${e.provider ?? '-'}`,
      ),
      `  whole audio path (import + VAD + embedding): ${f(a.realtimeFactor, 1)}× realtime of recording`,
    );
  }
  out.push(
    'phases (RSS of the whole process, workers included; loop delay = how late main-thread timers ran; API calls through StudioService.dispatch every ~200 ms, latency from when each was due):',
    formatPhases(b.phases),
    `peak RSS: import ${f(b.peakRssMb.import, 0)} MiB, annotate ${f(b.peakRssMb.annotate, 0)} MiB, train ${f(b.peakRssMb.train, 0)} MiB, overall ${f(b.peakRssMb.overall, 0)} MiB (process maxRSS ${f(b.processMaxRssMb, 0)} MiB)`,
  );
  return out.join('\n');
}
