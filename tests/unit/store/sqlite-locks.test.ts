// Nothing acknowledged is lost: SQLite's POSIX locks survive everything the studio does while a project is
// open (a training job opens the file again in the host and in its worker), so another SQLite build that
// opens and closes the file can never take it for unused, delete the WAL and drop acknowledged answers.
// The outside reader is Debian's `sqlite3` command, as in the bug report.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/api/studio-service';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from './helpers';

/** The system sqlite3 command: another process, another SQLite build. */
const sqlite3 = (file: string, sql: string, ...flags: string[]) => execFileSync('sqlite3', [...flags, file, sql], { encoding: 'utf8' }).trim();
const annotationCount = (file: string) => Number(sqlite3(file, 'SELECT COUNT(*) FROM annotations', '-readonly'));

let dir: string;
let template: string;

beforeAll(async () => {
  dir = tempDir('eodn-sqlite-locks-');
  template = join(dir, 'template.eodn');
  const store = ProjectStore.create(template, { name: 'locks' });
  await importDataset(store, DEMO_MANIFEST);
  store.close();
});

/** A fresh copy of the imported project (SQLite's own backup: no fs call on an open file). */
async function freshProject(name: string): Promise<string> {
  const file = join(dir, name);
  const src = ProjectStore.open(template, { readonly: true });
  await src.db.backup(file);
  src.close();
  return file;
}

/** Three answers through the API, then the outside reader's count and, after the process "dies", the file's. */
async function answerAfterOutsideReader(service: StudioService, file: string): Promise<number> {
  // Another SQLite opens and closes the file. If our locks were gone it would checkpoint and delete the WAL.
  expect(sqlite3(file, 'SELECT COUNT(*) FROM clips')).toBe('80');
  expect(existsSync(`${file}-wal`)).toBe(true);
  for (const clipId of [1, 2, 3]) {
    const a = (await service.dispatch('annotations.add', { clipId, action: 'relabel', label: 'fear' })) as { annotation: { id: number } };
    expect(a.annotation.id).toBeGreaterThan(0);
  }
  return annotationCount(file);
}

describe('SQLite keeps its locks while the studio has a project open', () => {
  it('after a training job (host and worker open the file too), acknowledged answers are seen by another SQLite', async () => {
    const file = await freshProject('trained.eodn');
    const service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
    service.openProject(file);
    const { jobId } = (await service.dispatch('models.train', { known: ['anger', 'boredom', 'happiness', 'neutral', 'sadness'] })) as { jobId: string };
    await service.waitForJob(jobId);
    expect(service.currentStore!.listModelVersions()).toHaveLength(1);
    expect(await answerAfterOutsideReader(service, file)).toBe(3);
    service.close();
    expect(annotationCount(file)).toBe(3);
  });

  it('after the open project is opened again in the same process (projects.open on the open file)', async () => {
    const file = await freshProject('reopened.eodn');
    const service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
    service.openProject(file);
    await service.dispatch('projects.open', { file });
    const other = ProjectStore.open(file); // as a worker thread does
    other.close();
    expect(await answerAfterOutsideReader(service, file)).toBe(3);
    service.close();
  });

  it('control: one plain fs open/close of the file really does drop the locks (why the store never does it)', async () => {
    const file = await freshProject('control.eodn');
    const store = ProjectStore.open(file);
    store.annotate(1, { action: 'relabel', label: 'fear', annotator: 'a' });
    closeSync(openSync(file, 'r')); // what readHeader used to do on every ProjectStore.open
    sqlite3(file, 'SELECT COUNT(*) FROM clips');
    // The outside SQLite believed it was alone: it checkpointed and deleted the WAL our connection still uses.
    expect(existsSync(`${file}-wal`)).toBe(false);
    store.annotate(2, { action: 'relabel', label: 'fear', annotator: 'a' });
    expect(annotationCount(file)).toBe(1); // the second, acknowledged answer is invisible: it would be lost
    store.close();
  });
});
