// One project = one SQLite file. ProjectStore is the one object the API layer, the CLI and the worker use;
// every write runs in a BEGIN IMMEDIATE transaction so that connections in other threads or processes
// queue for the write lock (busy_timeout) instead of failing halfway through.
import type Database from 'better-sqlite3';
import { resolve } from 'node:path';
import type { Annotation, Clip, ClipRow, EmotionClass, ProjectInfo } from '../../shared/domain';
import { AnnotationsTable, type AnnotationInput } from './annotations';
import { ClassesTable, type NewClass } from './classes';
import { changeClass, classChanges, currentClassName, renamedAwayClasses, type ClassChange, type ClassChangeKind } from './class-rename';
import { standingEvents } from './current-label';
import { ClipsTable, toClip, type ClipListQuery, type ClipRowRaw, type NewClip } from './clips';
import { createProjectFile, inspectProjectFile, openProjectDb, whyReadOnly } from './db';
import { EmbeddingsTable, type EmbeddingKey } from './embeddings';
import { StoreError } from './errors';
import { acquireProjectLock, type ProjectLock } from './lock';
import { JobsTable, type JobRecord, type JobUpdate } from './jobs';
import { ModelsTable, type ModelVersion, type ModelVersionSummary, type NewModelVersion, type NewPrediction, type Prediction } from './models';

export interface OpenOptions {
  /** true: read-only; 'if-needed': read-only only when the file or its folder cannot be written. */
  readonly?: boolean | 'if-needed';
  /**
   * Take the project's lock (lock.ts): a studio does, so that a second studio is refused with StoreError('locked').
   * Worker threads, CLI batch commands and read-only openers do not (SQLite's WAL keeps their writes safe).
   */
  lock?: boolean;
}

export class ProjectStore {
  private readonly clipsT: ClipsTable;
  private readonly classesT: ClassesTable;
  private readonly annotationsT: AnnotationsTable;
  private readonly modelsT: ModelsTable;
  private readonly embeddingsT: EmbeddingsTable;
  private readonly jobsT: JobsTable;
  private lock: ProjectLock | null = null;
  /** Why this store is read-only, or null when it can write. */
  readOnlyReason: string | null = null;

  private constructor(
    /** The underlying connection, for the store's own modules (import, export, check) and tests. */
    readonly db: Database.Database,
    readonly file: string,
  ) {
    this.clipsT = new ClipsTable(db);
    this.classesT = new ClassesTable(db);
    this.annotationsT = new AnnotationsTable(db, this.classesT);
    this.modelsT = new ModelsTable(db);
    this.embeddingsT = new EmbeddingsTable(db);
    this.jobsT = new JobsTable(db);
  }

  /** Creates the project file all or nothing (db.ts `createProjectFile`), then opens it. */
  static create(file: string, opts: { name: string; lock?: boolean }): ProjectStore {
    const name = opts.name?.trim();
    if (!name) throw new StoreError('invalid', 'a project needs a name');
    const abs = resolve(file);
    // With `lock`, the path's lock comes first: a second studio is refused before a file appears.
    const pathLock = opts.lock ? acquireProjectLock(abs) : null;
    try {
      createProjectFile(abs, { name });
      return ProjectStore.open(abs, { lock: opts.lock });
    } finally {
      pathLock?.release();
    }
  }

  /**
   * Opens a project. `readonly: 'if-needed'` opens it read-write when the file and its folder can be
   * written, else read-only with the reason kept (`readOnlyReason`, shown to the user) and no lock.
   */
  static open(file: string, opts: OpenOptions = {}): ProjectStore {
    const abs = resolve(file);
    // Check the file before locking, so that a wrong path is reported as such and leaves no lock file.
    inspectProjectFile(abs);
    const readOnlyReason = opts.readonly === 'if-needed' ? whyReadOnly(abs) : opts.readonly ? 'opened read-only' : null;
    const readonly = readOnlyReason !== null;
    const lock = opts.lock && !readonly ? acquireProjectLock(abs) : null;
    let db: Database.Database | null = null;
    try {
      db = openProjectDb(abs, { readonly });
      const store = new ProjectStore(db, abs);
      // A stepwise activation cut short by a crash: finish copying the decisions onto the clips. Only the
      // studio (the lock holder) does it: a worker opening mid-activation must not redo it in one long write.
      if (lock && store.modelsT.hasPendingMirror()) store.write(() => store.modelsT.repairPendingMirror());
      store.lock = lock;
      store.readOnlyReason = readOnlyReason;
      return store;
    } catch (e) {
      if (db?.open) db.close();
      lock?.release();
      throw e;
    }
  }

