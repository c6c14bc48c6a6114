// StudioService implements StudioApi once, on the engine, the store and the jobs, knowing no transport.
// Transports call `dispatch(method, rawArgs)`: arguments are validated by the schemas in shared/api.ts
// before any handler runs, and every failure comes back as an ApiError with a code.
// Training and fine-tuning run in worker threads that write the version themselves; their lifecycle (start,
// progress as `job.progress`, `model.changed`, cancel, wait, a crashed worker's job failed) is training/training-jobs.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  isMethod,
  type ApiErrorCode,
  parseArgs,
  type AppInfo,
  type Method,
  type MethodResult,
  type MethodResults,
  DEFAULT_ANNOTATOR,
  STUDIO_EVENTS,
  type StudioEvent,
  type StudioEvents,
} from '../../shared/api';
import type { Clip, ProjectInfo } from '../../shared/domain';
import { errorReply, okReply, type Reply } from '../../shared/transport';
import { padTable } from '../../shared/pad-tables';
import { DEFAULT_DEVICE } from '../engine/encoders/types';
import { TrainingJobs } from '../training/training-jobs';
import { checkThresholdRequest, previewThresholds } from '../pipeline/rethreshold-version';
import { batchAccept } from '../pipeline/batch-accept';
import { projectAgreement } from './agreement';
import { readAnnotatorName, writeAnnotatorName } from './annotator-name';
import { readEmbeddingDevice, writeEmbeddingDevice } from './embedding-device';
import { PeaksService } from './peaks';
import { SpectrogramService } from './spectrogram';
import { trainEncoderSpec } from './train-encoder';
import { ProjectsService } from './projects';
import type { TrainJobResult, TrainTask } from '../training/train-protocol';
import { epsilonRhoChoice, estimateLabelsRight, PipelineError, toClipPrediction, toModelDetails, toModelSummary } from '../pipeline';
import { discoverUnknownClusters } from '../pipeline/discover';
import { clipVotes } from '../store/adjudication';
import { answeringAnnotators } from '../store/answered-by';
import { deriveLabelState } from '../store/current-label';
import { StoreError } from '../store/errors';
import { refreshMissing } from '../store/import/relink';
import { ProjectStore } from '../store/project-store';

export interface StudioServiceOptions {
  transport: AppInfo['transport'];
  dataDir: string;
  version: string;
  /** Training worker entry (default: the bundled one, else the TypeScript source). */
  trainWorkerPath?: string;
}

const STORE_ERROR_CODES: Record<StoreError['code'], ApiErrorCode> = {
  'not-sqlite': 'bad-request',
  'not-a-project': 'bad-request',
  'newer-version': 'conflict',
  'needs-migration': 'conflict',
  'not-found': 'not-found',
  exists: 'conflict',
  invalid: 'bad-request',
  locked: 'conflict',
  'read-only': 'conflict',
  io: 'internal',
};

/** Job kinds a stopped studio (crash, kill) leaves unfinished: marked failed when the project is next opened. */
const INTERRUPTIBLE_JOB_KINDS = ['train', 'finetune', 'rethreshold', 'import'];

type Handlers = { [M in Method]: (args: ReturnType<typeof parseArgs<M>>) => Promise<MethodResult<M>> | MethodResult<M> };

export class StudioService {
  private store: ProjectStore | null = null;
  private readonly events = new EventEmitter();
  private readonly handlers: Handlers;
  private readonly training: TrainingJobs;
  /** Create / open / recent / import (src-main/api/projects.ts). */
  readonly projects: ProjectsService;
  private readonly peaksService: PeaksService;
  private readonly spectrogramService: SpectrogramService;

