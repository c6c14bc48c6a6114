// Hardening of the studio service: the demo project takes its lock before touching its file; a clip whose
// audio vanished while the project is open is flagged missing (nothing deleted) with a clear 404; an import
// left running by a crashed studio is failed on the next open; and new thresholds are applied by a job in
// the training worker, with the same API result as before.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type JobProgressEvent, type Method, type ModelChangedEvent } from '../../../shared/api';
import type { ClipRow, ProjectInfo } from '../../../shared/domain';
import { openDemoProject } from '../../../src-main/api/demo-project';
import { StudioService } from '../../../src-main/api/studio-service';
import { startBrowserServer } from '../../../src-main/browser-mode/server';
import { importDataset } from '../../../src-main/store/import';
import { lockPathFor } from '../../../src-main/store/lock';
import { ProjectStore } from '../../../src-main/store/project-store';
import { addSyntheticVersion } from '../pipeline/synthetic-version';
import { DEMO_CLIPS, DEMO_MANIFEST, tempDir } from '../store/helpers';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

/** A lock file as another live studio on this machine would leave it (its pid: a sleeping child process). */
function lockByAnotherProcess(projectFile: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  writeFileSync(lockPathFor(projectFile), JSON.stringify({ pid: child.pid, hostname: hostname(), since: new Date().toISOString() }) + '\n');
  return child;
}

describe('the demo project takes its lock first', () => {
  it('refuses a second studio before creating the demo file', async () => {
    const dataDir = tempDir('eodn-demo-lock-');
    const file = join(dataDir, 'projects', 'emodb-demo.eodn');
    mkdirSync(join(dataDir, 'projects'));
    lockByAnotherProcess(file);
    const service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
    await expect(openDemoProject(service, dataDir, { autoTrain: false })).rejects.toMatchObject({ code: 'locked' });
    expect(existsSync(file)).toBe(false);
    expect(service.currentStore).toBeNull();
  });

  it('refuses a second studio before re-importing into an existing demo, which stays byte for byte the same', async () => {
    const dataDir = tempDir('eodn-demo-lock-');
    const file = join(dataDir, 'projects', 'emodb-demo.eodn');
    mkdirSync(join(dataDir, 'projects'));
    ProjectStore.create(file, { name: 'demo, first start killed before its import' }).close();
    const before = sha(file);
    const other = lockByAnotherProcess(file);
    const service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
    const err = await openDemoProject(service, dataDir, { autoTrain: false }).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'locked' });
    expect((err as Error).message).toContain(`process ${other.pid}`);
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0).toBe(0);

    // Once that studio is gone, its lock is stale: the demo heals (the import completes) and is opened, locked.
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    await openDemoProject(service, dataDir, { autoTrain: false });
    expect(service.currentStore?.info().clipCount).toBe(80);
    expect(service.currentStore?.locked).toBe(true);
    expect(JSON.parse(readFileSync(lockPathFor(file), 'utf8')).pid).toBe(process.pid);
    service.close();
    expect(existsSync(lockPathFor(file))).toBe(false);
  });
});

describe('an import left running by a crashed studio', () => {
  it('is marked failed when the project is next opened, like interrupted training', () => {
    const dir = tempDir('eodn-sweep-');
    const file = join(dir, 'p.eodn');
    const store = ProjectStore.create(file, { name: 'p' });
    const ids = ['import', 'train', 'rethreshold'].map((kind) => {
      const id = store.createJob(kind, {}, 10).id;
      store.updateJob(id, { state: 'running', message: 'working' });
      return id;
    });
    const finished = store.createJob('import', {}, 10).id;
    store.updateJob(finished, { state: 'done', message: 'ok' });
    store.close();

    const service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
    service.openProject(file);
    for (const id of ids) {
      expect(service.currentStore!.getJob(id)).toMatchObject({ state: 'failed', message: 'interrupted', error: 'the studio stopped before the job finished' });
    }
    expect(service.currentStore!.getJob(finished).state).toBe('done');
    service.close();
  });
});