  /** Whether this store holds the project's lock (opened with `lock: true`). */
  get locked(): boolean {
    return this.lock !== null;
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.lock?.release();
    this.lock = null;
  }

  /** Runs `fn` in one BEGIN IMMEDIATE transaction (nested calls join the outer one). */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private meta(key: string): string {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? '';
  }

  info(): ProjectInfo {
    return {
      path: this.file,
      name: this.meta('name'),
      createdAt: this.meta('created_at'),
      clipCount: (this.db.prepare('SELECT COUNT(*) AS n FROM clips').get() as { n: number }).n,
      classes: this.listedClasses(),
      speakers: (this.db.prepare('SELECT DISTINCT speaker FROM clips WHERE speaker IS NOT NULL ORDER BY speaker').pluck().all() as string[]),
      readOnly: this.readOnlyReason,
    };
  }

  // ── clips ────────────────────────────────────────────────────────────────
  /** Inserts clips in one transaction; returns each new id, or null where (hash, segment) already exists. */
  insertClips(clips: readonly NewClip[]): (number | null)[] {
    return this.write(() => this.clipsT.insert(clips));
  }

  /**
   * Replaces a whole-file clip by clips of its utterances (a long recording cut by the VAD), in one
   * transaction. Only a clip nobody has answered and no model has scored is replaced (annotations are
   * history; predictions belong to versions): the import does this right after adding the recording.
   * Returns the new clips' ids (utterances already in the project are not added twice).
   */
  replaceWithSegments(clipId: number, segments: readonly { startSec: number; endSec: number }[]): number[] {
    return this.write(() => {
      const c = this.db.prepare('SELECT * FROM clips WHERE id = ?').get(clipId) as ClipRowRaw | undefined;
      if (!c) throw new StoreError('not-found', `clip ${clipId} does not exist`);
      if (c.segment_start !== null) throw new StoreError('invalid', `clip ${clipId} is already a segment`);
      const used = this.db.prepare('SELECT (SELECT COUNT(*) FROM annotations WHERE clip_id = ?) + (SELECT COUNT(*) FROM predictions WHERE clip_id = ?) AS n').get(clipId, clipId) as { n: number };
      if (used.n > 0) throw new StoreError('invalid', `clip ${clipId} has answers or predictions: it is kept whole`);
      const { importPad } = toClip(c);
      const ids = this.clipsT.insert(
        segments.map((s) => ({
          path: c.path, hash: c.hash, sizeBytes: c.size_bytes, durationSec: Math.round((s.endSec - s.startSec) * 1e9) / 1e9, fileDurationSec: c.file_duration_sec ?? c.duration_sec,
          sampleRate: c.sample_rate, channels: c.channels, segmentStartSec: s.startSec, segmentEndSec: s.endSec,
          speaker: c.speaker, importLabel: c.import_label, importPad,
        })),
      );
      this.db.prepare('DELETE FROM clips WHERE id = ?').run(clipId);
      return ids.filter((id): id is number => id !== null);
    });
  }

  getClip(id: number): Clip {
    return this.clipsT.get(id);
  }

  findClipsByHash(hash: string): Clip[] {
    return this.clipsT.findByHash(hash);
  }

  countByCurrentLabel(): Map<string, number> {
    return this.clipsT.countByCurrentLabel();
  }

  /** A page of the Library, each row with the active model's predicted class (under its name now, class-rename.ts). */
  listClipRows(q: ClipListQuery): { rows: ClipRow[]; total: number } {
    const page = this.clipsT.list(q);
    if (!page.rows.length) return page;
    const predicted = new Map(
      (
        this.db
          .prepare(
            `SELECT p.clip_id, json_extract(v.classes, '$[' || json_extract(p.decision, '$.top1') || ']') AS label
             FROM predictions p JOIN model_versions v ON v.id = p.model_version_id
             WHERE p.model_version_id = (SELECT model_version_id FROM active_model WHERE id = 1) AND p.clip_id IN (SELECT value FROM json_each(?))`,
          )
          .all(JSON.stringify(page.rows.map((r) => r.id))) as { clip_id: number; label: string | null }[]
      ).map((r) => [r.clip_id, r.label]),
    );
    const nameNow = this.classNamer();
    const named = (l: string | null | undefined) => (l == null ? null : nameNow(l));
    return { ...page, rows: page.rows.map((r) => ({ ...r, predicted: named(predicted.get(r.id)) })) };
  }

  /** Whole-file clips longer than `sec` (recordings to cut into utterances), by the duration index. */
  wholeClipIdsLongerThan(sec: number): number[] {
    return this.db.prepare('SELECT id FROM clips WHERE duration_sec > ? AND segment_start IS NULL ORDER BY id').pluck().all(sec) as number[];
  }

