// Projects API: paths from the renderer are checked (absolute, .eodn, present or absent as needed) with typed
// errors; create and open make a project current and remember it in the recent list (persisted in the data
// folder); import runs as a job with job.progress events and ends with the list of failed files and why.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgressEvent, Method, MethodResults } from '../../../shared/api';
import type { ProjectInfo } from '../../../shared/domain';
import { projectFileName } from '../../../src-main/api/projects';
import { StudioService } from '../../../src-main/api/studio-service';
import { DEMO_CLIPS, demoClipNames, tempDir } from '../store/helpers';

let dir: string;
let dataDir: string;
let service: StudioService;
const events: JobProgressEvent[] = [];
const changed: ProjectInfo[] = [];
const call = <M extends Method>(m: M, args: unknown) => service.dispatch(m, args) as Promise<MethodResults[M]>;

beforeAll(() => {
  dir = tempDir('eodn-projects-');
  dataDir = path.join(dir, 'data');
  service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
  service.on('job.progress', (e) => events.push(e));
  service.on('project.changed', (p) => changed.push(p));
});
afterAll(() => service.shutdown());

describe('path validation', () => {
  it('refuses relative paths, other extensions and missing files with bad-request', async () => {
    const cases: [Method, unknown, RegExp][] = [
      ['projects.open', { file: 'projects/demo.eodn' }, /absolute/],
      ['projects.open', { file: './demo.eodn' }, /absolute/],
      ['projects.open', { file: path.join(dir, 'demo.sqlite') }, /\.eodn/],
      ['projects.open', { file: path.join(dir, 'missing.eodn') }, /no project file/],
      ['projects.create', { name: 'x', file: 'x.eodn' }, /absolute/],
      ['projects.create', { name: 'x', file: path.join(dir, 'x.db') }, /\.eodn/],
      ['projects.create', { name: 'x', file: path.join(dir, 'no-such-folder', 'x.eodn') }, /does not exist/],
      ['projects.create', { name: '  ' }, /name/],
      ['projects.open', { file: '' }, /file/],
    ];
    for (const [method, args, message] of cases) {
      await expect(service.dispatch(method, args), `${method} ${JSON.stringify(args)}`).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(message) });
    }
  });

  it('refuses an import before a project is open, and bad sources once one is', async () => {
    await expect(call('projects.import', { source: DEMO_CLIPS })).rejects.toMatchObject({ code: 'no-project' });
    await call('projects.create', { name: 'Validation' });
    await expect(call('projects.import', { source: 'resources/demo' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/absolute/) });
    await expect(call('projects.import', { source: path.join(dir, 'nothing-here') })).rejects.toMatchObject({ code: 'bad-request' });
    const txt = path.join(dir, 'notes.txt');
    fs.writeFileSync(txt, 'hello');
    await expect(call('projects.import', { source: txt })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/\.csv/) });
  });
});

