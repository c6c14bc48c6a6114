// Opening a project file: refuse what is not ours (or is newer than us) before changing a byte, then set
// the connection up for one writer plus readers in other threads/processes and run pending migrations.
//
// SQLite owns the project file. This module never opens it with plain `fs` calls: on Linux, closing *any*
// descriptor of a file drops every POSIX lock the process holds on it, so one stray open/close while a
// connection is open silently removes SQLite's locks (another process then deletes the WAL under us and
// acknowledged writes vanish). Only `stat` (no descriptor) and SQLite connections touch it.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fsyncSync, linkSync, openSync, readdirSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileKind } from '../engine/regular-file';
import { StoreError } from './errors';
import { pidAlive } from './lock';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from './migrations';

// URI file names let a read-only opening say `immutable=1` (see readOnlyName). better-sqlite3 reads this once,
// when its addon first loads (the first `new Database`, which always comes after this module has run).
process.env.SQLITE_USE_URI ??= '1';

/** How long a connection waits for another writer before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Connection options shared by every opening. Electron embeds a Node with another ABI than the CLI's, so the
 * Electron launcher builds a second copy of better-sqlite3's addon and names it in EODN_SQLITE_BINDING.
 */
export function connectionOptions(extra: Database.Options = {}): Database.Options {
  const binding = process.env.EODN_SQLITE_BINDING;
  return binding ? { ...extra, nativeBinding: binding } : extra;
}

export interface FileVersion {
  version: number;
  applicationId: number;
}

/** A `file:` URI for an absolute path (each segment escaped: `?`, `#` and `%` are legal in names). */
function fileUri(file: string, query: string): string {
  // A Windows drive ("C:") stays as it is: file:/C:/…
  const abs = resolve(file).split(sep).map((seg) => (/^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg))).join('/');
  return `file:${abs.startsWith('/') ? '' : '/'}${abs}?${query}`;
}

/**
 * The name to open a project read-only under. A WAL project needs its -shm file, which SQLite cannot create
 * in a read-only folder (a shared archive, a mounted image); when no -wal and -shm are there, nobody is
 * writing the file (a writer would have made them), so SQLite may read it as immutable.
 */
function readOnlyName(file: string): string {
  try {
    accessSync(dirname(file), constants.W_OK);
    return file;
  } catch {
    /* read-only folder */
  }
  const leftovers = ['-wal', '-shm'].filter((s) => existsSync(file + s));
  if (leftovers.length === 0) return fileUri(file, 'immutable=1');
  if (leftovers.includes('-wal') && !leftovers.includes('-shm')) {
    throw new StoreError('read-only', `${file}: its folder is read-only and the project was not closed cleanly (a -wal file is beside it): copy the project with its -wal file to a writable folder to read it`);
  }
  return file;
}

/** A read-only connection to a project file (probe, check, export). */
export function openReadOnlyConnection(file: string): Database.Database {
  return new Database(readOnlyName(file), connectionOptions({ readonly: true, fileMustExist: true }));
}

/**
 * Stats a project path (following symlinks) and refuses anything but a regular file: SQLite would block
 * forever on a FIFO and read a device without end.
 */
export function statProjectFile(file: string): Stats {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // Node reads command-line arguments as UTF-8: a name in another encoding arrives with U+FFFD in it.
      const hint = file.includes('\uFFFD') ? ' (its name is not valid UTF-8 as given: rename the file or its folder)' : '';
      throw new StoreError('not-found', `${file}: no such project file${hint}`);
    }
    throw new StoreError('io', `${file}: cannot be read (${code ?? (e as Error).message})`);
  }
  if (!st.isFile()) throw new StoreError('not-a-project', `${file}: ${fileKind(st)}, not an E-ODN project file`);
  return st;
}

/** SQLite's answer for a file that is not a database (wrong magic, encrypted, truncated header). */
const isNotADatabase = (e: unknown) => (e as { code?: string }).code === 'SQLITE_NOTADB' || /file is not a database/.test(String((e as Error).message));

/** Reads schema version and application id without changing the file; throws StoreError if it is not ours. */
export function inspectProjectFile(file: string): FileVersion {
  const st = statProjectFile(file);
  // An empty file is a valid (empty) SQLite database to SQLite; to a user it is not a project.
  if (st.size === 0) throw new StoreError('not-sqlite', `${file}: an empty file, not an E-ODN project`);
  const probe = openReadOnlyConnection(file);
  try {
    let version: number;
    let applicationId: number;
    try {
      version = probe.pragma('user_version', { simple: true }) as number;
      applicationId = probe.pragma('application_id', { simple: true }) as number;
    } catch (e) {
      if (isNotADatabase(e)) throw new StoreError('not-sqlite', `${file}: not an E-ODN project (not an SQLite database file)`);
      throw e;
    }
    if (applicationId !== APPLICATION_ID) {
      throw new StoreError('not-a-project', `${file}: an SQLite database, but not an E-ODN project`);
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        'newer-version',
        `${file}: project format version ${version} is newer than this studio understands (${SCHEMA_VERSION}); update E-ODN Studio to open it`,
      );
    }
    return { version, applicationId };
  } finally {
    probe.close();
  }
}