  constructor(private readonly options: StudioServiceOptions) {
    this.projects = new ProjectsService({
      dataDir: options.dataDir,
      open: (file) => this.openProject(file),
      create: (file, name) => ProjectStore.create(file, { name }).close(),
      store: () => this.requireStore(),
      progress: (event) => this.emit('job.progress', event),
      changed: () => {
        if (this.store) this.emit('project.changed', this.store.info());
      },
    });
    this.training = new TrainingJobs({
      current: () => this.store,
      emit: (event, payload) => this.emit(event, payload),
      workerPath: options.trainWorkerPath,
      // Read at each job's start: a device changed meanwhile applies to the next job.
      device: () => readEmbeddingDevice(options.dataDir),
    });
    this.peaksService = new PeaksService(options.dataDir);
    this.spectrogramService = new SpectrogramService(options.dataDir);
    this.handlers = {
      'app.info': () => ({
        name: 'E-ODN Studio',
        version: this.options.version,
        transport: this.options.transport,
        dataDir: this.options.dataDir,
        executionProvider: DEFAULT_DEVICE,
        device: readEmbeddingDevice(this.options.dataDir),
        lastProvider: this.training.lastProvider,
        annotator: readAnnotatorName(this.options.dataDir),
      }),
      'app.setAnnotator': ({ name }) => {
        writeAnnotatorName(this.options.dataDir, name);
        return { annotator: name };
      },
      'app.setDevice': ({ device }) => {
        writeEmbeddingDevice(this.options.dataDir, device);
        return { device };
      },
      'project.current': () => (this.store ? this.store.info() : null),
      'clips.list': (args) => this.requireStore().listClipRows(args),
      'clips.get': ({ id }) => this.requireStore().getClip(id),
      'classes.list': () => {
        const store = this.requireStore();
        const counts = store.countByCurrentLabel();
        // A name renamed or merged away stays in the table for history only (store/class-rename.ts).
        const former = store.formerClassNames();
        return { classes: store.listedClasses().map((c) => ({ ...c, clips: counts.get(c.name) ?? 0, ...(former.has(c.name) ? { formerNames: former.get(c.name)! } : {}) })) };
      },
      'classes.rename': ({ name, to, annotator }) => this.changeClass('rename', name, to, annotator),
      'classes.merge': ({ name, into, annotator }) => this.changeClass('merge', name, into, annotator),
      'classes.delete': ({ name }) => {
        this.requireStore().deleteClass(name);
        this.emit('project.changed', this.requireStore().info());
        return { deleted: name };
      },
      'annotations.add': ({ clipId, action, label, annotator, adjudicated }) => {
        const store = this.requireStore();
        const annotation = store.annotate(clipId, { action, label: label ?? null, annotator: annotator ?? 'annotator', modelVersionId: store.activeModelVersionId(), adjudicated });
        const s = deriveLabelState(store.getClip(clipId).importLabel, store.clipHistory(clipId));
        this.emit('labels.changed', { count: 1 });
        return { annotation, currentLabel: s.currentLabel, reviewed: s.reviewed };
      },
      'annotations.history': ({ clipId }) => ({ annotations: this.requireStore().clipHistory(clipId) }),
      'annotations.addMany': ({ clipIds, action, label, annotator }) => {
        const store = this.requireStore();
        const ids = [...new Set(clipIds)];
        const modelVersionId = store.activeModelVersionId();
        store.annotateMany(ids.map((clipId) => ({ clipId, action, label: label ?? null, annotator: annotator ?? 'annotator', modelVersionId })));
        const clips = ids.map((clipId) => {
          const s = deriveLabelState(store.getClip(clipId).importLabel, store.clipHistory(clipId));
          return { clipId, currentLabel: s.currentLabel, reviewed: s.reviewed };
        });
        this.emit('labels.changed', { count: ids.length });
        return { count: ids.length, clips };
      },
      'annotations.annotators': () => ({ annotators: answeringAnnotators(this.requireStore().db) }),
      'agreement.report': () => projectAgreement(this.requireStore()),
      'annotations.votes': ({ clipIds }) => ({ clips: clipVotes(this.requireStore().db, [...new Set(clipIds)]) }),
      'discover.clusters': (a) => discoverUnknownClusters(this.requireStore(), a),
      'models.list': () => {
        const store = this.requireStore();
        const activeId = store.activeModelVersionId();
        return { versions: store.listModelVersions().map((v) => toModelSummary(v, activeId)), activeId };
      },
      'models.get': ({ id }) => {
        const store = this.requireStore();
        return toModelDetails(store.getModelVersion(id), store.activeModelVersionId());
      },
      'models.train': async (a) => {
        this.requireStore();
        // A manifest encoder is loaded and checked first (train-encoder.ts): a bad one is refused before any job starts.
        const encoder = await trainEncoderSpec(a.encoder);
        return {
          jobId: this.startModelJob({
            kind: 'train',
            options: {
              known: a.known,
              encoder: encoder?.spec,
              epsilonRho: epsilonRhoChoice(a),
              name: a.name,
              ...(a.labels ? { labels: a.labels } : {}),
            },
          }).jobId,
        };
      },
      'models.finetune': (a) => {
        const store = this.requireStore();
        if (a.baseVersionId === undefined && store.activeModelVersionId() === null) throw new ApiError('conflict', 'there is no model to grow: train one first');
        for (const id of a.clipIds) store.getClip(id);
        const { jobId } = this.startModelJob({
          kind: 'finetune',
          options: { name: a.name, clipIds: a.clipIds, pad: a.pad, baseVersionId: a.baseVersionId, annotator: a.annotator },
        });
        return { jobId };
      },
      'models.previewThresholds': (a) => previewThresholds(this.requireStore(), a),
      'models.applyThresholds': async (a) => {
        const store = this.requireStore();
        // Bad requests are answered here at once; the re-decision itself (≈5 s at 50,000 clips) runs in the
        // training worker as a 'rethreshold' job, and the call resolves when the job has written the version.
        checkThresholdRequest(store, a);
        const result = await this.startModelJob({ kind: 'rethreshold', options: a }).result;
        if (result.status === 'cancelled') throw new ApiError('conflict', 'the threshold change was cancelled');
        if (result.status === 'failed') throw new ApiError('internal', `models.applyThresholds: ${result.error}`);
        const open = this.requireStore();
        if (open.file !== store.file) throw new ApiError('conflict', `version ${result.versionId} was written to ${store.file}, which is no longer open`);
        const { bundle: _weights, ...summary } = open.getModelVersion(result.versionId);
        return { version: toModelSummary(summary, open.activeModelVersionId()), preview: result.preview! };
      },
      'annotations.batchAccept': (a) => {
        // A bad combination of arguments, not a failure: say so before anything runs (even with no model yet).
        if (a.ambiguousMinConfidence !== undefined && a.decision === 'ambiguous-accepted') {
          throw new ApiError('bad-request', 'annotations.batchAccept: ambiguousMinConfidence goes with decision "accepted" (the default), which then also takes the ambiguous-accepted clips; leave it out with decision "ambiguous-accepted"');
        }
        const { clipIds: _ids, ...result } = batchAccept(this.requireStore(), a);
        if (!result.dryRun && result.count > 0) this.emit('labels.changed', { count: result.count });
        return result;
      },
      'labels.estimate': () => estimateLabelsRight(this.requireStore()),
      'models.activate': ({ id }) => {
        const store = this.requireStore();
        store.setActiveModelVersion(id);
        this.emit('model.changed', { activeId: id, versionId: id, reason: 'activated' });
        return { activeId: id };
      },
      'jobs.get': ({ jobId }) => {
        const { params: _p, updatedAt: _u, ...job } = this.requireStore().getJob(jobId);
        return job;
      },
      'jobs.cancel': ({ jobId }) => {
        if (this.projects.cancel(jobId) || this.training.cancel(jobId)) return { cancelled: true };
        this.requireStore().getJob(jobId); // not-found for an unknown id
        return { cancelled: false };
      },
      'predictions.forClip': ({ clipId, versionId }) => {
        const store = this.requireStore();
        store.getClip(clipId);
        const vid = versionId ?? store.activeModelVersionId();
        if (vid === null) return null;
        const version = store.getModelVersion(vid);
        const [p] = store.listPredictions(vid, [clipId]);
        if (!p) return null;
        if (store.classChanges().length === 0) return toClipPrediction(p, version);
        // A class renamed or merged since the version was trained is shown under its name now; the version's
        // own record (models.get) keeps the names it was trained with (store/class-rename.ts).
        // Two of its classes merged into one keep apart as "old → new" (the panel lists each class once).
        const now = version.classes.map((n) => store.currentClassName(n));
        const classes = version.classes.map((n, i) => (now.indexOf(now[i]) !== now.lastIndexOf(now[i]) && now[i] !== n ? `${n} → ${now[i]}` : now[i]));
        const cp = toClipPrediction(p, { ...version, classes });
        const label = cp.decision.label === null ? null : store.currentClassName(cp.decision.label);
        return { ...cp, decision: { ...cp.decision, label } };
      },
      'pad.table': ({ table }) => ({ terms: padTable(table ?? 'combined').map((t) => ({ ...t, pad: [...t.pad] as const })) }),
      'clips.peaks': ({ id, pixelsPerSecond }) => {
        const store = this.requireStore();
        const clip = store.getClip(id);
        this.requireAudioFile(store, clip);
        return this.peaksService.peaks({ file: clip.path, hash: clip.hash, pixelsPerSecond });
      },
      'clips.spectrogram': ({ id, startSec, endSec, columns }) => {
        const store = this.requireStore();
        const clip = store.getClip(id);
        this.requireAudioFile(store, clip);
        return this.spectrogramService.spectrogram({ file: clip.path, hash: clip.hash, startSec, endSec, columns });
      },
      'projects.recent': () => ({ projects: this.projects.recent() }),
      'projects.create': (a) => this.projects.create(a),
      'projects.open': (a) => this.projects.open(a),
      'projects.import': (a) => this.projects.startImport(a),
      'projects.merge': (a) => {
        const report = this.projects.merge(a);
        if (report.added > 0) this.emit('labels.changed', { count: report.clipsTouched });
        return report;
      },
    };
  }