  /** Every clip id, in order. */
  clipIds(): number[] {
    return this.db.prepare('SELECT id FROM clips ORDER BY id').pluck().all() as number[];
  }

  /** Every clip id, path and hash (for relink and checks). */
  clipPaths(): { id: number; path: string; hash: string; missing: boolean }[] {
    return (this.db.prepare('SELECT id, path, hash, missing FROM clips ORDER BY id').all() as { id: number; path: string; hash: string; missing: number }[]).map(
      (r) => ({ ...r, missing: r.missing === 1 }),
    );
  }

  setClipLocation(id: number, path: string, missing: boolean): void {
    this.write(() => this.db.prepare('UPDATE clips SET path = ?, missing = ? WHERE id = ?').run(path, missing ? 1 : 0, id));
  }

  // ── annotations ──────────────────────────────────────────────────────────
  clipHistory(id: number): Annotation[] {
    this.clipsT.getRaw(id);
    return this.annotationsT.history(id);
  }

  /** A label given under a class's old name (a model version's suggestion) is stored under its name now (class-rename.ts). */
  annotate(clipId: number, input: AnnotationInput): Annotation {
    return this.write(() => this.annotationsT.append(clipId, this.withCurrentName(input, classChanges(this.db))));
  }

  /** All or nothing: one invalid entry rolls back the whole batch. */
  annotateMany(items: readonly ({ clipId: number } & AnnotationInput)[]): Annotation[] {
    return this.write(() => {
      const changes = classChanges(this.db);
      return items.map(({ clipId, ...input }) => this.annotationsT.append(clipId, this.withCurrentName(input, changes)));
    });
  }

  private withCurrentName(input: AnnotationInput, changes: readonly ClassChange[]): AnnotationInput {
    if (!changes.length || input.label == null) return input;
    const label = currentClassName(changes, this.classesT, input.label);
    return label === input.label ? input : { ...input, label };
  }

  // ── classes ──────────────────────────────────────────────────────────────
  classes(): EmotionClass[] {
    return this.classesT.list();
  }

  addClass(c: NewClass): EmotionClass {
    return this.write(() => this.classesT.add(c));
  }

  /**
   * Deletes a class nothing uses: no clip carries it (now, by import, or by an answer still standing — one an
   * undo could bring back) and no model version knows it. Annotations are append-only, so a class that any
   * standing answer gives cannot go; answers that were undone keep their label in the history.
   */
  deleteClass(name: string): void {
    this.write(() => {
      if (!this.classesT.get(name)) throw new StoreError('not-found', `there is no class "${name}"`);
      const clips = this.db.prepare('SELECT COUNT(*) FROM clips WHERE current_label = ? OR import_label = ?').pluck().get(name, name) as number;
      if (clips > 0) throw new StoreError('invalid', `the class "${name}" has ${clips} ${clips === 1 ? 'clip' : 'clips'}: relabel ${clips === 1 ? 'it' : 'them'} first`);
      const models = this.listModelVersions().filter((v) => v.classes.includes(name)).map((v) => `#${v.id}`);
      if (models.length) throw new StoreError('invalid', `the class "${name}" is used by model ${models.length === 1 ? 'version' : 'versions'} ${models.join(', ')}`);
      const answered = this.db.prepare('SELECT DISTINCT clip_id FROM annotations WHERE label = ?').pluck().all(name) as number[];
      if (answered.some((id) => standingEvents(this.annotationsT.history(id)).some((e) => e.label === name))) {
        throw new StoreError('invalid', `the class "${name}" is in a standing answer: undoing a later answer would bring it back`);
      }
      this.classesT.remove(name);
    });
  }

  /**
   * Renames a class (`to` is new) or merges it into an existing one, as appended history: see class-rename.ts.
   * Returns what changed; the record is kept in meta (`classChanges`).
   */
  changeClass(kind: ClassChangeKind, from: string, to: string, annotator: string): ClassChange {
    return this.write(() =>
      changeClass(
        {
          db: this.db,
          classes: this.classesT,
          annotations: this.annotationsT,
          modelKnows: (name) => this.listModelVersions().some((v) => v.classes.includes(name)),
          standingAnswerNames: (name) =>
            (this.db.prepare('SELECT DISTINCT clip_id FROM annotations WHERE label = ?').pluck().all(name) as number[]).some((id) =>
              standingEvents(this.annotationsT.history(id)).some((e) => e.label === name),
            ),
        },
        kind,
        from,
        to,
        annotator,
      ),
    );
  }

