// Projects: create, open (with a persisted list of recent ones) and import a dataset into the open project as a
// job. Paths come from the renderer, so they are checked here before anything touches the disk: absolute
// only, `.eodn` for projects, and present (or absent) where they must be. Failures are typed ApiErrors.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type ImportJobReport, type JobProgressEvent, type MergeResult, type RecentProject } from '../../shared/api';
import type { ProjectInfo } from '../../shared/domain';
import { RunningJobs } from '../jobs/running-jobs';
import { describeAdded, importAndSplit } from '../pipeline/import-and-split';
import { ImportSourceError } from '../store/import';
import { mergeProjects } from '../store/merge';
import type { ProjectStore } from '../store/project-store';

export const PROJECT_EXTENSION = '.eodn';
const RECENT_FILE = 'recent-projects.json';
const MAX_RECENT = 20;

/** The files an import left out, by reason, for the job's one-line message: "10 × AAC audio (.m4a) is not
 * supported: convert it …; 2 × not an audio file …". Every file and its reason is in the report. */
function skippedSummary(skipped: { reason: string }[]): string {
  const byReason = new Map<string, number>();
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  return [...byReason].map(([reason, n]) => `${n} × ${reason}`).join('; ');
}

export interface ProjectsHost {
  dataDir: string;
  /** Opens a project file and makes it current (StudioService.openProject). */
  open(file: string): ProjectInfo;
  /** Creates a project file (not opened). */
  create(file: string, name: string): void;
  /** The open project; throws ApiError('no-project') when none. */
  store(): ProjectStore;
  progress(event: JobProgressEvent): void;
  /** Worker entry that cuts long recordings into utterances (default: the embedding worker). */
  workerPath?: string;
  /** Announces the open project's new counts, classes and speakers (project.changed). */
  changed(): void;
}

/** Requires an absolute path; `what` names it in the message. */
export function requireAbsolute(p: string, what: string): string {
  if (!path.isAbsolute(p)) throw new ApiError('bad-request', `${what} must be an absolute path (got ${JSON.stringify(p.slice(0, 200))})`);
  // A file dialog never gives `..`: a path with one was built by hand, so say so rather than guess what was meant.
  if (p.split(/[\\/]/).includes('..')) throw new ApiError('bad-request', `${what} must not contain '..' segments (got ${JSON.stringify(p.slice(0, 200))})`);
  return path.normalize(p);
}

/** Checks a project path: absolute, ending in .eodn, and existing or not as asked. */
export function checkProjectPath(p: string, mustExist: boolean): string {
  const abs = requireAbsolute(p, 'the project file');
  if (path.extname(abs).toLowerCase() !== PROJECT_EXTENSION) {
    throw new ApiError('bad-request', `a project file ends in ${PROJECT_EXTENSION} (got ${JSON.stringify(path.basename(abs))})`);
  }
  let st: fs.Stats | null = null;
  try {
    st = fs.statSync(abs);
  } catch {
    st = null;
  }
  if (mustExist) {
    if (!st) throw new ApiError('bad-request', `no project file at ${abs}`);
    if (!st.isFile()) throw new ApiError('bad-request', `${abs} is not a file`);
  } else {
    if (st) throw new ApiError('conflict', `${abs} already exists: open it, or choose another name`);
    const dir = path.dirname(abs);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ApiError('bad-request', `the folder ${dir} does not exist`);
  }
  return abs;
}

/** An import source: an absolute path to a folder or a .csv manifest that exists. */
export function checkImportSource(p: string): string {
  const abs = requireAbsolute(p, 'the import source');
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new ApiError('bad-request', `nothing to import at ${abs}: no such folder or file`);
  }
  // Only a folder or a regular .csv file: a device (/dev/zero), a FIFO or a socket would never end.
  if (!(st.isDirectory() || (st.isFile() && path.extname(abs).toLowerCase() === '.csv'))) {
    throw new ApiError('bad-request', `import a folder of audio files or a .csv manifest (got ${JSON.stringify(path.basename(abs))})`);
  }
  return abs;
}