  /** The single entry point of every transport. */
  async dispatch(method: unknown, rawArgs: unknown): Promise<unknown> {
    if (!isMethod(method)) throw new ApiError('bad-request', `unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
    const args = parseArgs(method, rawArgs ?? {});
    try {
      return await (this.handlers[method] as (a: unknown) => unknown)(args);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof StoreError) throw new ApiError(STORE_ERROR_CODES[e.code], e.message);
      if (e instanceof PipelineError) throw new ApiError('bad-request', e.message);
      // A write on a project opened read-only: say so instead of an internal error.
      if (String((e as { code?: unknown }).code).startsWith('SQLITE_READONLY')) {
        const why = this.store?.readOnlyReason ?? 'the project file cannot be written';
        throw new ApiError('conflict', `${method}: this project is open read-only (${why}); nothing was changed`);
      }
      throw new ApiError('internal', `${method}: ${(e as Error).message}`);
    }
  }

  /** `dispatch` as the reply envelope both transports send (shared/transport.ts): the result, or the typed error. */
  async reply(method: unknown, rawArgs: unknown): Promise<Reply> {
    try {
      return okReply((await this.dispatch(method, rawArgs)) ?? null);
    } catch (e) {
      return errorReply(e instanceof ApiError ? e : new ApiError('internal', (e as Error).message));
    }
  }

  /** Opens a project file and makes it the current one (closing the previous). */
  openProject(file: string): ProjectInfo {
    // The lock refuses a second studio on the same project (StoreError 'locked', naming the first one).
    // A project that cannot be written (read-only file, folder or medium) opens read-only, and says so.
    const store = ProjectStore.open(path.resolve(file), { lock: true, readonly: 'if-needed' });
    this.store?.close();
    this.store = store;
    if (!store.readOnlyReason) {
      this.failInterruptedJobs(store);
      // Files that vanished since the last session (a moved or unmounted folder) are flagged, never deleted.
      refreshMissing(store);
    }
    const info = store.info();
    this.projects.remember(info);
    this.emit('project.changed', info);
    return info;
  }

  get currentStore(): ProjectStore | null {
    return this.store;
  }

  /** Starts a training run on the open project (the same as `models.train`); returns its job id. */
  startTraining(options: Extract<TrainTask, { kind: 'train' }>['options'] = {}): { jobId: string } {
    return { jobId: this.startModelJob({ kind: 'train', options }).jobId };
  }

  /** Resolves when the job has finished and its outcome was announced (for tests and shutdown). */
  async waitForJob(jobId: string): Promise<void> {
    await this.training.wait(jobId);
  }

  /**
   * Absolute path of a clip's audio file, only for clips of the open project. A file that vanished while the
   * project was open flags the clip missing and is an ApiError('not-found') that says so (see requireAudioFile).
   */
  clipAudioPath(clipId: number): string {
    const store = this.requireStore();
    let clip: Clip;
    try {
      clip = store.getClip(clipId);
    } catch (e) {
      if (e instanceof StoreError && e.code === 'not-found') throw new ApiError('not-found', e.message);
      throw e;
    }
    this.requireAudioFile(store, clip);
    return clip.path;
  }

  on<E extends StudioEvent>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  /** Forwards every event to one sink (a transport). */
  onAny(sink: <E extends StudioEvent>(event: E, payload: StudioEvents[E]) => void): () => void {
    const offs = STUDIO_EVENTS.map((name) => this.on(name, (payload) => sink(name, payload)));
    return () => offs.forEach((off) => off());
  }

  emit<E extends StudioEvent>(event: E, payload: StudioEvents[E]): void {
    this.events.emit(event, payload);
  }

  /** Cancels running jobs, waits for them, and closes the project. */
  async shutdown(): Promise<void> {
    await this.projects.shutdown();
    await this.training.shutdown();
    this.close();
  }

  close(): void {
    this.store?.close();
    this.store = null;
  }

  /**
   * Keeps a clip's `missing` flag true to its file whenever its audio is asked for: a file gone since the project
   * was opened (moved, deleted, an unmounted drive) flags the clip — nothing is deleted, relinking finds it
   * again — and throws a not-found that names it; a file that came back clears the flag. Either change is
   * announced as project.changed, so the library re-reads its rows and shows the clip struck through.
   */
  private requireAudioFile(store: ProjectStore, clip: Clip): void {
    let present: boolean;
    try {
      present = fs.statSync(clip.path).isFile();
    } catch {
      present = false;
    }
    if (present === clip.missing) {
      store.setClipLocation(clip.id, clip.path, !present);
      this.emit('project.changed', store.info());
    }
    if (!present) {
      throw new ApiError(
        'not-found',
        `the audio file of clip ${clip.id} is missing: ${clip.path}. The clip is marked missing (nothing was deleted); relink its folder to find it again.`,
      );
    }
  }

  private requireStore(): ProjectStore {
    if (!this.store) throw new ApiError('no-project', 'no project is open');
    return this.store;
  }

  /** classes.rename / classes.merge: appended history (store/class-rename.ts); announces labels.changed. */
  private changeClass(kind: 'rename' | 'merge', from: string, to: string, annotator: string | undefined): MethodResults['classes.rename'] {
    const c = this.requireStore().changeClass(kind, from, to, annotator ?? DEFAULT_ANNOTATOR);
    if (c.clips > 0 || c.annotatedClipIds.length > 0) this.emit('labels.changed', { count: c.clips });
    this.emit('project.changed', this.requireStore().info());
    return { from: c.from, to: c.to, clips: c.clips, annotated: c.annotatedClipIds.length, keptOldClass: c.keptOldClass };
  }

  private startModelJob(task: TrainTask): { jobId: string; result: Promise<TrainJobResult> } {
    return this.training.start(this.requireStore(), task);
  }

  /** A training or import job left 'running' by a studio that stopped (crash, kill) did not finish: mark it failed. */
  private failInterruptedJobs(store: ProjectStore): void {
    for (const j of store.listUnfinishedJobs()) {
      if (!INTERRUPTIBLE_JOB_KINDS.includes(j.kind) || this.training.has(j.id) || this.projects.isImport(j.id)) continue;
      store.updateJob(j.id, { state: 'failed', message: 'interrupted', error: 'the studio stopped before the job finished' });
    }
  }
}