  /** Every rename and merge, oldest first. */
  classChanges(): ClassChange[] {
    return classChanges(this.db);
  }

  /** The name a class is known by now (a model version's old name followed through renames and merges). */
  currentClassName(name: string): string {
    return this.classNamer()(name);
  }

  /** `currentClassName` for many names: the recorded renames and merges are read once. */
  classNamer(): (name: string) => string {
    const changes = classChanges(this.db);
    return changes.length ? (name) => currentClassName(changes, this.classesT, name) : (name) => name;
  }

  /** Each class's former names (renamed or merged into it), oldest first. */
  formerClassNames(): Map<string, string[]> {
    const changes = classChanges(this.db);
    const out = new Map<string, string[]>();
    for (const c of changes) {
      const now = currentClassName(changes, this.classesT, c.from);
      if (now === c.from) continue;
      const list = out.get(now) ?? [];
      if (!list.includes(c.from)) list.push(c.from);
      out.set(now, list);
    }
    return out;
  }

  /** The classes one chooses from: all but the old names renamed or merged away (kept only for history). */
  listedClasses(): EmotionClass[] {
    const away = this.renamedAwayClasses();
    return this.classesT.list().filter((c) => !away.has(c.name));
  }

  /** Old names renamed or merged away that no clip carries: kept only for history, chosen nowhere. */
  renamedAwayClasses(): Set<string> {
    return renamedAwayClasses(this.db, classChanges(this.db), this.classesT);
  }

  /** Creates the classes that do not exist yet; returns how many were added. */
  ensureClasses(names: Iterable<string>, origin: EmotionClass['origin']): number {
    return this.write(() => this.classesT.ensure(names, origin));
  }

  // ── model versions and predictions ───────────────────────────────────────
  /** `incomplete`: hidden and not activatable until completeModelVersion (for saves in several transactions). */
  insertModelVersion(v: NewModelVersion, opts: { incomplete?: boolean } = {}): ModelVersion {
    return this.write(() => this.modelsT.insertVersion(v, opts));
  }

  completeModelVersion(id: number): void {
    this.write(() => this.modelsT.markComplete(id));
  }

  /** Versions whose stepwise save has not finished: still running elsewhere, or cut short by a crash. */
  incompleteModelVersionIds(): number[] {
    return [...this.modelsT.incompleteVersionIds()].sort((a, b) => a - b);
  }

  listModelVersions(): ModelVersionSummary[] {
    return this.modelsT.listVersions();
  }

  getModelVersion(id: number): ModelVersion {
    return this.modelsT.getVersion(id);
  }

  activeModelVersionId(): number | null {
    return this.modelsT.activeVersionId();
  }

  setActiveModelVersion(id: number | null): void {
    this.write(() => this.modelsT.setActive(id));
  }

  /**
   * Activates `id` in short transactions, so that other connections never wait long for the write lock:
   * one flips the pointer, then each copies the decisions onto `chunkRows` clips. `between` runs after each
   * transaction (e.g. a short pause that lets a waiting writer in).
   */
  activateModelVersionInSteps(id: number, opts: { chunkRows?: number; between?: () => void } = {}): void {
    const limit = Math.max(1, opts.chunkRows ?? 2000);
    this.write(() => this.modelsT.beginActivate(id));
    let after: number | null = 0;
    while (after !== null) {
      opts.between?.();
      const from: number = after;
      after = this.write(() => this.modelsT.mirrorStep(id, from, limit));
    }
  }

  upsertPredictions(versionId: number, preds: readonly NewPrediction[]): number {
    return this.write(() => this.modelsT.upsertPredictions(versionId, preds));
  }

  listPredictions(versionId: number, clipIds?: readonly number[]): Prediction[] {
    return this.modelsT.listPredictions(versionId, clipIds);
  }

  // ── embeddings cache ─────────────────────────────────────────────────────
  getEmbedding(key: EmbeddingKey): Float32Array | null {
    return this.embeddingsT.get(key);
  }

  putEmbeddings(items: readonly { key: EmbeddingKey; vector: Float32Array }[]): void {
    this.write(() => items.forEach((i) => this.embeddingsT.put(i.key, i.vector)));
  }

  // ── jobs ─────────────────────────────────────────────────────────────────
  createJob(kind: string, params?: unknown, total?: number): JobRecord {
    return this.write(() => this.jobsT.create(kind, params, total));
  }

  updateJob(id: string, u: JobUpdate): JobRecord {
    return this.write(() => this.jobsT.update(id, u));
  }

  getJob(id: string): JobRecord {
    return this.jobsT.get(id);
  }

  listUnfinishedJobs(): JobRecord[] {
    return this.jobsT.listUnfinished();
  }
}