describe('audio that vanished while the project is open', () => {
  let dir: string;
  let service: StudioService;
  let rows: ClipRow[];
  const changed: ProjectInfo[] = [];
  const call = <T>(m: Method, a: unknown) => service.dispatch(m, a) as Promise<T>;

  beforeAll(async () => {
    dir = tempDir('eodn-missing-');
    const audio = join(dir, 'audio');
    mkdirSync(audio);
    for (const f of readdirSync(DEMO_CLIPS).filter((x) => x.endsWith('.wav')).slice(0, 3)) copyFileSync(join(DEMO_CLIPS, f), join(audio, f));
    const file = join(dir, 'p.eodn');
    const store = ProjectStore.create(file, { name: 'p' });
    await importDataset(store, audio);
    store.close();
    service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
    service.openProject(file);
    service.on('project.changed', (p) => changed.push(p));
    rows = (await call<{ rows: ClipRow[] }>('clips.list', { offset: 0, limit: 10 })).rows;
    expect(rows.length).toBe(3);
  });
  afterAll(() => service.shutdown());

  it('flags the clip missing, keeps it, and answers a clear not-found (audio, peaks, browser mode)', async () => {
    const [gone, kept] = rows;
    const path = service.clipAudioPath(gone.id);
    renameSync(path, `${path}.moved`);

    let err: unknown;
    try {
      service.clipAudioPath(gone.id);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('not-found');
    expect((err as ApiError).message).toContain(`the audio file of clip ${gone.id} is missing: ${path}`);
    expect((err as ApiError).message).toMatch(/nothing was deleted.*relink/);
    expect(changed.length).toBe(1);

    const list = (await call<{ rows: ClipRow[]; total: number }>('clips.list', { offset: 0, limit: 10 })).rows;
    expect(list.map((r) => [r.id, r.missing])).toEqual(rows.map((r) => [r.id, r.id === gone.id]));
    expect(service.currentStore!.getClip(gone.id)).toMatchObject({ path, missing: true });
    expect(service.clipAudioPath(kept.id)).toBe(service.currentStore!.getClip(kept.id).path);

    await expect(call('clips.peaks', { id: gone.id })).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('is missing') });
    await expect(call('clips.peaks', { id: kept.id })).resolves.toMatchObject({ sampleRate: 22050 });

    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    const server = await startBrowserServer({ service, staticDir });
    try {
      const headers = { 'x-eodn-token': server.token };
      const res = await fetch(`${server.origin}/audio/${gone.id}`, { headers });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain(`the audio file of clip ${gone.id} is missing`);
      expect((await fetch(`${server.origin}/audio/${kept.id}`, { headers })).status).toBe(200);
    } finally {
      await server.close();
    }
    // Flagged once: asking again changes nothing more.
    expect(changed.length).toBe(1);

    // The file comes back: the flag is cleared the next time its audio is asked for.
    renameSync(`${path}.moved`, path);
    expect(service.clipAudioPath(gone.id)).toBe(path);
    expect(service.currentStore!.getClip(gone.id).missing).toBe(false);
    expect(changed.length).toBe(2);
  });
});

describe('applying thresholds', () => {
  let service: StudioService;
  const progress: JobProgressEvent[] = [];
  const models: ModelChangedEvent[] = [];

  beforeAll(async () => {
    const dir = tempDir('eodn-rethreshold-');
    const file = join(dir, 'demo.eodn');
    const store = ProjectStore.create(file, { name: 'demo' });
    await importDataset(store, DEMO_MANIFEST);
    addSyntheticVersion(store);
    store.close();
    service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
    service.openProject(file);
    service.on('job.progress', (p) => progress.push(p));
    service.on('model.changed', (m) => models.push(m));
  });
  afterAll(() => service.shutdown());

  it('runs as a rethreshold job in the training worker and answers with the new version and its preview', async () => {
    const preview = await service.dispatch('models.previewThresholds', { epsilon: 0.4, rho: 1.5 });
    // Two at once: the second is refused while the first job runs.
    const first = service.dispatch('models.applyThresholds', { epsilon: 0.4, rho: 1.5 });
    await expect(service.dispatch('models.applyThresholds', { epsilon: 0.5, rho: 1.5 })).rejects.toMatchObject({ code: 'conflict' });
    const res = (await first) as { version: { id: number; parentId: number; active: boolean }; preview: unknown };
    expect(res.version).toMatchObject({ id: 2, parentId: 1, active: true });
    expect(res.preview).toEqual(preview);

    const jobs = progress.filter((p) => p.kind === 'rethreshold');
    expect(jobs.at(-1)).toMatchObject({ state: 'done', versionId: 2 });
    const job = service.currentStore!.getJob(jobs[0].jobId);
    expect(job).toMatchObject({ kind: 'rethreshold', state: 'done' });
    expect(job.message).toContain('model version 2');
    expect(models).toEqual([{ activeId: 2, versionId: 2, reason: 'rethresholded' }]);

    // Requests that cannot work are answered at once, without a job.
    const before = service.currentStore!.listUnfinishedJobs().length + progress.length;
    await expect(service.dispatch('models.applyThresholds', { epsilon: 0.4, rho: 1.5 })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('already uses') });
    await expect(service.dispatch('models.applyThresholds', { versionId: 99, epsilon: 0.4, rho: 1 })).rejects.toMatchObject({ code: 'not-found' });
    expect(service.currentStore!.listUnfinishedJobs().length + progress.length).toBe(before);
  });
});