/** A file name from a project name: what a person would type, safe on every file system. */
export function projectFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'project'}${PROJECT_EXTENSION}`;
}

export class ProjectsService {
  private readonly imports = new RunningJobs();

  constructor(private readonly host: ProjectsHost) {}

  private get recentFile(): string {
    return path.join(this.host.dataDir, RECENT_FILE);
  }

  /** Most recent first; `exists` tells the view which entries point at files that have gone. */
  recent(): RecentProject[] {
    let list: Omit<RecentProject, 'exists'>[] = [];
    try {
      const raw = JSON.parse(fs.readFileSync(this.recentFile, 'utf8')) as unknown;
      if (Array.isArray(raw)) {
        list = raw.filter(
          (r): r is Omit<RecentProject, 'exists'> => !!r && typeof r.path === 'string' && typeof r.name === 'string' && typeof r.openedAt === 'string',
        );
      }
    } catch {
      // No list yet, or an unreadable one: start a new one.
    }
    return list.slice(0, MAX_RECENT).map((r) => ({ path: r.path, name: r.name, openedAt: r.openedAt, exists: fs.existsSync(r.path) }));
  }

  /** Puts a project at the top of the recent list (called whenever one is opened). */
  remember(info: Pick<ProjectInfo, 'path' | 'name'>): void {
    const list = this.recent()
      .filter((r) => r.path !== info.path)
      .map(({ exists: _e, ...r }) => r);
    list.unshift({ path: info.path, name: info.name, openedAt: new Date().toISOString() });
    try {
      fs.mkdirSync(this.host.dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${this.recentFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(list.slice(0, MAX_RECENT), null, 2), { mode: 0o600 });
      fs.renameSync(tmp, this.recentFile);
    } catch {
      // The list is a convenience: a read-only data folder must not stop a project from opening.
    }
  }

  create(args: { name: string; file?: string }): ProjectInfo {
    this.refuseWhileImporting();
    let file: string;
    if (args.file !== undefined) file = checkProjectPath(args.file, false);
    else {
      const dir = path.join(this.host.dataDir, 'projects');
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      file = checkProjectPath(path.join(dir, projectFileName(args.name)), false);
    }
    this.host.create(file, args.name);
    return this.host.open(file);
  }

  open(args: { file: string }): ProjectInfo {
    this.refuseWhileImporting();
    return this.host.open(checkProjectPath(args.file, true));
  }

  /**
   * Merges the decisions of other copies of the open project (annotators' copies of the same audio, clips
   * matched by content hash) into it, in one transaction (store/merge.ts): re-merging a copy adds nothing.
   */
  merge(args: { files: string[] }): MergeResult {
    const files = [...new Set(args.files.map((f) => checkProjectPath(f.trim(), true)))];
    const store = this.host.store();
    if (this.imports.on(store.file).length) throw new ApiError('conflict', 'an import is running on this project: wait for it before merging');
    if (files.some((f) => path.resolve(f) === path.resolve(store.file))) throw new ApiError('bad-request', `${store.file} is the open project: name other copies to merge into it`);
    const report = mergeProjects(store, files);
    if (report.added > 0) this.host.changed();
    return report;
  }

  /** Starts importing `source` into the open project; progress and the final report come as job.progress. */
  startImport(args: { source: string }): { jobId: string } {
    const source = checkImportSource(args.source);
    const store = this.host.store();
    if (this.imports.on(store.file).length) throw new ApiError('conflict', 'an import is already running on this project');
    const jobId = store.createJob('import', { source }, 0).id;
    const controller = new AbortController();
    const emit = (p: Omit<JobProgressEvent, 'jobId' | 'kind'>) => this.host.progress({ jobId, kind: 'import', ...p });
    store.updateJob(jobId, { state: 'running', message: `reading ${source}` });
    emit({ state: 'running', done: 0, total: 0, message: `reading ${path.basename(source)}` });
    let lastEmit = 0;
    const run = async () => {
      try {
        const done = await importAndSplit(store, source, {
          signal: controller.signal,
          workerPath: this.host.workerPath,
          onImportProgress: (p) => {
            // At most ~20 events a second: a folder of 100,000 short files must not flood the renderer.
            const now = Date.now();
            if (p.done !== p.total && now - lastEmit < 50) return;
            lastEmit = now;
            emit({ state: 'running', done: p.done, total: p.total, message: `${p.added} added, ${p.errors} failed · ${path.basename(p.file)}` });
          },
          onSplitProgress: (p) => emit({ state: 'running', done: p.done, total: p.total, message: `cutting long recordings into utterances · ${path.basename(p.file)}` }),
        });
        const { imported: result, split, added } = done;
        const report: ImportJobReport = {
          source,
          total: result.total,
          added,
          skippedDuplicates: result.skippedDuplicates,
          errors: result.errors,
          ...(result.skipped.length ? { skipped: result.skipped } : {}),
          ...(result.warnings.length ? { warnings: result.warnings } : {}),
          cancelled: done.cancelled,
          ...(split.recordings || split.kept.length ? { recordings: { cut: split.recordings, utterances: split.segments, kept: split.kept } } : {}),
        };
        const state = report.cancelled ? 'cancelled' : 'done';
        const message = `${describeAdded(done)}, ${result.skippedDuplicates} duplicates skipped, ${result.errors.length} failed${result.skipped.length ? `, ${result.skipped.length} not imported (${skippedSummary(result.skipped)})` : ''}${report.cancelled ? ' (cancelled)' : ''}`;
        store.updateJob(jobId, { state, done: result.total, total: result.total, message });
        if (added > 0 || split.recordings > 0) this.host.changed();
        emit({ state, done: result.total, total: result.total, message, importReport: report });
      } catch (e) {
        const error = e instanceof ImportSourceError ? e.message : `import failed: ${(e as Error).message}`;
        try {
          store.updateJob(jobId, { state: 'failed', message: 'failed', error });
        } catch {
          // The project was closed under the import; the event still tells the renderer.
        }
        emit({ state: 'failed', done: 0, total: 0, message: `failed: ${error}`, error });
      }
    };
    const done = run().finally(() => this.imports.remove(jobId));
    this.imports.add(jobId, { done, projectFile: store.file, cancel: () => controller.abort() });
    return { jobId };
  }

  /** True when `jobId` is a running import (now asked to stop). */
  cancel(jobId: string): boolean {
    return this.imports.cancel(jobId);
  }

  isImport(jobId: string): boolean {
    return this.imports.has(jobId);
  }

  async waitForImport(jobId: string): Promise<void> {
    await this.imports.wait(jobId);
  }

  async shutdown(): Promise<void> {
    await this.imports.shutdown();
  }

  private refuseWhileImporting(): void {
    if (this.imports.size) throw new ApiError('conflict', 'an import is running: wait for it or cancel it before switching projects');
  }
}