/**
 * Why a project cannot be written here, or null when it can: the file itself must be writable, and so must
 * its folder (SQLite creates the -wal and -shm files beside it). Checked with access(2): no descriptor.
 */
export function whyReadOnly(file: string): string | null {
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch {
    return 'its folder is read-only';
  }
  try {
    accessSync(file, constants.W_OK);
  } catch {
    return 'the project file is read-only';
  }
  return null;
}

function configure(db: Database.Database, readonly: boolean): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  if (readonly) {
    db.pragma('query_only = ON');
    return;
  }
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a killed process loses no committed transaction; only power loss can lose the last.
  db.pragma('synchronous = NORMAL');
}

export interface OpenDbOptions {
  readonly?: boolean;
}

/** Opens an existing project file, migrating it to SCHEMA_VERSION unless read-only. */
export function openProjectDb(file: string, opts: OpenDbOptions = {}): Database.Database {
  const { version } = inspectProjectFile(file);
  const readOnlyReason = opts.readonly ? null : whyReadOnly(file);
  if (readOnlyReason) throw new StoreError('read-only', `${file}: ${readOnlyReason}; it can only be opened read-only`);
  if (opts.readonly && version < SCHEMA_VERSION) {
    throw new StoreError('needs-migration', `${file}: project format version ${version} must be upgraded; open it once read-write`);
  }
  const db = opts.readonly ? openReadOnlyConnection(file) : new Database(file, connectionOptions({ fileMustExist: true }));
  try {
    configure(db, !!opts.readonly);
    if (!opts.readonly) migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Temporary files of a creation in progress: hidden, beside the target (same filesystem, so it can be linked into place). */
const CREATING = '.creating-';
const creatingPrefix = (file: string) => `.${basename(file)}${CREATING}`;

/** Removes what a creation killed midway left (its temp file and journals), if its process is gone. */
function removeAbandonedCreations(file: string): void {
  const dir = dirname(file);
  const prefix = creatingPrefix(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(n.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) continue;
    rmSync(join(dir, n), { force: true });
  }
}

/** A regular file of 0 bytes: what a creation killed before its first write left under older versions. */
function isEmptyFile(file: string): boolean {
  try {
    const st = statSync(file);
    return st.isFile() && st.size === 0;
  } catch {
    return false;
  }
}

function syncFolder(dir: string): void {
  // Makes the new name durable; some platforms (Windows) cannot open a folder: the name is still there.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

export interface NewProjectMeta {
  name: string;
}

/**
 * Creates a project file at the current schema version, with its name, all or nothing: the schema and the
 * meta rows are written to a hidden temporary file, which is closed (WAL checkpointed) and only then linked
 * into place. A kill at any moment leaves either no project or a complete one, never a file the next run
 * refuses. The file is readable by its owner only (0600): it names people and their answers.
 */
export function createProjectFile(file: string, meta: NewProjectMeta): void {
  removeAbandonedCreations(file);
  const replaceEmpty = isEmptyFile(file);
  if (!replaceEmpty && existsSync(file)) throw new StoreError('exists', `${file}: a file already exists there`);
  const tmp = join(dirname(file), `${creatingPrefix(file)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const removeTmp = () => ['', '-wal', '-shm', '-journal'].forEach((s) => rmSync(tmp + s, { force: true }));
  try {
    // Made 0600 before SQLite writes a byte (its -wal and -shm files take the database file's mode).
    closeSync(openSync(tmp, 'wx', 0o600));
    const db = new Database(tmp, connectionOptions());
    try {
      configure(db, false);
      migrate(db);
      db.transaction(() => {
        const ins = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
        ins.run('name', meta.name);
        ins.run('created_at', new Date().toISOString());
      }).immediate();
    } finally {
      db.close();
    }
    // Journals beside a missing or empty file are orphans (a deleted project, a killed creation): SQLite would
    // take them for its own and replay them into the new file.
    for (const s of ['-wal', '-shm', '-journal']) rmSync(file + s, { force: true });
    placeNewFile(tmp, file, replaceEmpty);
  } catch (e) {
    removeTmp();
    if (e instanceof StoreError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new StoreError('io', `${file}: the project could not be created (${code ?? (e as Error).message}); nothing was left behind`);
  }
  removeTmp();
  syncFolder(dirname(file));
}

/** Puts the finished temp file at `file`: link (fails if a file appeared there meanwhile) or rename. */
function placeNewFile(tmp: string, file: string, replaceEmpty: boolean): void {
  if (replaceEmpty) {
    renameSync(tmp, file);
    return;
  }
  try {
    linkSync(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new StoreError('exists', `${file}: a file already exists there`);
    // Filesystems without hard links (FAT, some network shares): rename, after one more look.
    if (existsSync(file)) throw new StoreError('exists', `${file}: a file already exists there`);
    renameSync(tmp, file);
  }
}
