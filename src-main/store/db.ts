// Opening a project file: refuse what is not ours (or is newer than us) before touching a byte, then set
// the connection up for one writer plus readers in other threads/processes and run pending migrations.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { StoreError } from './errors';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from './migrations';

const SQLITE_MAGIC = 'SQLite format 3\0';
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

function readHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(100);
    const n = readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Reads schema version and application id without changing the file; throws StoreError if it is not ours. */
export function inspectProjectFile(file: string): FileVersion {
  if (!existsSync(file)) throw new StoreError('not-found', `${file}: no such project file`);
  const header = readHeader(file);
  if (header.length < 100 || header.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) {
    throw new StoreError('not-sqlite', `${file}: not an E-ODN project (not an SQLite database file)`);
  }
  const probe = new Database(file, connectionOptions({ readonly: true, fileMustExist: true }));
  try {
    const version = probe.pragma('user_version', { simple: true }) as number;
    const applicationId = probe.pragma('application_id', { simple: true }) as number;
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
  if (opts.readonly && version < SCHEMA_VERSION) {
    throw new StoreError('needs-migration', `${file}: project format version ${version} must be upgraded; open it once read-write`);
  }
  const db = new Database(file, connectionOptions({ readonly: !!opts.readonly, fileMustExist: true }));
  try {
    configure(db, !!opts.readonly);
    if (!opts.readonly) migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Creates a new project file at the current schema version. */
export function createProjectDb(file: string): Database.Database {
  if (existsSync(file)) throw new StoreError('exists', `${file}: a file already exists there`);
  const db = new Database(file, connectionOptions());
  try {
    configure(db, false);
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
