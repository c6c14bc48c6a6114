// Paths that are not regular files (issue 11, "Hangs"): /dev/zero and /dev/urandom never end, opening a FIFO
// blocks until a writer comes. Each is one per-file error of an import; as a manifest or an import source it is
// refused before anything is written; and the studio's import job stops within 2 s of jobs.cancel.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobProgressEvent, Method, MethodResults } from '../../../../shared/api';
import { StudioService } from '../../../../src-main/api/studio-service';
import { detectSource, importDataset, ImportSourceError, resolveSource, walkAudio } from '../../../../src-main/store/import';
import { ProjectStore } from '../../../../src-main/store/project-store';
import { DEMO_CLIPS, demoClipNames, fifoMaker, tempDir } from '../helpers';

const dir = tempDir('eodn-import-hangs-');
const { mkfifo, release } = fifoMaker(dir);
const manifest = (name: string, paths: string[]) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, ['path,label,speaker', ...paths.map((p) => `${p},anger,s1`), ''].join('\n'));
  return file;
};
const clip = (i = 0) => path.join(DEMO_CLIPS, demoClipNames()[i]);

// Before the fix a reader could be left blocked in open(2) on a FIFO: a writer that comes and goes releases it.
afterAll(release);

describe('import of paths that are not regular files', () => {
  it('gives one clear error per device, FIFO and folder and imports the rest, at once', async () => {
    const fifo = mkfifo('pipe.wav');
    const folder = path.join(dir, 'folder.wav');
    fs.mkdirSync(folder);
    const store = ProjectStore.create(path.join(dir, 'special.eodn'), { name: 'special' });
    try {
      const t0 = Date.now();
      const r = await importDataset(store, { kind: 'manifest', file: manifest('special.csv', [fifo, '/dev/zero', '/dev/urandom', folder, clip()]) });
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(r).toMatchObject({ total: 5, added: 1, cancelled: false });
      const why = (k: string) => `not a regular file (${k}); only audio files can be imported`;
      expect(r.errors).toEqual([
        { file: fifo, reason: why('a FIFO') },
        { file: '/dev/zero', reason: why('a character device') },
        { file: '/dev/urandom', reason: why('a character device') },
        { file: folder, reason: why('a folder') },
      ]);
    } finally {
      store.close();
    }
  }, 5_000);

  it('refuses a FIFO or a device as the manifest or the source itself', () => {
    const fifo = mkfifo('manifest.csv');
    expect(() => resolveSource({ kind: 'manifest', file: fifo })).toThrow(ImportSourceError);
    expect(() => resolveSource({ kind: 'manifest', file: fifo })).toThrow(/manifest\.csv: not a regular file \(a FIFO\)/);
    expect(() => resolveSource({ kind: 'manifest', file: '/dev/zero' })).toThrow(/not a regular file \(a character device\)/);
    expect(() => detectSource(fifo)).toThrow(/manifest\.csv: a FIFO: import a folder/);
  }, 5_000);

  it('walks past FIFOs and links to devices named like audio files', () => {
    const root = path.join(dir, 'walk');
    fs.mkdirSync(root);
    mkfifo('walk/a.wav');
    fs.symlinkSync('/dev/zero', path.join(root, 'b.wav'));
    fs.copyFileSync(clip(), path.join(root, 'c.wav'));
    expect(walkAudio(root)).toEqual([path.join(root, 'c.wav')]);
  });
});

describe("the studio's import job", () => {
  it('stops within 2 s of jobs.cancel, even past a FIFO, and the project opens again', async () => {
    // A FIFO first (an import stuck on it never looks at the cancel flag again), then thousands of links to
    // one demo clip, so that the import is still running when the cancel comes.
    const fifo = mkfifo('job-pipe.wav');
    const links = path.join(dir, 'links');
    fs.mkdirSync(links);
    const paths = [fifo];
    for (let i = 0; i < 5_000; i++) {
      const p = path.join(links, `c${i}.wav`);
      fs.linkSync(clip(i % 5), p);
      paths.push(p);
    }
    const source = manifest('job.csv', paths);
    const service = new StudioService({ transport: 'browser', dataDir: path.join(dir, 'data'), version: 'test' });
    const call = <M extends Method>(m: M, args: unknown) => service.dispatch(m, args) as Promise<MethodResults[M]>;
    const events: JobProgressEvent[] = [];
    service.on('job.progress', (e) => events.push(e));
    try {
      const file = path.join(dir, 'job.eodn');
      await call('projects.create', { name: 'Job', file });
      const { jobId } = await call('projects.import', { source });
      // Wait until it is past the FIFO (at most a second: before the fix it never got there).
      for (let t = 0; t < 1_000 && !events.some((e) => e.jobId === jobId && e.done >= 2); t += 10) await new Promise((r) => setTimeout(r, 10));
      expect(await call('jobs.cancel', { jobId })).toEqual({ cancelled: true });
      const t0 = Date.now();
      const stopped = await Promise.race([service.projects.waitForImport(jobId).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2_000))]);
      expect(stopped, 'the import job was still running 2 s after jobs.cancel').toBe(true);
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(await call('jobs.get', { jobId })).toMatchObject({ state: 'cancelled' });
      const last = events.filter((e) => e.jobId === jobId).pop()!;
      expect(last.state).toBe('cancelled');
      expect(last.importReport?.errors).toEqual([{ file: fifo, reason: 'not a regular file (a FIFO); only audio files can be imported' }]);
      // Nothing is left running: the project can be reopened.
      expect((await call('projects.open', { file })).clipCount).toBeGreaterThan(0);
    } finally {
      await Promise.race([service.shutdown(), new Promise((r) => setTimeout(r, 2_000))]);
    }
  }, 20_000);
});
