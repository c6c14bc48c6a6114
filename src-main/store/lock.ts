// One studio per project: a lock file `<project>.lock` next to the project holds the owner's pid, host and
// start time. SQLite alone would let two studios write the same file safely, but each would train, relabel and
// activate models behind the other's back, so the second studio is refused with a message that names the
// first. The lock is per process: the worker threads and a second service in the same process share it (they
// coordinate through the same process), and it is removed when its last holder in this process releases it.
// A lock whose process is gone (same host, pid not alive) is stale: the studio crashed, and it is taken over.
//
// A file has many names: a symlink is resolved to its real path before the `.lock` is named, and a hard
// link (another real path, the same file) is caught by a second lock named after the file's identity
// (device and inode) in a per-user folder of this machine's temp dir. The `.lock` beside the file also
// covers other machines opening it on a shared drive.
import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { StoreError } from './errors';

export interface LockInfo {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  since: string;
  /** The project's path as its holder opened it (in identity locks: tells which name of the file). */
  path?: string;
}

/** The project's real path: symlinks resolved (for a file not created yet, its folder's). */
export function realProjectPath(projectFile: string): string {
  const abs = resolve(projectFile);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

export const lockPathFor = (projectFile: string) => `${realProjectPath(projectFile)}.lock`;

/** Where identity locks live: one folder per user on this machine. */
function identityLockDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `eodn-studio-locks-${uid}`);
}

/** The lock named after the file itself (device + inode), or null for a file that does not exist yet. */
export function identityLockPathFor(projectFile: string): string | null {
  try {
    const st = statSync(projectFile, { bigint: true });
    return join(identityLockDir(), `${st.dev}-${st.ino}.lock`);
  } catch {
    return null;
  }
}

/** A lock file that cannot be parsed is only trusted while it is this young (its writer may be mid-write). */
const UNREADABLE_GRACE_MS = 5_000;

/** Lock files this process created, with how many holders in this process share each. */
const held = new Map<string, number>();
let exitHookInstalled = false;

/** Reads a project's `.lock`; null when there is none, 'unreadable' when it is not a lock we understand. */
export function readLock(projectFile: string): LockInfo | null | 'unreadable' {
  return readLockFile(lockPathFor(projectFile));
}

function readLockFile(lockFile: string): LockInfo | null | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const j = JSON.parse(text) as Partial<LockInfo>;
    if (typeof j.pid === 'number' && Number.isInteger(j.pid) && j.pid > 0 && typeof j.hostname === 'string' && typeof j.since === 'string') {
      return { pid: j.pid, hostname: j.hostname, since: j.since, ...(typeof j.path === 'string' ? { path: j.path } : {}) };
    }
  } catch {
    // fall through
  }
  return 'unreadable';
}

/** Whether a process with this pid runs on this machine (EPERM: it exists but belongs to another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(lockFile: string, info: LockInfo | 'unreadable'): boolean {
  if (info === 'unreadable') {
    try {
      return Date.now() - statSync(lockFile).mtimeMs > UNREADABLE_GRACE_MS;
    } catch {
      return true;
    }
  }
  // Another host's pid means nothing here (a project on a shared drive): never guess that it is stale.
  return info.hostname === hostname() && info.pid !== process.pid && !pidAlive(info.pid);
}

function lockedMessage(projectFile: string, lockFile: string, info: LockInfo | 'unreadable'): string {
  const who = info === 'unreadable' ? 'another E-ODN Studio' : `another E-ODN Studio (process ${info.pid} on ${info.hostname}, since ${info.since})`;
  const otherName = info !== 'unreadable' && info.path && realProjectPath(info.path) !== realProjectPath(projectFile) ? ` under another name, ${info.path} (a link to the same file)` : '';
  return `${projectFile} is open in ${who}${otherName}. Close it there first. If no studio has it open, delete ${lockFile}.`;
}

function tryCreate(lockFile: string, projectFile: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    const info: LockInfo = { pid: process.pid, hostname: hostname(), since: new Date().toISOString(), path: resolve(projectFile) };
    writeSync(fd, JSON.stringify(info) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // process.exit() skips every close(): still leave no lock behind (a SIGKILL leaves one, found stale later).
  process.on('exit', () => {
    for (const f of held.keys()) rmSync(f, { force: true });
    held.clear();
  });
}

export interface ProjectLock {
  readonly file: string;
  release(): void;
}

/**
 * Takes the project's locks (its real path's `.lock`, and its identity lock once the file exists) or throws
 * StoreError('locked') naming the studio that holds it; nothing is left held when it throws.
 */
export function acquireProjectLock(projectFile: string): ProjectLock {
  const files = [lockPathFor(projectFile)];
  const identity = identityLockPathFor(projectFile);
  if (identity) {
    mkdirSync(dirname(identity), { recursive: true, mode: 0o700 });
    files.push(identity);
  }
  const taken: ProjectLock[] = [];
  try {
    for (const f of files) taken.push(acquireLockFile(f, projectFile));
  } catch (e) {
    taken.forEach((l) => l.release());
    throw e;
  }
  return {
    file: files[0],
    release: () => taken.forEach((l) => l.release()),
  };
}

function acquireLockFile(lockFile: string, projectFile: string): ProjectLock {
  const count = held.get(lockFile);
  if (count !== undefined) {
    held.set(lockFile, count + 1);
    return releaser(lockFile, true);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(lockFile, projectFile)) {
      held.set(lockFile, 1);
      installExitHook();
      return releaser(lockFile, true);
    }
    const info = readLockFile(lockFile);
    if (info === null) continue; // released between our two calls: try again
    // Same process, another module instance (a worker thread): share it without owning the file.
    if (info !== 'unreadable' && info.pid === process.pid && info.hostname === hostname()) return releaser(lockFile, false);
    if (!isStale(lockFile, info)) throw new StoreError('locked', lockedMessage(projectFile, lockFile, info));
    rmSync(lockFile, { force: true });
  }
  throw new StoreError('locked', `${projectFile}: could not take the project lock ${lockFile} (it keeps changing); is another studio starting?`);
}

function releaser(lockFile: string, counted: boolean): ProjectLock {
  let released = false;
  return {
    file: lockFile,
    release() {
      if (released || !counted) return;
      released = true;
      const n = (held.get(lockFile) ?? 1) - 1;
      if (n > 0) {
        held.set(lockFile, n);
        return;
      }
      held.delete(lockFile);
      rmSync(lockFile, { force: true });
    },
  };
}