describe('create, open and the recent list', () => {
  it('names the file after the project and refuses to overwrite one', async () => {
    expect(projectFileName('Ärger & Freude: session 2')).toBe('arger-freude-session-2.eodn');
    expect(projectFileName('***')).toBe('project.eodn');
    const info = await call('projects.create', { name: 'Field recordings' });
    expect(info.path).toBe(path.join(dataDir, 'projects', 'field-recordings.eodn'));
    expect(info.name).toBe('Field recordings');
    expect(info.clipCount).toBe(0);
    expect((await call('project.current', {}))?.path).toBe(info.path);
    await expect(call('projects.create', { name: 'Field recordings' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('opens a project by absolute path and keeps the most recent first, persisted', async () => {
    const file = path.join(dir, 'elsewhere.eodn');
    await call('projects.create', { name: 'Elsewhere', file });
    const other = (await call('projects.recent', {})).projects.find((p) => p.name === 'Field recordings')!;
    const opened = await call('projects.open', { file: other.path });
    expect(opened.name).toBe('Field recordings');
    const recent = (await call('projects.recent', {})).projects;
    expect(recent.map((p) => p.name).slice(0, 3)).toEqual(['Field recordings', 'Elsewhere', 'Validation']);
    expect(recent.every((p) => p.exists)).toBe(true);

    // Another studio on the same data folder reads the same list; a deleted file is flagged, not dropped.
    await call('projects.open', { file });
    fs.copyFileSync(file, path.join(dir, 'copy.eodn'));
    const second = new StudioService({ transport: 'browser', dataDir, version: 'test' });
    try {
      const list = (await second.dispatch('projects.recent', {})) as MethodResults['projects.recent'];
      expect(list.projects[0]).toMatchObject({ name: 'Elsewhere', path: file, exists: true });
      fs.rmSync(path.join(dataDir, 'projects', 'validation.eodn'));
      const after = (await second.dispatch('projects.recent', {})) as MethodResults['projects.recent'];
      expect(after.projects.find((p) => p.name === 'Validation')?.exists).toBe(false);
    } finally {
      await second.shutdown();
    }
  });
});

describe('import as a job', () => {
  it('imports a folder, reports progress, and lists the corrupt and empty files with reasons', async () => {
    const src = path.join(dir, 'dataset');
    fs.mkdirSync(path.join(src, 'anger'), { recursive: true });
    fs.mkdirSync(path.join(src, 'neutral'), { recursive: true });
    const names = demoClipNames();
    for (const n of names.slice(0, 3)) fs.copyFileSync(path.join(DEMO_CLIPS, n), path.join(src, 'anger', n));
    for (const n of names.slice(3, 5)) fs.copyFileSync(path.join(DEMO_CLIPS, n), path.join(src, 'neutral', n));
    fs.writeFileSync(path.join(src, 'anger', 'broken.wav'), Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEjunkjunkjunk'));
    fs.writeFileSync(path.join(src, 'neutral', 'empty.flac'), Buffer.alloc(0));

    await call('projects.create', { name: 'Import target' });
    events.length = 0;
    const { jobId } = await call('projects.import', { source: src });
    await expect(call('projects.open', { file: path.join(dir, 'elsewhere.eodn') })).rejects.toMatchObject({ code: 'conflict' });
    await service.projects.waitForImport(jobId);

    const mine = events.filter((e) => e.jobId === jobId);
    expect(mine.every((e) => e.kind === 'import')).toBe(true);
    expect(mine.some((e) => e.state === 'running' && e.total === 7)).toBe(true);
    const last = mine[mine.length - 1];
    expect(last.state).toBe('done');
    expect(last.importReport).toMatchObject({ source: src, total: 7, added: 5, skippedDuplicates: 0, cancelled: false });
    const failed = last.importReport!.errors;
    expect(failed.map((e) => path.basename(e.file)).sort()).toEqual(['broken.wav', 'empty.flac']);
    for (const e of failed) expect(e.reason.length).toBeGreaterThan(3);

    const job = await call('jobs.get', { jobId });
    expect(job).toMatchObject({ kind: 'import', state: 'done', done: 7, total: 7 });
    const info = await call('project.current', {});
    expect(info?.clipCount).toBe(5);
    expect(info?.classes.map((c) => c.name).sort()).toEqual(['anger', 'neutral']);
    // The renderer hears of the new counts without asking.
    expect(changed[changed.length - 1]).toMatchObject({ name: 'Import target', clipCount: 5 });

    // Again: everything is a duplicate now.
    const again = await call('projects.import', { source: src });
    await service.projects.waitForImport(again.jobId);
    const report = events.filter((e) => e.jobId === again.jobId).pop()!.importReport!;
    expect(report).toMatchObject({ added: 0, skippedDuplicates: 5 });
  });

  it('names every .m4a file it left out in the report and the job message (issue 19)', async () => {
    const src = path.join(dir, 'phone-memos');
    fs.mkdirSync(src, { recursive: true });
    const names = Array.from({ length: 10 }, (_, i) => `memo${i}.m4a`);
    for (const n of names) fs.writeFileSync(path.join(src, n), 'x');
    events.length = 0;
    const { jobId } = await call('projects.import', { source: src });
    await service.projects.waitForImport(jobId);
    const last = events.filter((e) => e.jobId === jobId).pop()!;
    expect(last.state).toBe('done');
    expect(last.importReport).toMatchObject({ total: 0, added: 0, errors: [] });
    expect(last.importReport!.skipped!.map((s) => path.basename(s.file))).toEqual(names);
    for (const s of last.importReport!.skipped!) expect(s.reason).toMatch(/AAC audio \(\.m4a\) is not supported: convert it to WAV or FLAC/);
    expect(last.message).toMatch(/10 not imported \(10 × AAC audio \(\.m4a\) is not supported/);
  });

  it("carries the reading's warnings into the report: a file that follows no naming in an EmoDB folder (issue 19)", async () => {
    const src = path.join(dir, 'emodb-with-a-copy');
    fs.mkdirSync(src, { recursive: true });
    const names = demoClipNames();
    for (const n of names.slice(0, 4)) fs.copyFileSync(path.join(DEMO_CLIPS, n), path.join(src, n));
    fs.copyFileSync(path.join(DEMO_CLIPS, names[4]), path.join(src, 'x (copy).wav'));
    await call('projects.create', { name: 'Warnings' });
    events.length = 0;
    const { jobId } = await call('projects.import', { source: src });
    await service.projects.waitForImport(jobId);
    const last = events.filter((e) => e.jobId === jobId).pop()!;
    expect(last.state).toBe('done');
    expect(last.importReport).toMatchObject({ total: 5, added: 5, errors: [] });
    const warnings = last.importReport!.warnings!;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/1 file follows no EmoDB naming \(x \(copy\)\.wav\): imported without label or speaker/);
    // The EmoDB names still give labels and speakers; only the stray file has none.
    const info = await call('project.current', {});
    expect(info?.clipCount).toBe(5);
    // A folder read without a guess has nothing to warn about: no warnings key at all.
    const plain = path.join(dir, 'plain-folders');
    fs.mkdirSync(path.join(plain, 'anger'), { recursive: true });
    fs.copyFileSync(path.join(DEMO_CLIPS, names[5]), path.join(plain, 'anger', names[5]));
    const second = await call('projects.import', { source: plain });
    await service.projects.waitForImport(second.jobId);
    expect(events.filter((e) => e.jobId === second.jobId).pop()!.importReport!.warnings).toBeUndefined();
  });
});
