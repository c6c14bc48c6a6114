// The project lock: a second studio (another process) is refused with StoreError('locked') naming the first;
// a lock left by a process that died is stale and taken over; in one process, holders share the lock and the
// file goes with the last of them; openers without `lock` (workers, CLI batch commands) are not affected.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, linkSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/api/studio-service';
import { StoreError } from '../../../src-main/store/errors';
import { lockPathFor, readLock } from '../../../src-main/store/lock';
import { ProjectStore } from '../../../src-main/store/project-store';
import { REPO, tempDir } from './helpers';

let dir: string;
let file: string;
const children: ChildProcess[] = [];

/** Another studio: a child process whose StudioService opens the project, then waits to be killed. */
function otherStudio(project: string): Promise<ChildProcess> {
  const code = `require('tsx/cjs/api').register();
const { StudioService } = require(${JSON.stringify(join(REPO, 'src-main/api/studio-service.ts'))});
const s = new StudioService({ transport: 'browser', dataDir: ${JSON.stringify(dir)}, version: 'test' });
s.openProject(${JSON.stringify(project)});
console.log('open');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', code], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => String(d).includes('open') && resolve(child));
    child.on('exit', (c) => reject(new Error(`child exited ${c}: ${err}`)));
  });
}

const killed = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

beforeAll(() => {
  dir = tempDir('eodn-lock-');
  file = join(dir, 'p.eodn');
  ProjectStore.create(file, { name: 'p' }).close();
});
afterAll(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

function expectLocked(fn: () => unknown, pid: number): void {
  try {
    fn();
    expect.unreachable('the second opener was not refused');
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).code).toBe('locked');
    expect((e as StoreError).message).toContain(`process ${pid} on ${hostname()}`);
    expect((e as StoreError).message).toContain('Close it there first');
  }
}

describe('project lock', () => {
  it('refuses a second studio while the first runs, and takes over once it was killed', async () => {
    const child = await otherStudio(file);
    expect(readLock(file)).toMatchObject({ pid: child.pid, hostname: hostname() });
    const service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
    expectLocked(() => service.openProject(file), child.pid!);
    expect(service.currentStore).toBeNull();
    // Readers and batch tools (no lock) still open it: SQLite's WAL keeps them safe.
    const reader = ProjectStore.open(file, { readonly: true });
    expect(reader.info().name).toBe('p');
    reader.close();

    child.kill('SIGKILL'); // no chance to clean up: the lock file stays behind
    await killed(child);
    expect(existsSync(lockPathFor(file))).toBe(true);
    const info = service.openProject(file);
    expect(info.name).toBe('p');
    expect(readLock(file)).toMatchObject({ pid: process.pid });
    service.close();
    expect(existsSync(lockPathFor(file))).toBe(false);
  });

  it('a lock of a live process is respected, a dead or garbled one is stale', () => {
    const lock = lockPathFor(file);
    // pid 1 is alive on every Unix machine (and not ours).
    writeFileSync(lock, JSON.stringify({ pid: 1, hostname: hostname(), since: '2026-01-01T00:00:00Z' }));
    expectLocked(() => ProjectStore.open(file, { lock: true }), 1);
    // Another machine's lock (a shared drive) cannot be checked: respected too.
    writeFileSync(lock, JSON.stringify({ pid: 999_999_999, hostname: 'elsewhere', since: '2026-01-01T00:00:00Z' }));
    expect(() => ProjectStore.open(file, { lock: true })).toThrow(/process 999999999 on elsewhere/);
    // Same host, no such process: stale.
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, hostname: hostname(), since: '2026-01-01T00:00:00Z' }));
    const s = ProjectStore.open(file, { lock: true });
    expect(s.locked).toBe(true);
    s.close();
    expect(existsSync(lock)).toBe(false);
  });

  it('is shared inside one process and removed with its last holder; a bad path leaves no lock', () => {
    const a = ProjectStore.open(file, { lock: true });
    const b = ProjectStore.open(file, { lock: true });
    const plain = ProjectStore.open(file);
    expect(plain.locked).toBe(false);
    plain.close();
    a.close();
    expect(JSON.parse(readFileSync(lockPathFor(file), 'utf8'))).toMatchObject({ pid: process.pid });
    b.close();
    expect(existsSync(lockPathFor(file))).toBe(false);

    const nowhere = join(dir, 'nope.eodn');
    expect(() => ProjectStore.open(nowhere, { lock: true })).toThrow(/no such project file/);
    expect(existsSync(lockPathFor(nowhere))).toBe(false);
    const created = ProjectStore.create(join(dir, 'new.eodn'), { name: 'n', lock: true });
    expect(existsSync(lockPathFor(created.file))).toBe(true);
    expect(() => ProjectStore.create(created.file, { name: 'n', lock: true })).toThrow(/a file already exists/);
    created.close();
    expect(existsSync(lockPathFor(created.file))).toBe(false);
  });

  it('refuses a second studio on the same file through a symlink or a hard link, both ways', async () => {
    const hard = join(dir, 'hard-link.eodn');
    const soft = join(dir, 'sym-link.eodn');
    linkSync(file, hard);
    symlinkSync(file, soft);
    for (const [first, second] of [[hard, file], [file, hard], [soft, file], [file, soft], [soft, hard]]) {
      const child = await otherStudio(first);
      const service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
      expectLocked(() => service.openProject(second), child.pid!);
      expect(service.currentStore).toBeNull();
      child.kill('SIGKILL');
      await killed(child);
      // Its locks are stale now: the second name opens, and its locks go when it closes.
      service.openProject(second);
      service.close();
    }
  });

  it('names the other name of the file when a link holds it', async () => {
    const other = join(dir, 'another-name.eodn');
    linkSync(file, other);
    const child = await otherStudio(other);
    const service = new StudioService({ transport: 'browser', dataDir: dir, version: 'test' });
    expect(() => service.openProject(file)).toThrow(`under another name, ${other} (a link to the same file)`);
    child.kill('SIGKILL');
    await killed(child);
  });
});


describe('file modes', () => {
  it('a new project file and its lock are readable by their owner only', () => {
    const d = tempDir('eodn-modes-');
    const s = ProjectStore.create(join(d, 'private.eodn'), { name: 'private', lock: true });
    expect(statSync(s.file).mode & 0o777).toBe(0o600);
    expect(statSync(lockPathFor(s.file)).mode & 0o777).toBe(0o600);
    s.close();
  });
});
